package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class OscillatorBankTest {
    /** Linear upsampling, align-corners, of x[off + f * stride] (f < nFrames) at sample t, in double. */
    static double up(float[] x, int off, int stride, int t, int nFrames, int nSamples) {
        if (nFrames == 1 || nSamples == 1) return x[off];
        double pos = t * (double) (nFrames - 1) / (nSamples - 1);
        int i0 = Math.min((int) pos, nFrames - 2);
        double w = pos - i0;
        return (1 - w) * x[off + i0 * stride] + w * x[off + (i0 + 1) * stride];
    }

    /** Naive double reference: explicit loops, Math.sin, unwrapped phase. */
    static double[] naive(float[] freq, float[] amp, float[] phi0, int b, int f, int k, int t, double sr) {
        double[] y = new double[b * t];
        for (int r = 0; r < b; r++) {
            for (int o = 0; o < k; o++) {
                double phase = phi0 == null ? 0 : phi0[r * k + o];
                for (int s = 0; s < t; s++) {
                    double hz = up(freq, r * f * k + o, k, s, f, t);
                    phase += 2 * Math.PI * hz / sr;
                    if (Math.abs(hz) < sr / 2) y[r * t + s] += up(amp, r * f * k + o, k, s, f, t) * Math.sin(phase);
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesNaive() {
        SplittableRandom rng = new SplittableRandom(3);
        int b = 2, f = 6, k = 5, t = 300;
        float sr = 16000f;
        Tensor freq = Tensor.uniform(rng, 50f, 9000f, b, f, k); // some above Nyquist
        Tensor amp = Tensor.uniform(rng, 0f, 1f, b, f, k);
        Tensor phi0 = Tensor.uniform(rng, -3f, 3f, b, k);
        OscillatorBank.Output o = OscillatorBank.render(freq, amp, phi0, t, sr);
        assertArrayEquals(new int[] {b, t}, o.audio().shape());
        double[] ref = naive(freq.data(), amp.data(), phi0.data(), b, f, k, t, sr);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], o.audio().data()[i], 1e-4, "sample " + i);
        double[] ref0 = naive(freq.data(), amp.data(), null, b, f, k, t, sr);
        float[] y0 = OscillatorBank.render(freq, amp, t, sr).data();
        for (int i = 0; i < ref0.length; i++) assertEquals(ref0[i], y0[i], 1e-4, "zero phase, sample " + i);
    }

    @Test
    void blocksContinueWithTheFinalPhase() {
        SplittableRandom rng = new SplittableRandom(5);
        int t = 200;
        Tensor freq = Tensor.uniform(rng, 100f, 2000f, 1, 1, 3), amp = Tensor.uniform(rng, 0.1f, 1f, 1, 1, 3);
        float[] whole = OscillatorBank.render(freq, amp, t, 16000f).data();
        OscillatorBank.Output a = OscillatorBank.render(freq, amp, null, t / 2, 16000f);
        OscillatorBank.Output c = OscillatorBank.render(freq, amp, Tensor.of(a.finalPhase(), 1, 3), t / 2, 16000f);
        for (int i = 0; i < t / 2; i++) {
            assertEquals(whole[i], a.audio().data()[i], 1e-5);
            assertEquals(whole[t / 2 + i], c.audio().data()[i], 1e-4);
        }
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(4);
        float sr = 800f; // small sample rate keeps phases small for the finite differences
        Tensor freq = DspTestSupport.uniform(rng, 40f, 90f, 2, 3, 4);
        Tensor amp = DspTestSupport.uniform(rng, 0.2f, 1f, 2, 3, 4);
        DspTestSupport.gradCheck("bank", new GradCheck().step(1e-2), in -> OscillatorBank.render(in[0], in[1], 10, sr), freq, amp);
        Tensor phase = DspTestSupport.uniform(rng, 0f, 3f, 2, 4);
        DspTestSupport.gradCheck("bank with phase", new GradCheck().step(1e-2),
                in -> OscillatorBank.render(in[0], in[1], in[2], 10, sr).audio(), freq, amp, phase);
    }

    @Test
    void badShapesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> OscillatorBank.render(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 2, 4), 10, 16000f));
        assertTrue(e.getMessage().contains("[1, 2, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OscillatorBank.render(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 2, 3), Tensor.zeros(2), 10, 16000f));
    }
}
