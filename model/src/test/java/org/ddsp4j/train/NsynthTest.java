package org.ddsp4j.train;

import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NSynth configuration end to end: z encoder + decoder with z, training, checkpoints. */
class NsynthTest {
    @Test
    void builtInConfigRunsForwardOnAShortClip() {
        ModelConfig cfg = ModelConfig.builtIn("nsynth");
        Autoencoder m = new Autoencoder(cfg);
        assertTrue(m.needsAudio());
        assertEquals(16, m.encoder().zDims());
        assertTrue(m.namedParameters().keySet().stream().anyMatch(k -> k.startsWith("encoder.gru.")));
        assertTrue(m.namedParameters().keySet().stream().anyMatch(k -> k.startsWith("decoder.z_stack.")));
        int f = 10, n = f * cfg.hop();
        Tensor f0 = Tensor.full(220f, 1, f), ld = Tensor.full(-30f, 1, f);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / cfg.sampleRate()));
        try (GradMode g = GradMode.off()) {
            Autoencoder.Output o = m.forward(f0, ld, Tensor.of(x, 1, n), true, new SplittableRandom(1));
            assertArrayEquals(new int[] {1, n}, o.audio().shape());
            assertArrayEquals(new int[] {1, f, 100}, o.distribution().shape());
            for (float v : o.audio().data()) assertTrue(Float.isFinite(v));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(f0, ld, true, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("needs the recording"), e.getMessage());
    }

    @Test
    void zChangesTheOutput() {
        ModelConfig cfg = TestConfigs.smallNsynth();
        Autoencoder m = new Autoencoder(cfg);
        int f = 20, n = f * cfg.hop();
        Tensor f0 = Tensor.full(330f, 1, f), ld = Tensor.full(-20f, 1, f);
        Tensor a = Tensor.uniform(new SplittableRandom(1), -0.5f, 0.5f, 1, n);
        float[] sine = new float[n];
        for (int i = 0; i < n; i++) sine[i] = (float) Math.sin(2 * Math.PI * 330 * i / cfg.sampleRate());
        float[] ya = m.forward(f0, ld, a, false, new SplittableRandom(2)).audio().data();
        float[] yb = m.forward(f0, ld, Tensor.of(sine, 1, n), false, new SplittableRandom(2)).audio().data();
        assertFalse(Arrays.equals(ya, yb), "the decoder sees z");
    }

    @Test
    void aFewStepsReduceTheLossAndCheckpointsRoundTrip(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.smallNsynth();
        List<DdspExample> ex = TrainerTest.clip(cfg);
        Trainer t = new Trainer(cfg, new ModelDir(tmp.resolve("m")), ex, List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        double before = t.evaluate(ex);
        t.train(20, 600);
        double after = t.evaluate(ex);
        assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);

        // The checkpoint holds the encoder: a loaded model has the same parameters and renders the same audio.
        Autoencoder loaded = new ModelDir(tmp.resolve("m")).loadModel();
        var mine = t.model().namedParameters();
        assertEquals(mine.keySet(), loaded.namedParameters().keySet());
        for (var e : mine.entrySet()) assertArrayEquals(e.getValue().data(), loaded.namedParameters().get(e.getKey()).data(), e.getKey());
        DdspExample e0 = ex.getFirst();
        float[] y0 = t.model().render(e0.f0Hz(), e0.loudnessDb(), e0.audio(), true, 3);
        float[] y1 = loaded.render(e0.f0Hz(), e0.loudnessDb(), e0.audio(), true, 3);
        // Parameters are bit-identical (above), and so is the audio: the kernels round the same
        // whether the JIT has compiled them or not.
        assertArrayEquals(y0, y1);

        // Module.save / load on a differently seeded model.
        Path w = tmp.resolve("w.safetensors");
        t.model().save(w);
        Autoencoder other = new Autoencoder(cfg.with("train.seed", "99"));
        assertFalse(Arrays.equals(other.namedParameters().get("encoder.dense_out.w").data(), mine.get("encoder.dense_out.w").data()),
                "different seed, different encoder before loading");
        other.load(w);
        assertArrayEquals(y0, other.render(e0.f0Hz(), e0.loudnessDb(), e0.audio(), true, 3));
    }
}
