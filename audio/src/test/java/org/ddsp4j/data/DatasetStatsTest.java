package org.ddsp4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStatsTest {
    @TempDir
    Path tmp;

    /** Random frames: f0 100..1000 Hz, confidence uniform, loudness -80..0 dB; a few f0 = 0. */
    private static float[][] frames(Random r, int n) {
        float[] f0 = new float[n], c = new float[n], l = new float[n];
        for (int i = 0; i < n; i++) {
            f0[i] = i % 17 == 0 ? 0 : (float) (100 + 900 * r.nextDouble());
            c[i] = r.nextFloat();
            l[i] = (float) (-80 * r.nextDouble());
        }
        return new float[][] {f0, c, l};
    }

    @Test
    void accumulatorMomentsAreExactOverPitchedFrames() {
        Random r = new Random(1);
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(0.5);
        double sp = 0, sl = 0, sll = 0, all = 0;
        long n = 0, total = 0;
        for (int k = 0; k < 3; k++) {
            float[][] f = frames(r, 1001);
            acc.add(f[0], f[1], f[2]);
            for (int i = 0; i < 1001; i++) {
                total++;
                all += f[2][i];
                if (f[1][i] >= 0.5 && f[0][i] > 0) {
                    sp += org.ddsp4j.dsp.Conversions.hzToMidi((double) f[0][i]);
                    sl += f[2][i];
                    sll += (double) f[2][i] * f[2][i];
                    n++;
                }
            }
        }
        DatasetStats s = acc.toStats(16000, 250, null);
        assertEquals(total, s.frames());
        assertEquals(n, s.pitchMidi().count());
        assertEquals(n, s.pitchedLoudnessDb().count());
        assertEquals(sp / n, s.meanPitchMidi(), 1e-9);
        assertEquals(sl / n, s.meanLoudnessDb(), 1e-9);
        assertEquals(Math.sqrt(sll / n - (sl / n) * (sl / n)), s.stdLoudnessDb(), 1e-6);
        assertEquals(all / total, s.loudnessDb().mean(), 1e-9);
        assertEquals(21, s.pitchMidi().quantiles().size());
        assertEquals(n, s.pitchMidi().histogram().stream().mapToLong(Long::longValue).sum());
        assertThrows(IllegalArgumentException.class, () -> acc.add(new float[2], new float[2], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> acc.merge(new DatasetStats.Accumulator(0.7)));
    }

    @Test
    void jsonRoundTripIsExact() throws IOException {
        Random r = new Random(2);
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(0.5);
        for (int k = 0; k < 4; k++) {
            float[][] f = frames(r, 501);
            acc.add(f[0], f[1], f[2]);
        }
        DatasetStats.Preparation prep = new DatasetStats.Preparation(4, 1, 64000, 1001, 0.1, 7, 123.456,
                new DatasetStats.Split(6, 30, 120), new DatasetStats.Split(1, 2, 8),
                List.of(new DatasetStats.Skipped("/z.wav", "too short"), new DatasetStats.Skipped("/a \"b\".wav", "unreadable:\n\u00e9")));
        for (DatasetStats s : List.of(acc.toStats(16000, 250, prep), acc.toStats(22050, 210, null),
                new DatasetStats.Accumulator(0.5).toStats(16000, 250, null))) {
            Path f = tmp.resolve("stats.json");
            s.write(f);
            DatasetStats back = DatasetStats.read(f);
            assertEquals(s, back);
            assertEquals(s.toJson(), back.toJson());
        }
        DatasetStats s = acc.toStats(16000, 250, prep);
        assertEquals("/a \"b\".wav", s.preparation().skipped().getFirst().file(), "skipped files sorted by path");
        String json = s.toJson();
        assertTrue(json.startsWith("{\n  \"format\": \"ddsp4j-dataset-statistics/2\",\n  \"sample_rate\": 16000,\n  \"frame_rate\": 250,"), json);
        // An empty distribution is written with nulls and read back as NaN.
        DatasetStats empty = new DatasetStats.Accumulator(0.5).toStats(16000, 250, null);
        assertTrue(empty.toJson().contains("\"mean\": null"), empty.toJson());
        assertTrue(Double.isNaN(DatasetStats.parse(empty.toJson(), "t").meanPitchMidi()));
    }

    @Test
    void readsTheTrainersOlderFormat() {
        DatasetStats s = DatasetStats.parse("""
                {"mean_pitch_midi": 64.5, "mean_loudness_db": -31.25, "std_loudness_db": 9.5, "frames": 12345}""", "old.json");
        assertEquals(64.5, s.meanPitchMidi());
        assertEquals(-31.25, s.meanLoudnessDb());
        assertEquals(9.5, s.stdLoudnessDb());
        assertEquals(12345, s.pitchMidi().count());
        assertEquals(0, s.sampleRate(), "rates unknown");
        assertNull(s.preparation());
        // Written again, it is format /2 and reads back the same.
        assertEquals(s, DatasetStats.parse(s.toJson(), "again"));
    }

    @Test
    void readsPrepareFormatV1() {
        String v1 = """
                {
                  "format": "ddsp4j-dataset-statistics/1",
                  "sample_rate": 16000,
                  "frame_rate": 250,
                  "example_seconds": 4,
                  "hop_seconds": 1,
                  "example_samples": 64000,
                  "example_frames": 1001,
                  "eval_fraction": 0.1,
                  "confidence_threshold": 0.5,
                  "files": {"read": 3, "skipped": 1, "audio_seconds": 12.5},
                  "splits": {
                    "train": {"files": 2, "examples": 4, "example_seconds_total": 16},
                    "eval": {"files": 1, "examples": 1, "example_seconds_total": 4}
                  },
                  "frames": 5005,
                  "pitch_midi": {"confident_frames": 2505, "mean": 57.5, "std": 2.25, "min": 50, "max": 60,
                    "quantiles_percent": [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100],
                    "quantiles": [50, 51, 52, 53, 54, 55, 56, 57, 57, 57, 57.5, 58, 58, 58, 59, 59, 59, 59, 60, 60, 60],
                    "histogram": {"start": 0, "bin_width": 1, "counts": [0, 1, 2]}},
                  "loudness_db": {"frames": 5005, "mean": -20, "std": 5, "min": -40, "max": -3,
                    "quantiles_percent": [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100],
                    "quantiles": [-40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -3],
                    "histogram": {"start": -160, "bin_width": 1, "counts": [5005]}},
                  "skipped": [
                    {"file": "/in/d.wav", "reason": "too short: 0.500 s < --min-seconds 1"}
                  ]
                }
                """;
        DatasetStats s = DatasetStats.parse(v1, "v1.json");
        assertEquals(16000, s.sampleRate());
        assertEquals(250, s.frameRate());
        assertEquals(57.5, s.meanPitchMidi());
        assertEquals(2505, s.pitchMidi().count());
        assertEquals(-20, s.loudnessDb().mean());
        assertTrue(Double.isNaN(s.meanLoudnessDb()), "v1 has no loudness over pitched frames");
        assertEquals(4, s.preparation().train().examples());
        assertEquals("too short: 0.500 s < --min-seconds 1", s.preparation().skipped().getFirst().reason());
        assertEquals(12.5, s.preparation().audioSeconds());
    }

    @Test
    void unknownOrBrokenFilesAreClearErrors() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetStats.parse("{\"format\": \"ddsp4j-dataset-statistics/9\"}", "x/stats.json"));
        assertTrue(e.getMessage().startsWith("x/stats.json: format 'ddsp4j-dataset-statistics/9'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStats.parse("{}", "y.json"));
        assertTrue(e.getMessage().contains("format missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStats.parse("[1]", "z.json"));
        assertTrue(e.getMessage().startsWith("z.json: not a dataset statistics file"), e.getMessage());
        String good = new DatasetStats.Accumulator(0.5).add(new float[] {440}, new float[] {1}, new float[] {-10}).toStats(16000, 250, null).toJson();
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStats.parse(good.replace("\"frame_rate\": 250", "\"frame_rate\": \"fast\""), "w.json"));
        assertEquals("w.json: 'frame_rate' is not a number: fast", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStats.parse(good.replace("\"pitch_midi\"", "\"pitch\""), "w.json"));
        assertEquals("w.json: 'pitch_midi' is missing or not an object", e.getMessage());
        Path missing = tmp.resolve("none/stats.json");
        IOException io = assertThrows(IOException.class, () -> DatasetStats.read(missing));
        assertTrue(io.getMessage().contains(missing.toString()), io.getMessage());
        Files.writeString(tmp.resolve("bad.json"), "{\"mean_pitch_midi\": 60}");
        e = assertThrows(IllegalArgumentException.class, () -> DatasetStats.read(tmp.resolve("bad.json")));
        assertTrue(e.getMessage().endsWith("bad.json: 'frames' is missing"), e.getMessage());
    }

    @Test
    void accumulatorBinaryFormIsExact() throws IOException {
        Random r = new Random(4);
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(0.25);
        float[][] f = frames(r, 2000);
        acc.add(f[0], f[1], f[2]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        acc.writeTo(new DataOutputStream(bytes));
        DatasetStats.Accumulator back = DatasetStats.Accumulator.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(acc.toStats(16000, 250, null), back.toStats(16000, 250, null));
        assertEquals(acc.frames(), back.frames());
        // Sparse: only the non-empty bins are written, less than the 8 bytes a bin of the dense counts.
        assertTrue(bytes.size() < (1400 + 2000 + 2000) * 8, bytes.size() + " bytes");
    }

    @Test
    void histogramQuantilesWithinOneBinOfExact() {
        Random r = new Random(5);
        Histogram h = new Histogram(0, 0.1, 1400);
        double[] v = new double[5001];
        for (int i = 0; i < v.length; i++) {
            v[i] = 60 + 7 * r.nextGaussian();
            h.add(v[i]);
        }
        double[] s = v.clone();
        Arrays.sort(s);
        for (int p = 0; p <= 100; p += 5) {
            double rank = p / 100.0 * (s.length - 1);
            int lo = (int) Math.floor(rank);
            double exact = s[lo] + (rank - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
            assertEquals(exact, h.quantile(p / 100.0), 0.1, "quantile " + p);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
        assertEquals(mean, h.mean(), 1e-9);
        assertEquals(Math.sqrt(var), h.std(), 1e-6);
        assertEquals(s[0], h.min());
        assertEquals(s[s.length - 1], h.max());
    }

    @Test
    void hzToMidi() {
        assertEquals(69, org.ddsp4j.dsp.Conversions.hzToMidi((double) 440), 1e-12);
        assertEquals(57, org.ddsp4j.dsp.Conversions.hzToMidi((double) 220), 1e-12);
        assertEquals(60, org.ddsp4j.dsp.Conversions.hzToMidi((double) 261.6255653), 1e-6);
    }
}
