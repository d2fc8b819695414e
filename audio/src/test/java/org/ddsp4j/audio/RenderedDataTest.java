package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads real instrument renders made by {@code bash ../shared/data/render.sh DIR sample}
 * (FluidR3 sampled instruments, 16 kHz mono 16-bit, with an exact f0 truth at 250 frames/s) and
 * checks them against that truth. Skipped when no render folder is found; looked for in the
 * system property {@code ddsp4j.data}, the environment variable {@code DDSP4J_DATA},
 * {@code ${ddsp4j.shared}/data/renders} and {@code /tmp/ddsp-data}.
 */
class RenderedDataTest {
    static Path dir;

    @BeforeAll
    static void locate() {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("ddsp4j.data") != null) candidates.add(System.getProperty("ddsp4j.data"));
        if (System.getenv("DDSP4J_DATA") != null) candidates.add(System.getenv("DDSP4J_DATA"));
        if (System.getProperty("ddsp4j.shared") != null) candidates.add(System.getProperty("ddsp4j.shared") + "/data/renders");
        candidates.add("/tmp/ddsp-data");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p.resolve("manifest.csv"))) {
                dir = p;
                break;
            }
        }
    }

    record Entry(Path wav, Path f0, String instrument, double seconds) {}

    static List<Entry> manifest() throws Exception {
        Assumptions.assumeTrue(dir != null, "no rendered data found (run: bash ../shared/data/render.sh /tmp/ddsp-data sample)");
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            Path wav = dir.resolve(f[0]);
            if (Files.isRegularFile(wav)) out.add(new Entry(wav, dir.resolve(f[1]), f[3], Double.parseDouble(f[7])));
        }
        Assumptions.assumeFalse(out.isEmpty(), "manifest in " + dir + " lists no existing files");
        return out;
    }

    /** f0 truth: one value per 64-sample frame, 0 where unvoiced. */
    static double[] f0(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        double[] f = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] p = lines.get(i).split(",");
            f[i - 1] = p[2].trim().equals("1") ? Double.parseDouble(p[1]) : 0;
        }
        return f;
    }

    @Test
    void rendersDecodeWithTheDeclaredShape() throws Exception {
        for (Entry e : manifest()) {
            Audio a = AudioFile.read(e.wav());
            assertEquals(16000, a.sampleRate(), e.wav().toString());
            assertEquals(1, a.numChannels());
            assertTrue(a.format().contains("PCM 16-bit"), a.format());
            assertEquals(e.seconds(), a.durationSeconds(), 1e-3, e.wav().toString());
            assertEquals(a.numFrames() / 64 + 1, f0(e.f0()).length, "f0 frames for " + e.wav());
            double peak = 0;
            for (float v : a.channel(0)) peak = Math.max(peak, Math.abs(v));
            assertTrue(peak > 0.05 && peak <= 1.0, "peak " + peak + " in " + e.wav()); // render.sh default: -3 dBFS
        }
    }

    /**
     * Where the truth says a note is held steadily, the audio is periodic at that pitch: the
     * normalised autocorrelation at lag sampleRate / f0 is high. Checked on the file as stored
     * and after resampling to 22.05 and 48 kHz (the resampler must keep the pitch).
     */
    @Test
    void audioIsPeriodicAtTheTruePitch() throws Exception {
        List<Entry> all = manifest();
        Entry e = all.stream().filter(x -> x.instrument().equals("violin")).findFirst().orElse(all.get(0));
        double[] f0 = f0(e.f0());
        for (int rate : new int[] {16000, 22050, 48000}) {
            float[] x = AudioFile.readMono(e.wav(), rate);
            assertEquals(Math.round(e.seconds() * 16000 * (double) rate / 16000), x.length, 1);
            List<Double> nac = new ArrayList<>();
            int win = (int) (0.04 * rate);
            for (int k = 15; k < f0.length - 15; k += 5) {
                boolean steady = f0[k] > 0;
                for (int d = -15; d <= 15 && steady; d++) steady = Math.abs(f0[k + d] - f0[k]) < 1e-9;
                if (!steady) continue;
                int centre = (int) Math.round(k * 64 / 16000.0 * rate);
                double lag = rate / f0[k];
                if (centre - win < 0 || centre + win + lag + 2 >= x.length) continue;
                nac.add(autocorrelation(x, centre - win / 2, win, lag));
            }
            assertTrue(nac.size() > 50, "only " + nac.size() + " steady frames in " + e.wav());
            double[] v = nac.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = v[v.length / 2];
            assertTrue(median > 0.9, rate + " Hz: median autocorrelation at the true period " + median);
            // and clearly lower half a period away (not a flat or noise signal)
            double half = 0;
            int count = 0;
            for (int k = 15; k < f0.length - 15; k += 50) {
                if (f0[k] <= 0) continue;
                int centre = (int) Math.round(k * 64 / 16000.0 * rate);
                double lag = rate / f0[k];
                if (centre - win < 0 || centre + win + lag + 2 >= x.length) continue;
                half += autocorrelation(x, centre - win / 2, win, lag * 1.5);
                count++;
            }
            assertTrue(half / count < median - 0.3, "autocorrelation at 1.5 periods " + half / count + " vs " + median);
        }
    }

    /** Normalised correlation of x[s, s+n) with x delayed by a fractional lag (linear interpolation). */
    static double autocorrelation(float[] x, int s, int n, double lag) {
        int li = (int) lag;
        double w = lag - li, xy = 0, xx = 0, yy = 0;
        for (int i = s; i < s + n; i++) {
            double y = x[i + li] * (1 - w) + x[i + li + 1] * w;
            xy += x[i] * y; xx += (double) x[i] * x[i]; yy += y * y;
        }
        return xy / Math.sqrt(xx * yy + 1e-30);
    }

    @Test
    void everyFileHasSound() throws Exception {
        for (Entry e : manifest()) {
            float[] x = AudioFile.read(e.wav()).mono();
            assertTrue(Signals.rms(x, 0, x.length) > 0.01, e.wav() + " is nearly silent");
            assertFalse(Arrays.equals(x, new float[x.length]));
        }
    }
}
