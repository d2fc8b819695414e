package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch computed in parts (train.micro_batches; data-parallel workers) is the same batch: the loss is the mean of
 * the parts' losses and the gradient the mean of their gradients, to float rounding, with every row's noise as
 * the whole batch draws it.
 */
class MicroBatchTest {
    static Map<String, float[]> gradients(Autoencoder m, SpectralLoss loss, List<DdspExample> ex, int[] idx, int first, int total,
                                          double[] lossOut) {
        Tensor[] in = Trainer.stack(ex, idx);
        SplittableRandom rng = new SplittableRandom(99);
        m.zeroGrad();
        Autoencoder.Output o = ScopedValue.where(FilteredNoise.SHARD, new FilteredNoise.Shard(first, total))
                .call(() -> m.forward(in[0], in[1], in[2], true, rng));
        Tensor l = loss.loss(in[2], o.audio());
        l.backward();
        lossOut[0] = l.item();
        Map<String, float[]> g = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> g.put(k, v.grad().clone()));
        return g;
    }

    @Test
    void theBatchGradientIsTheMeanOfItsHalves() {
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4");
        List<DdspExample> ex = TrainerTest.clip(cfg);
        assertTrue(ex.size() >= 4);
        Autoencoder m = new Autoencoder(cfg);
        SpectralLoss loss = Trainer.spectralLoss(cfg);
        double[] lw = new double[1], la = new double[1], lb = new double[1];
        Map<String, float[]> whole = gradients(m, loss, ex, new int[] {0, 1, 2, 3}, 0, 4, lw);
        Map<String, float[]> a = gradients(m, loss, ex, new int[] {0, 1}, 0, 4, la);
        Map<String, float[]> b = gradients(m, loss, ex, new int[] {2, 3}, 2, 4, lb);
        assertEquals(lw[0], (la[0] + lb[0]) / 2, 1e-6 * lw[0], "loss");
        assertTrue(Math.abs(la[0] - lb[0]) > 1e-4 * lw[0], "the halves differ, so the test can fail");
        for (String k : whole.keySet()) {
            float[] w = whole.get(k), x = a.get(k), y = b.get(k);
            double scale = 0, worst = 0;
            for (int i = 0; i < w.length; i++) {
                scale = Math.max(scale, Math.abs(w[i]));
                worst = Math.max(worst, Math.abs(w[i] - (x[i] + y[i]) / 2));
            }
            assertTrue(worst <= 1e-5 * scale + 1e-9, k + ": gradient differs by " + worst + " (largest " + scale + ")");
        }
    }

    @Test
    void trainingInMicroBatchesFollowsTheWholeBatchAtTheFirstStep(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small().with("train.batch", "4");
        List<DdspExample> ex = TrainerTest.clip(cfg);
        double whole = firstLoss(cfg, ex, tmp.resolve("1")), parts = firstLoss(cfg.with("train.micro_batches", "2"), ex, tmp.resolve("2"));
        assertEquals(whole, parts, 1e-6 * whole);
    }

    static double firstLoss(ModelConfig cfg, List<DdspExample> ex, Path dir) throws Exception {
        Trainer t = new Trainer(cfg, new ModelDir(dir), ex, List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        return t.train(1, 60).losses().getFirst()[1];
    }

    @Test
    void aBatchThatDoesNotSplitIsRefused(@TempDir Path tmp) {
        ModelConfig cfg = TestConfigs.small().setAll(List.of("train.batch=3", "train.micro_batches=2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(cfg, new ModelDir(tmp), TrainerTest.clip(cfg), List.of(), false));
        assertTrue(e.getMessage().contains("train.batch 3"), e.getMessage());
    }
}
