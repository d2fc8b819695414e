package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In steady state a training step takes its large arrays from the last step's (StepArrays), and the results do not change. */
class StepAllocationTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threadsBefore);
    }

    /**
     * After the first step no pooled array is new, and the pool serves most of a step's tensor floats (the rest are
     * small or made on worker threads). Counted by the pool, not by the JVM, whose figure for a small model is
     * dominated by the interpreter's Vector API boxes until the JIT has compiled the kernels.
     */
    @Test
    void afterTheFirstStepTheLargeArraysAllComeFromThePool(@TempDir Path tmp) throws Exception {
        Parallel.setThreads(1);
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4");
        List<DdspExample> ex = TrainerTest.clip(cfg);
        Trainer t = new Trainer(cfg, new ModelDir(tmp), ex, List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        t.trainStep();
        long new0 = t.stepArrays().newFloats(), reused0 = t.stepArrays().reusedFloats(), floats0 = Tensor.floatsMade();
        for (int i = 0; i < 5; i++) t.trainStep();
        long reused = t.stepArrays().reusedFloats() - reused0, made = Tensor.floatsMade() - floats0;
        assertEquals(new0, t.stepArrays().newFloats(), "no new pooled array after the first step");
        assertTrue(reused > 0.7 * made, "the pool served " + reused + " of the " + made + " tensor floats of 5 steps");
    }

    @Test
    void reusedArraysGiveTheSameWeightsAsNewOnes(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4").with("train.checkpoint_every", "1");
        List<DdspExample> ex = TrainerTest.clip(cfg);
        Trainer a = new Trainer(cfg, new ModelDir(tmp.resolve("a")), ex, List.of(), false);
        a.setLog(new PrintStream(OutputStream.nullOutputStream()));
        a.train(6, 600);
        // The same six steps, each in a fresh trainer (resumed from disk), so no array is ever reused.
        for (int s = 1; s <= 6; s++) {
            Trainer b = new Trainer(cfg, new ModelDir(tmp.resolve("b")), ex, List.of(), s > 1);
            b.setLog(new PrintStream(OutputStream.nullOutputStream()));
            b.train(s, 600);
        }
        var wa = a.model().namedParameters();
        var wb = new ModelDir(tmp.resolve("b")).loadModel().namedParameters();
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).data(), wb.get(k).data(), 0f, k);
    }
}
