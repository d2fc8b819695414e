package org.ddsp4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaSparkContext;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;
import org.ddsp4j.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training equals single-process training bit for bit: two workers (threads over the socket ring,
 * and Spark tasks in two executor processes of {@code local-cluster}) against one process computing its batches
 * in the same two halves, on a real violin recording; and a worker killed mid-run is recovered from the last
 * checkpoint with the weights of an uninterrupted run.
 */
class SparkTrainingTest {
    static final List<String> SETTINGS = List.of("decoder.hidden=16", "decoder.gru_units=16", "harmonic.n_harmonics=8",
            "noise.n_bands=9", "reverb.taps=64", "audio.example_seconds=0.2", "audio.example_hop_seconds=0.1",
            "loss.fft_sizes=256,128,64", "train.batch=4", "train.learning_rate=0.01", "train.checkpoint_every=2");
    static final int STEPS = 6;

    @TempDir
    static Path tmp;
    static Path data;
    static ModelConfig cfg;
    static List<DdspExample> train;
    static Map<String, float[]> single;

    /**
     * The reference: one process computing each batch in two halves (train.micro_batches=2), which adds the same
     * two gradients two workers add. (Against a plain single-batch step the gradients agree to float rounding,
     * see the model module's MicroBatchTest; Adam's first steps amplify rounding in near-zero gradients, so only
     * the same sums give the same weights.)
     */
    @BeforeAll
    static void trainInOneProcess() throws Exception {
        data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(Path.of(System.getProperty("ddsp4j.root"), "demo", "data", "violin", "violin_phrase_vib0_s11.flac"),
                data.resolve("phrase.flac"));
        cfg = ModelConfig.builtIn("tiny").setAll(SETTINGS);
        train = Examples.load(data, DdspDataset.TRAIN, cfg);
        Trainer t = new Trainer(cfg.with("train.micro_batches", "2"), new ModelDir(tmp.resolve("single")), train, List.of(), false);
        t.setLog(quiet());
        t.train(STEPS, 600);
        single = weights(t.model().namedParameters());
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    static Map<String, float[]> weights(Map<String, org.ddsp4j.tensor.Tensor> params) {
        Map<String, float[]> w = new LinkedHashMap<>();
        params.forEach((k, v) -> w.put(k, v.data().clone()));
        return w;
    }

    static Map<String, float[]> saved(Path modelDir) throws IOException {
        return weights(new ModelDir(modelDir).loadModel().namedParameters());
    }

    static void assertBitIdentical(Map<String, float[]> a, Map<String, float[]> b, String what) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), 0f, what + ": " + k);
    }

    /** Two workers as threads of this JVM, over the socket ring. */
    static Map<String, float[]> trainWithThreads(Path dir) throws Exception {
        LocalRendezvous gather = new LocalRendezvous(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Map<String, float[]>>> out = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                out.add(pool.submit(() -> {
                    try (RingAllReduce ring = RingAllReduce.connect(rank, 2, "127.0.0.1", gather.of(rank))) {
                        Trainer t = new Trainer(cfg, new ModelDir(dir), train, List.of(), true, ring);
                        t.setLog(quiet());
                        t.train(STEPS, 600);
                        return weights(t.model().namedParameters());
                    }
                }));
            }
            Map<String, float[]> w0 = out.get(0).get();
            assertBitIdentical(w0, out.get(1).get(), "the two workers' weights");
            return w0;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoWorkersOverTheRingTrainAsOneProcess() throws Exception {
        Path dir = tmp.resolve("threads");
        Map<String, float[]> w = trainWithThreads(dir);
        assertBitIdentical(single, w, "2 workers vs one process in 2 micro-batches");
        assertBitIdentical(w, saved(dir), "worker 0's checkpoint");
        assertBitIdentical(w, trainWithThreads(tmp.resolve("threads-again")), "a second 2-worker run");
    }

    @Test
    void twoSparkExecutorProcessesTrainAsOneProcess() throws Exception {
        Path dir = tmp.resolve("spark");
        try (JavaSparkContext sc = SparkSetup.context("local-cluster[2,1,1024]", "ddsp4j training test", 1)) {
            SparkTraining.Result r = SparkTraining.run(sc, request(dir), 2, quiet());
            assertEquals(STEPS, r.lastStep());
            assertTrue(r.bytesSentPerStep() > 0);
        }
        Map<String, float[]> w = saved(dir);
        assertBitIdentical(single, w, "2 Spark workers vs one process in 2 micro-batches");
        assertEquals(STEPS, new ModelDir(dir).readLosses(STEPS).size(), "loss history rows");
    }

    static TrainingRun.Request request(Path dir) {
        return new TrainingRun.Request(data, dir, "tiny", SETTINGS, (long) STEPS, Double.POSITIVE_INFINITY, false);
    }

    /**
     * One executor process is killed (SIGKILL) after the first checkpoints; Spark runs the barrier stage again,
     * the new workers resume from the last checkpoint, and the run ends with the weights of an uninterrupted one.
     */
    @Test
    void aKilledWorkerIsReplacedAndTheRunResumesFromTheLastCheckpoint() throws Exception {
        long steps = 60;
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.add("train.checkpoint_every=10");
        ModelConfig c = ModelConfig.builtIn("tiny").setAll(settings);
        Trainer ref = new Trainer(c.with("train.micro_batches", "2"), new ModelDir(tmp.resolve("ref-60")), train, List.of(), false);
        ref.setLog(quiet());
        ref.train(steps, 600);
        Path dir = tmp.resolve("killed");
        ModelDir md = new ModelDir(dir);
        try (JavaSparkContext sc = SparkSetup.context("local-cluster[2,1,1024]", "ddsp4j kill test", 1)) {
            ExecutorService driver = Executors.newSingleThreadExecutor();
            try {
                Future<SparkTraining.Result> run = driver.submit(() -> SparkTraining.run(sc,
                        new TrainingRun.Request(data, dir, "tiny", settings, steps, Double.POSITIVE_INFINITY, false), 2, quiet()));
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!(md.hasCheckpoint() && md.readState().step() >= 10)) {
                    assertTrue(System.nanoTime() < deadline && !run.isDone(), "no checkpoint at step 10 came");
                    Thread.sleep(5);
                }
                long atKill = md.readState().step();
                List<ProcessHandle> executors = ProcessHandle.current().descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("java")).toList();   // local-cluster's executors
                assertEquals(2, executors.size(), "two executor processes");
                executors.get(1).destroyForcibly();
                assertTrue(atKill < steps, "killed before the end (checkpoint at step " + atKill + ")");
                SparkTraining.Result r = run.get();
                assertEquals(steps, r.lastStep());
                assertTrue(r.firstStep() >= 10, "the last attempt resumed from a checkpoint, not from step " + r.firstStep());
            } finally {
                driver.shutdownNow();
            }
        }
        assertBitIdentical(weights(ref.model().namedParameters()), saved(dir), "killed and resumed vs uninterrupted");
        assertEquals(steps, md.readLosses(steps).size(), "one loss row per step");
    }
}
