package org.ddsp4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adam's update, clipping and schedule against closed-form values computed here in double. */
class AdamTest {
    private static Map<String, Tensor> params(Tensor... ts) {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < ts.length; i++) m.put("p" + i, ts[i].requiresGrad(true));
        return m;
    }

    @Test
    void firstStepsMatchClosedForm() {
        Tensor p = Tensor.vector(1f, -2f, 0.5f);
        Adam adam = new Adam(params(p), Adam.Config.defaults().withLearningRate(0.1f).withClipNorm(Float.POSITIVE_INFINITY));
        double[] w = {1, -2, 0.5}, m = new double[3], v = new double[3];
        double[][] grads = {{0.3, -0.1, 2.0}, {-0.2, 0.05, 1.0}, {0.1, 0.1, -0.5}};
        for (int s = 0; s < grads.length; s++) {
            p.zeroGrad();
            float[] g = new float[3];
            for (int j = 0; j < 3; j++) g[j] = (float) grads[s][j];
            p.accumulateGrad(g);
            adam.step();
            int t = s + 1;
            double lr = 0.1 * Math.pow(0.98, s / 10000.0);
            for (int j = 0; j < 3; j++) {
                m[j] = 0.9 * m[j] + 0.1 * grads[s][j];
                v[j] = 0.999 * v[j] + 0.001 * grads[s][j] * grads[s][j];
                double mh = m[j] / (1 - Math.pow(0.9, t)), vh = v[j] / (1 - Math.pow(0.999, t));
                // Keras form: eps is added to sqrt(v) before bias correction, i.e. eps / sqrt(1 - b2^t) here.
                w[j] -= lr * mh / (Math.sqrt(vh) + 1e-7 / Math.sqrt(1 - Math.pow(0.999, t)));
                assertEquals(w[j], p.data()[j], 2e-6, "step " + t + " element " + j);
            }
        }
        // The first step of Adam moves every coordinate by ~lr * sign(g).
        assertEquals(3, adam.stepCount());
    }

    @Test
    void clipsByGlobalNorm() {
        Tensor a = Tensor.vector(0f, 0f), b = Tensor.vector(0f);
        Adam adam = new Adam(params(a, b), Adam.Config.defaults().withClipNorm(3f).withBetas(0f, 0f, 1e-7f));
        // With beta1 = beta2 = 0 the update is lr * g / (|g| + eps): its sign shows the direction, and
        // the returned norm is the unclipped one.
        a.accumulateGrad(new float[] {6f, 8f});  // norm 10 together with b's 0
        b.accumulateGrad(new float[] {0f});
        assertEquals(10.0, adam.step(), 1e-9);
        assertEquals(-1e-3f, a.data()[0], 1e-7f);
        assertEquals(-1e-3f, a.data()[1], 1e-7f);
        // Clipping scales all gradients by 3/10: visible through Adam's second moment with beta2 > 0.
        Tensor c = Tensor.vector(0f, 0f);
        Adam clipped = new Adam(params(c), Adam.Config.defaults().withClipNorm(3f));
        c.accumulateGrad(new float[] {6f, 8f});
        clipped.step();
        Map<String, Tensor> st = clipped.exportState();
        assertArrayEquals(new float[] {0.1f * 1.8f, 0.1f * 2.4f}, st.get("m.p0").data(), 1e-6f);
        assertArrayEquals(new float[] {0.001f * 1.8f * 1.8f, 0.001f * 2.4f * 2.4f}, st.get("v.p0").data(), 1e-7f);
        // Below the clip norm nothing is scaled.
        Tensor d = Tensor.vector(0f);
        Adam loose = new Adam(params(d), Adam.Config.defaults().withClipNorm(3f));
        d.accumulateGrad(new float[] {2f});
        loose.step();
        assertArrayEquals(new float[] {0.2f}, loose.exportState().get("m.p0").data(), 1e-7f);
    }

    @Test
    void learningRateSchedule() {
        Adam smooth = new Adam(params(Tensor.vector(0f)), Adam.Config.defaults());
        assertEquals(1e-3f, smooth.learningRate(0), 0f);
        assertEquals(1e-3 * 0.98, smooth.learningRate(10_000), 1e-10);
        assertEquals(1e-3 * Math.pow(0.98, 0.5), smooth.learningRate(5_000), 1e-10);
        assertEquals(1e-3 * Math.pow(0.98, 25), smooth.learningRate(250_000), 1e-3 * 1e-6);  // 0.98f is not 0.98
        Adam stair = new Adam(params(Tensor.vector(0f)), Adam.Config.defaults().withDecay(100, 0.5f, true));
        assertEquals(1e-3f, stair.learningRate(99), 0f);
        assertEquals(5e-4f, stair.learningRate(100), 0f);
        assertEquals(2.5e-4f, stair.learningRate(250), 0f);
        assertThrows(IllegalArgumentException.class, () -> Adam.Config.defaults().withDecay(0, 0.5f, false));
    }

    @Test
    void stateRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Tensor p = Tensor.vector(1f, 2f);
        Adam a = new Adam(params(p), Adam.Config.defaults());
        for (int i = 0; i < 3; i++) {
            p.zeroGrad();
            p.accumulateGrad(new float[] {0.5f, -1f + i});
            a.step();
        }
        Path f = dir.resolve("adam.safetensors");
        a.saveState(f);
        Tensor q = Tensor.vector(p.data().clone());
        Adam b = new Adam(params(q), Adam.Config.defaults());
        b.loadState(f);
        assertEquals(3, b.stepCount());
        // Both continue identically.
        for (Tensor t : new Tensor[] {p, q}) {
            t.zeroGrad();
            t.accumulateGrad(new float[] {0.25f, 0.75f});
        }
        a.step();
        b.step();
        assertArrayEquals(p.data(), q.data(), 0f);
        Adam other = new Adam(params(Tensor.vector(1f, 2f, 3f)), Adam.Config.defaults());
        assertThrows(java.io.IOException.class, () -> other.loadState(f));
        Files.deleteIfExists(f);
    }

    @Test
    void warmupRampsTheRateLinearlyThenFollowsTheDecay() {
        Adam a = new Adam(java.util.Map.of("w", Tensor.of(new float[] {1f}, 1)),
                Adam.Config.defaults().withLearningRate(1e-3f).withDecay(100, 0.5f, false)).setWarmup(4);
        assertEquals(1e-3 * Math.pow(0.5, 0 / 100.0) * 0.25, a.learningRate(0), 1e-10);
        assertEquals(1e-3 * Math.pow(0.5, 1 / 100.0) * 0.5, a.learningRate(1), 1e-10);
        assertEquals(1e-3 * Math.pow(0.5, 3 / 100.0), a.learningRate(3), 1e-10);
        assertEquals(1e-3 * 0.5, a.learningRate(100), 1e-10);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> a.setWarmup(-1));
    }

    @Test
    void aSchedulePositionMovesTheDecayButNotTheWarmupOrTheBiasCorrection() {
        Adam a = new Adam(java.util.Map.of("w", Tensor.of(new float[] {1f}, 1)),
                Adam.Config.defaults().withLearningRate(1e-3f).withDecay(100, 0.5f, false)).setWarmup(4);
        assertEquals(1e-3 * 0.25 * 0.25, a.learningRate(0, 200), 1e-10, "warm-up by updates, decay by position");
        // The first update with the schedule at 100 steps: half the rate, Adam's first-step size (about lr * sign(g)).
        Tensor w = Tensor.of(new float[] {1f}, 1);
        Adam b = new Adam(java.util.Map.of("w", w), Adam.Config.defaults().withLearningRate(1e-3f).withDecay(100, 0.5f, false));
        w.gradBuffer()[0] = 2f;
        b.setSchedulePosition(100).step();
        assertEquals(1f - 0.5e-3f, w.data()[0], 1e-7f);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.setSchedulePosition(-1));
    }
}
