package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training is a function of the seed and the data alone: the same steps on 1, 2, 3 or 4 threads
 * give bit-identical weights and losses (reductions are cut into chunks fixed by the sizes, not by
 * the threads, and the kernels round the same in every JIT tier).
 */
class DeterminismTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** The weights after training and the loss history. */
    record Run(Map<String, float[]> weights, List<Double> losses) {}

    static Run train(ModelConfig cfg, int threads, int steps, Path dir) throws Exception {
        Parallel.setThreads(threads);
        Trainer t = new Trainer(cfg, new ModelDir(dir), TrainerTest.clip(cfg), List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        Trainer.Result r = t.train(steps, 600);
        Map<String, float[]> w = new LinkedHashMap<>();
        t.model().namedParameters().forEach((k, v) -> w.put(k, v.data().clone()));
        List<Double> losses = new ArrayList<>();
        for (double[] l : r.losses()) losses.add(l[1]);
        return new Run(w, losses);
    }

    static void assertBitIdentical(Run a, Run b, String what) {
        assertEquals(a.weights().keySet(), b.weights().keySet(), what);
        for (String k : a.weights().keySet()) assertArrayEquals(a.weights().get(k), b.weights().get(k), 0f, what + ": " + k);
        assertEquals(a.losses(), b.losses(), what + ": loss history");
    }

    @Test
    void oneThreadAndTwoThreadsGiveBitIdenticalWeightsAfterFiveSteps(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        Run one = train(cfg, 1, 5, tmp.resolve("1"));
        assertBitIdentical(one, train(cfg, 2, 5, tmp.resolve("2")), "1 vs 2 threads");
        assertBitIdentical(one, train(cfg, 3, 5, tmp.resolve("3")), "1 vs 3 threads");
        assertBitIdentical(one, train(cfg, 4, 5, tmp.resolve("4")), "1 vs 4 threads");
    }

    /** A batch large enough that the synthesizers, the reverb and the loss split their rows over the threads. */
    @Test
    void largerBatchesSplitAcrossThreadsAndStillAgree(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small().with(List.of("train.batch=8", "reverb.taps=1024"));
        Run one = train(cfg, 1, 3, tmp.resolve("1"));
        assertBitIdentical(one, train(cfg, 2, 3, tmp.resolve("2")), "1 vs 2 threads");
        assertBitIdentical(one, train(cfg, 3, 3, tmp.resolve("3")), "1 vs 3 threads");
    }
}
