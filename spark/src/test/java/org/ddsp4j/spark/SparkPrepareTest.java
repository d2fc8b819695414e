package org.ddsp4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.prepare.DdspFeatures;
import org.ddsp4j.prepare.PrepareConfig;
import org.ddsp4j.prepare.PreparePipeline;
import org.ddsp4j.prepare.PrepareSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's preparation against Beam's, on the demo's real violin recordings (with real features) and one file
 * that is not audio: the same examples and statistics, on {@code local[2]} with a failing task attempt and on
 * {@code local-cluster} (two executor processes).
 */
class SparkPrepareTest {
    @TempDir
    static Path tmp;
    static Path input;
    static PrepareConfig cfg;
    static Path beamOut;
    static PrepareSummary beam;

    @BeforeAll
    static void prepareWithBeam() throws IOException {
        input = tmp.resolve("in");
        Path violin = Path.of(System.getProperty("ddsp4j.root"), "demo", "data", "violin");
        Files.createDirectories(input);
        try (var s = Files.list(violin)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".flac")).sorted().limit(3).toList()) {
                Files.copy(p, input.resolve(p.getFileName()));
            }
        }
        Files.writeString(input.resolve("broken.wav"), "not audio");
        cfg = new PrepareConfig(16000, 250, 4, 1, 0.25, 3, 1.0, false, 0.5);
        beamOut = tmp.resolve("beam");
        beam = new PreparePipeline(cfg, AudioFile::readMono, new DdspFeatures()).run(List.of(input), beamOut, false, new String[0], null);
        assertTrue(beam.stats().preparation().train().examples() > 10, "enough examples to spread over shards");
        assertTrue(beam.stats().preparation().eval().examples() > 0);
    }

    static PrepareSummary prepareOnSpark(String master, Path out, int failFile) throws IOException {
        try (JavaSparkContext sc = SparkSetup.context(master, "ddsp4j prepare test", 1)) {
            SparkPrepare spark = new SparkPrepare(sc, cfg, AudioFile::readMono, new DdspFeatures());
            spark.failFirstAttemptOfFile = failFile;
            return PreparePipeline.run(cfg, List.of(input), out, false, spark);
        }
    }

    /** A split's examples as their serialized bytes, sorted. */
    static List<String> sortedExamples(Path dir, String split) throws IOException {
        List<String> out = new ArrayList<>();
        for (DdspExample e : DdspDataset.open(dir, split).readAll()) out.add(Arrays.toString(e.toBytes()));
        out.sort(null);
        return out;
    }

    static void assertSameDataset(Path spark, PrepareSummary summary) throws IOException {
        for (String split : List.of(DdspDataset.TRAIN, DdspDataset.EVAL)) {
            assertEquals(sortedExamples(beamOut, split), sortedExamples(spark, split), split + " examples (sorted)");
        }
        assertEquals(3, DdspDataset.shards(spark, DdspDataset.TRAIN).size(), "train shards");
        DatasetStats a = beam.stats(), b = DatasetStats.read(spark.resolve(DatasetStats.FILE));
        assertEquals(a.preparation(), b.preparation(), "counts, seconds and skipped files");
        assertEquals(1, b.preparation().skipped().size());
        assertTrue(b.preparation().skipped().getFirst().file().endsWith("broken.wav"));
        assertEquals(a.frames(), b.frames());
        assertEquals(a.meanPitchMidi(), b.meanPitchMidi(), 1e-9);
        assertEquals(a.meanLoudnessDb(), b.meanLoudnessDb(), 1e-9);
        assertEquals(a.stdLoudnessDb(), b.stdLoudnessDb(), 1e-9);
        assertEquals(b, summary.stats());
        try (var s = Files.list(spark)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary or staging files left");
        }
    }

    @Test
    void localModeWritesBeamsExamplesAndARetriedTaskDuplicatesNothing() throws IOException {
        Path out = tmp.resolve("spark-local");
        PrepareSummary s = prepareOnSpark("local[2,2]", out, 1);   // the task of file 1 fails once, then is retried
        assertSameDataset(out, s);
    }

    @Test
    void localClusterWithTwoExecutorProcessesWritesBeamsExamples() throws IOException {
        Path out = tmp.resolve("spark-cluster");
        assertSameDataset(out, prepareOnSpark("local-cluster[2,1,1024]", out, -1));
    }
}
