package org.ddsp4j.prepare;

import org.ddsp4j.features.AudioFeatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on the DirectRunner, on small generated WAV files, with test-double features. */
class PreparePipelineTest {
    private static final int SR = 16000;
    // 6.5 s (3 examples, tail dropped), 4 s (1), 2 s (padded to 1), 0.5 s (too short), garbage (unreadable).
    private static final Map<String, Double> SECONDS = Map.of("a.wav", 6.5, "sub/b.wav", 4.0, "sub/deeper/c.WAV", 2.0, "d.wav", 0.5);

    @TempDir
    static Path tmp;
    static Path input;
    static Path output;
    static PrepareSummary summary;
    static PrepareConfig cfg;
    static final double EVAL_FRACTION = 0.5;

    @BeforeAll
    static void prepare() throws IOException {
        input = tmp.resolve("in");
        int seed = 0;
        for (var e : SECONDS.entrySet()) {
            TestDoubles.writeWav(input.resolve(e.getKey()), TestDoubles.tone((int) Math.round(e.getValue() * SR), SR, 220 + 50 * seed, seed), SR);
            seed++;
        }
        Files.writeString(input.resolve("bad.wav"), "this is not audio");
        Files.writeString(input.resolve("notes.txt"), "ignored: not an audio extension");
        TestDoubles.writeWav(input.resolve(".hidden/x.wav"), new float[SR * 5], SR);
        cfg = new PrepareConfig(SR, 250, 4, 1, EVAL_FRACTION, 2, 1.0, false, 0.5);
        output = tmp.resolve("out");
        summary = new PreparePipeline(cfg, new TestDoubles.WavLoader(), new TestDoubles.ContextFeatures())
                .run(List.of(input), output, false, new String[0], null);
    }

    /** What each file should yield, computed here without the pipeline. */
    private static Map<String, List<DdspExample>> expected() throws IOException {
        Map<String, List<DdspExample>> bySplit = new HashMap<>(Map.of(Splits.TRAIN, new ArrayList<>(), Splits.EVAL, new ArrayList<>()));
        for (String rel : List.of("a.wav", "sub/b.wav", "sub/deeper/c.WAV")) {
            float[] x = new TestDoubles.WavLoader().readMono(input.resolve(rel), SR);
            if (x.length < 64000) x = java.util.Arrays.copyOf(x, 64000);
            AudioFeatures f = new TestDoubles.ContextFeatures().extract(x, SR, 250);
            for (int s = 0; s + 64000 <= x.length; s += 16000) {
                int k = s / 64;
                bySplit.get(Splits.of(rel, EVAL_FRACTION)).add(new DdspExample(java.util.Arrays.copyOfRange(x, s, s + 64000),
                        java.util.Arrays.copyOfRange(f.f0Hz(), k, k + 1001), java.util.Arrays.copyOfRange(f.f0Confidence(), k, k + 1001),
                        java.util.Arrays.copyOfRange(f.loudnessDb(), k, k + 1001)));
            }
        }
        return bySplit;
    }

    @Test
    void writesTheExpectedExamplesFieldByField() throws IOException {
        Map<String, List<DdspExample>> want = expected();
        assertEquals(5, want.get(Splits.TRAIN).size() + want.get(Splits.EVAL).size());
        for (String split : List.of(Splits.TRAIN, Splits.EVAL)) {
            List<DdspExample> got = DdspDataset.open(output, split).readAll();
            List<DdspExample> remaining = new ArrayList<>(want.get(split));
            assertEquals(remaining.size(), got.size(), split + " example count");
            for (DdspExample g : got) {
                g.checkShape(64000, 1001);
                assertTrue(remaining.remove(g), split + ": an example differs from every expected one");
            }
        }
        // Check the split assignment really produced both splits for this fixture (else the test is weak).
        assertFalse(want.get(Splits.EVAL).isEmpty(), "fixture should put a file in eval");
        assertFalse(want.get(Splits.TRAIN).isEmpty(), "fixture should put a file in train");
    }

    @Test
    void shardsAreNamedAndComplete() throws IOException {
        assertEquals(List.of("train.tfrecord-00000-of-00002", "train.tfrecord-00001-of-00002"),
                DdspDataset.shards(output, "train").stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of("eval.tfrecord-00000-of-00001"),
                DdspDataset.shards(output, "eval").stream().map(p -> p.getFileName().toString()).toList());
        try (Stream<Path> s = Files.list(output)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("eval.tfrecord-00000-of-00001", "stats.json", "train.tfrecord-00000-of-00002",
                    "train.tfrecord-00001-of-00002"), names, "no temporary files left behind");
        }
    }

    @Test
    void skippedFilesAreCountedWithReasons() {
        DatasetStats.Preparation st = summary.stats().preparation();
        assertEquals(3, st.filesRead());
        List<DatasetStats.Skipped> sk = st.skipped();
        assertEquals(2, sk.size());
        assertTrue(sk.get(0).file().endsWith("bad.wav") && sk.get(0).reason().startsWith("unreadable: ")
                && sk.get(0).reason().contains("not a RIFF/WAVE file"), sk.get(0).toString());
        assertTrue(sk.get(1).file().endsWith("d.wav") && sk.get(1).reason().equals("too short: 0.500 s < --min-seconds 1"),
                sk.get(1).toString());
        assertEquals((6.5 + 4 + 2) / 60, summary.audioMinutes(), 1e-9);
        String report = summary.report();
        assertTrue(report.contains("files read: 3, skipped: 2"), report);
        assertTrue(report.contains("warning: the eval split has only " + summary.stats().preparation().eval().examples() + " examples")
                && report.contains("give more audio or a larger --eval-fraction"), "12.5 s of audio is too little to evaluate:\n" + report);
    }

    @Test
    void statisticsMatchTheExamplesReadBack() throws IOException {
        List<DdspExample> all = new ArrayList<>(DdspDataset.open(output, "train").readAll());
        all.addAll(DdspDataset.open(output, "eval").readAll());
        double sum = 0, sumSq = 0, lsum = 0, plsum = 0;
        long n = 0, frames = 0;
        for (DdspExample e : all) {
            for (int i = 0; i < e.nFrames(); i++) {
                frames++;
                lsum += e.loudnessDb()[i];
                if (e.f0Confidence()[i] >= 0.5) {
                    double m = 69 + 12 * Math.log(e.f0Hz()[i] / 440.0) / Math.log(2);
                    sum += m;
                    sumSq += m * m;
                    plsum += e.loudnessDb()[i];
                    n++;
                }
            }
        }
        DatasetStats st = summary.stats();
        assertEquals(5 * 501, n, "even frames are confident: 501 of 1001 per example");
        assertEquals(n, st.pitchMidi().count());
        assertEquals(sum / n, st.pitchMidi().mean(), 1e-6);
        assertEquals(Math.sqrt(sumSq / n - (sum / n) * (sum / n)), st.pitchMidi().std(), 1e-4);
        assertEquals(frames, st.loudnessDb().count());
        assertEquals(frames, st.frames());
        assertEquals(lsum / frames, st.loudnessDb().mean(), 1e-6);
        assertEquals(n, st.pitchedLoudnessDb().count());
        assertEquals(plsum / n, st.meanLoudnessDb(), 1e-6);
        assertEquals(SR, st.sampleRate());
        assertEquals(250, st.frameRate());

        // The summary is what stats.json holds (read back from it), in the one stats format.
        Path file = output.resolve("stats.json");
        assertEquals(st, DatasetStats.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\": \"" + DatasetStats.FORMAT + "\""), json);
        assertTrue(json.contains("\"example_frames\": 1001"), json);
        assertTrue(json.contains("\"quantiles_percent\": [0, 5, 10"), json);
        assertTrue(json.contains("\"reason\": \"too short: 0.500 s < --min-seconds 1\""), json);
        DatasetStats.Preparation p = st.preparation();
        assertEquals(3, p.filesRead());
        assertEquals(2, p.skipped().size());
        assertEquals(DdspDataset.open(output, "train").count(), p.train().examples());
        assertEquals(DdspDataset.open(output, "eval").count(), p.eval().examples());
        assertEquals(3, p.train().files() + p.eval().files());
        assertEquals(p.train(), p.split("train"));
        assertEquals(64000, p.exampleSamples());
    }

    @Test
    void refusesToMixWithAnEarlierRunUnlessOverwriting() throws IOException {
        PreparePipeline p = new PreparePipeline(cfg, new TestDoubles.WavLoader(), new TestDoubles.ContextFeatures());
        Path out2 = tmp.resolve("out2");
        Files.createDirectories(out2);
        Files.writeString(out2.resolve("train.tfrecord-00000-of-00005"), "stale");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.run(List.of(input.resolve("sub")), out2, false, new String[0], null));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        // With --overwrite the stale shard goes, and the same files land in the same splits.
        PrepareSummary s = p.run(List.of(input.resolve("sub")), out2, true, new String[] {"--targetParallelism=1"}, null);
        assertEquals(2, s.stats().preparation().filesRead());
        assertFalse(Files.exists(out2.resolve("train.tfrecord-00000-of-00005")));
        // sub/b.wav is "b.wav" relative to the input folder now, so its split may differ from the first
        // run; the assignment is a pure function of the relative path:
        long wantEval = Stream.of("b.wav", "deeper/c.WAV").filter(r -> Splits.of(r, EVAL_FRACTION).equals(Splits.EVAL)).count();
        assertEquals(wantEval, s.stats().preparation().split(Splits.EVAL).files());
    }

    @Test
    void noAudioIsAClearError() {
        PreparePipeline p = new PreparePipeline(cfg, new TestDoubles.WavLoader(), new TestDoubles.ContextFeatures());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.run(List.of(input.resolve(".hidden").resolve("nothing-here")), tmp.resolve("o3"), false, new String[0], null));
        assertTrue(e.getMessage().contains("neither a file nor a folder"), e.getMessage());
    }

    /** --overwrite never loses the earlier dataset to a bad option, a failed run or unreadable input. */
    @Test
    void overwriteKeepsTheOldDatasetUntilTheNewOneIsComplete() throws IOException {
        PreparePipeline p = new PreparePipeline(cfg, new TestDoubles.WavLoader(), new TestDoubles.ContextFeatures());
        Path out4 = tmp.resolve("out4");
        p.run(List.of(input.resolve("sub")), out4, false, new String[] {"--targetParallelism=1"}, null);
        java.util.Map<String, byte[]> before = new java.util.TreeMap<>();
        for (Path f : PreparePipeline.previousOutputs(out4)) before.put(f.getFileName().toString(), Files.readAllBytes(f));
        assertFalse(before.isEmpty());
        // A mistyped runner is refused before anything is touched.
        assertThrows(IllegalArgumentException.class,
                () -> p.run(List.of(input.resolve("sub")), out4, true, new String[] {"--runner=NoSuchRunner"}, null));
        // Only unreadable files: an error, and the old dataset stays.
        Path junk = Files.createDirectories(tmp.resolve("junk"));
        Files.writeString(junk.resolve("broken.wav"), "not audio at all");
        Exception e = assertThrows(Exception.class, () -> p.run(List.of(junk), out4, true, new String[] {"--targetParallelism=1"}, null));
        assertTrue(String.valueOf(e.getMessage()).contains("unchanged"), e.getMessage());
        java.util.Map<String, byte[]> after = new java.util.TreeMap<>();
        for (Path f : PreparePipeline.previousOutputs(out4)) after.put(f.getFileName().toString(), Files.readAllBytes(f));
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) assertTrue(java.util.Arrays.equals(before.get(k), after.get(k)), k + " unchanged");
        try (Stream<Path> left = Files.list(out4)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no staging folders left behind");
        }
    }
}
