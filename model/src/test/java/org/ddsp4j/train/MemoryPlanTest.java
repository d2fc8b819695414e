package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory plan is what training does: a real step makes the tensors the probe predicted, and parts divide them. */
class MemoryPlanTest {
    static long stepFloats(ModelConfig cfg, List<DdspExample> ex, Path dir) throws Exception {
        Trainer t = new Trainer(cfg, new ModelDir(dir), ex, List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        t.trainStep();   // the first step allocates the parameters' gradients once
        long before = Tensor.floatsMade();
        t.trainStep();
        return Tensor.floatsMade() - before;
    }

    @Test
    void aTrainingStepMakesTheTensorsThePlanSays(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4");
        List<DdspExample> ex = TrainerTest.clip(cfg);
        MemoryPlan plan = MemoryPlan.of(cfg, ex.size(), 1);
        long measured = 4 * stepFloats(cfg, ex, tmp.resolve("a"));
        assertEquals(4, plan.rows());
        // The probe has no parameter gradients to allocate after the first step; the step's own tensors match.
        assertTrue(measured <= plan.stepBytes() && measured > 0.8 * plan.stepBytes(),
                "a step made " + measured + " bytes of tensors, the plan says " + plan.stepBytes());
    }

    @Test
    void microBatchesAndWorkersDivideAStepsTensors() {
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4");
        long whole = MemoryPlan.of(cfg, 10, 1).stepBytes();
        assertEquals(whole / 2, MemoryPlan.of(cfg.with("train.micro_batches", "2"), 10, 1).stepBytes(), whole * 0.01);
        assertEquals(whole / 4, MemoryPlan.of(cfg, 10, 4).stepBytes(), whole * 0.01);
        MemoryPlan p = MemoryPlan.of(cfg, 10, 1);
        assertTrue(p.peakBytes() > p.stepBytes() + p.weightsBytes() && p.heapMb() << 20 >= p.peakBytes());
        assertTrue(p.describe().contains("expected peak memory"), p.describe());
    }
}
