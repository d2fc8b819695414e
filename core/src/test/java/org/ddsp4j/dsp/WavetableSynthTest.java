package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class WavetableSynthTest {
    /** Naive double reference: phase in cycles, explicit interpolation in time and in the table. */
    static double[] naive(float[] table, float[] f0, float[] amp, float[] phi0, int b, int f, int w, int t, double sr) {
        double[] y = new double[b * t];
        for (int r = 0; r < b; r++) {
            double cycles = (phi0 == null ? 0 : phi0[r]) / (2 * Math.PI);
            for (int s = 0; s < t; s++) {
                cycles += OscillatorBankTest.up(f0, r * f, 1, s, f, t) / sr;
                double x = (cycles - Math.floor(cycles)) * w;
                int n0 = Math.min((int) Math.floor(x), w - 1), n1 = (n0 + 1) % w;
                double frac = x - n0;
                double v0 = OscillatorBankTest.up(table, r * f * w + n0, w, s, f, t);
                double v1 = OscillatorBankTest.up(table, r * f * w + n1, w, s, f, t);
                y[r * t + s] = OscillatorBankTest.up(amp, r * f, 1, s, f, t) * ((1 - frac) * v0 + frac * v1);
            }
        }
        return y;
    }

    @Test
    void forwardMatchesNaive() {
        SplittableRandom rng = new SplittableRandom(7);
        int b = 2, f = 5, w = 32, t = 400;
        float sr = 16000f;
        Tensor table = Tensor.uniform(rng, -1f, 1f, b, f, w), f0 = Tensor.uniform(rng, 50f, 2000f, b, f, 1);
        Tensor amp = Tensor.uniform(rng, 0f, 1f, b, f, 1), phi0 = Tensor.uniform(rng, -4f, 4f, b);
        WavetableSynth.Output o = WavetableSynth.render(table, f0, amp, phi0, t, sr);
        assertArrayEquals(new int[] {b, t}, o.audio().shape());
        double[] ref = naive(table.data(), f0.data(), amp.data(), phi0.data(), b, f, w, t, sr);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], o.audio().data()[i], 1e-5, "sample " + i);
        float[] y0 = WavetableSynth.render(table, f0, amp, t, sr).data();
        double[] ref0 = naive(table.data(), f0.data(), amp.data(), null, b, f, w, t, sr);
        for (int i = 0; i < ref0.length; i++) assertEquals(ref0[i], y0[i], 1e-5, "zero phase, sample " + i);
    }

    @Test
    void sineTableMatchesASine() {
        int w = 1024, t = 500;
        float[] tab = new float[2 * w];
        for (int i = 0; i < 2 * w; i++) tab[i] = (float) Math.sin(2 * Math.PI * (i % w) / w);
        float[] y = WavetableSynth.render(Tensor.of(tab, 1, 2, w), Tensor.full(441f, 1, 2, 1), Tensor.full(0.5f, 1, 2, 1), t, 16000f).data();
        // Linear interpolation of a 1024-point sine: error <= (2 pi / 1024)^2 / 8 ~ 5e-6 (times 0.5).
        for (int i = 0; i < t; i++) assertEquals(0.5 * Math.sin(2 * Math.PI * 441 * (i + 1) / 16000.0), y[i], 1e-5, "sample " + i);
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(9);
        // Low rates: f0 perturbations move the phase far less than one table cell (the reading is piecewise linear).
        float sr = 100f;
        Tensor table = DspTestSupport.uniform(rng, -1f, 1f, 2, 3, 8);
        Tensor f0 = DspTestSupport.uniform(rng, 3f, 8f, 2, 3, 1);
        Tensor amp = DspTestSupport.uniform(rng, 0.2f, 1f, 2, 3, 1);
        Tensor phase = DspTestSupport.uniform(rng, 0f, 3f, 2);
        DspTestSupport.gradCheck("wavetable", new GradCheck().step(1e-3),
                in -> WavetableSynth.render(in[0], in[1], in[2], 12, sr), table, f0, amp);
        DspTestSupport.gradCheck("wavetable with phase", new GradCheck().step(1e-3),
                in -> WavetableSynth.render(in[0], in[1], in[2], in[3], 12, sr).audio(), table, f0, amp, phase);
    }

    @Test
    void badShapesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> WavetableSynth.render(Tensor.zeros(1, 3, 8), Tensor.zeros(1, 2, 1), Tensor.zeros(1, 2, 1), 10, 16000f));
        assertTrue(e.getMessage().contains("[1, 3, 8]"), e.getMessage());
    }
}
