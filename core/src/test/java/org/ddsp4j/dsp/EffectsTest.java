package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Reverb, ExpDecayReverb, FilteredNoiseReverb and ModDelay. */
class EffectsTest {
    private final SplittableRandom rng = new SplittableRandom(21);

    private static float[] delayed(float[] x, int batch, int t, int d, float gain, boolean dry) {
        float[] y = new float[batch * t];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < t; i++) y[b * t + i] = (dry ? x[b * t + i] : 0f) + (i >= d ? gain * x[b * t + i - d] : 0f);
        return y;
    }

    @Test
    void reverbWithUnitImpulseIsDelayPlusDry() {
        int batch = 2, t = 300, n = 64, d = 37;
        Tensor x = Tensor.uniform(rng, -1, 1, batch, t);
        float[] ir = new float[n];
        ir[d] = 1f;
        ir[0] = 5f; // tap 0 is masked: must not double the dry path
        assertArrayEquals(delayed(x.data(), batch, t, d, 1f, true), Reverb.apply(x, Tensor.of(ir, 1, n), true).data(), 1e-5f);
        assertArrayEquals(delayed(x.data(), batch, t, d, 1f, false), Reverb.apply(x, Tensor.of(ir, 1, n), false).data(), 1e-5f);
        // Per-row IRs.
        float[] irs = new float[2 * n];
        irs[3] = 1f;
        irs[n + 10] = 0.5f;
        float[] y = Reverb.apply(x, Tensor.of(irs, 2, n), true).data();
        float[] e0 = delayed(x.data(), batch, t, 3, 1f, true), e1 = delayed(x.data(), batch, t, 10, 0.5f, true);
        for (int i = 0; i < t; i++) {
            assertEquals(e0[i], y[i], 1e-5);
            assertEquals(e1[t + i], y[t + i], 1e-5);
        }
    }

    @Test
    void expDecayEnvelope() {
        int n = 101;
        Tensor ones = Tensor.ones(1, n);
        Tensor ir = ExpDecayReverb.impulseResponse(Tensor.of(new float[] {0.5f, 2f}, 2, 1), Tensor.of(new float[] {3f, 10f}, 2, 1), ones);
        for (int i = 0; i < n; i++) {
            double ti = i / 100.0;
            assertEquals(0.5 * Math.exp(-3 * ti), ir.get(0, i), 1e-6);
            assertEquals(2 * Math.exp(-10 * ti), ir.get(1, i), 1e-6);
        }
        // ddsp's initial parameters: gain = expSigmoid(2), rate = 2 + e^4.
        assertEquals(Conversions.expSigmoid(2f, 10, 2, 1e-7f), ExpDecayReverb.gain(Tensor.scalar(2f)).item(), 1e-6);
        assertEquals(2 + Math.exp(4), ExpDecayReverb.decayRate(Tensor.scalar(4f)).item(), 1e-3);
    }

    @Test
    void anInitialT60GivesAnImpulseResponseThatDecays60DbInThatTime() {
        int sr = 16000, taps = 16000;
        for (double t60 : new double[] {0.3, 1.0, 2.0}) {
            Tensor rate = ExpDecayReverb.decayRate(Tensor.scalar(ExpDecayReverb.rawDecayFor(t60, taps, sr)).reshape(1, 1));
            float[] h = ExpDecayReverb.impulseResponse(Tensor.of(new float[] {1f}, 1, 1), rate, Tensor.ones(1, taps)).data();
            // The envelope in dB falls 60 dB (in energy) after t60 seconds.
            int at = (int) Math.round(t60 * sr);
            double db = at < taps ? 20 * Math.log10(h[at] / h[0]) : 20 * Math.log10(h[taps - 1] / h[0]) * at / (taps - 1);
            assertEquals(-60, db, 0.1, "T60 " + t60);
        }
        assertEquals(3 * Math.log(10) / 2, ExpDecayReverb.longestT60(taps, sr), 1e-9, "a rate of 2 nepers per IR length");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ExpDecayReverb.rawDecayFor(3.5, taps, sr));
    }

    @Test
    void modDelayShiftsByWholeAndFractionalSamples() {
        int batch = 2, t = 50;
        float sr = 1000f; // 1 ms = 1 sample
        Tensor x = Tensor.uniform(rng, -1, 1, batch, t);
        Tensor y = ModDelay.apply(x, Tensor.full(3f, 1, 1), Tensor.full(0.5f, 1, 1), sr, true);
        assertArrayEquals(delayed(x.data(), batch, t, 3, 0.5f, true), y.data(), 1e-6f);
        Tensor frac = ModDelay.apply(x, Tensor.full(2.25f, batch, t), Tensor.full(1f, batch, 1), sr, false);
        float[] xd = x.data();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < t; i++) {
                float x2 = i >= 2 ? xd[b * t + i - 2] : 0f, x3 = i >= 3 ? xd[b * t + i - 3] : 0f;
                assertEquals(0.75f * x2 + 0.25f * x3, frac.get(b, i), 1e-6, "sample " + i);
            }
        assertArrayEquals(new float[] {10f, 15f}, ModDelay.delayFromPhase(Tensor.vector(0f, 0.5f), 10f, 10f).data(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> ModDelay.apply(x, Tensor.full(-1f, 1, 1), Tensor.ones(1, 1), sr, true));
        assertThrows(IllegalArgumentException.class, () -> ModDelay.apply(x, Tensor.ones(3, 1), Tensor.ones(1, 1), sr, true));
    }

    @Test
    void gradients() {
        DspTestSupport.gradCheck("reverb", in -> Reverb.apply(in[0], in[1], true),
                DspTestSupport.uniform(rng, -1, 1, 2, 20), DspTestSupport.uniform(rng, -1, 1, 1, 8));
        DspTestSupport.gradCheck("expDecay", in -> ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(in[0]), ExpDecayReverb.decayRate(in[1]),
                Tensor.uniform(new SplittableRandom(1), -1, 1, 1, 12)),
                DspTestSupport.uniform(rng, -1, 2, 2, 1), DspTestSupport.uniform(rng, 0, 2, 2, 1));
        DspTestSupport.gradCheck("filteredNoiseReverb", in -> Reverb.apply(in[0],
                        FilteredNoiseReverb.impulseResponse(FilteredNoiseReverb.magnitudes(in[1], 0f), 16, 0, new SplittableRandom(3)), true),
                DspTestSupport.uniform(rng, -1, 1, 1, 24), DspTestSupport.uniform(rng, -1, 1, 1, 4, 5));
        // Non-power-of-two band count (ddsp's 16 bands) runs through the matrix path.
        DspTestSupport.gradCheck("16 bands", in -> FilteredNoiseReverb.impulseResponse(in[0], 60, 0, new SplittableRandom(3)),
                DspTestSupport.uniform(rng, 0, 1, 1, 2, 16));
        // Mod delay: fractional delays away from whole samples (sr 1000 Hz: 1 ms = 1 sample).
        float[] delays = new float[2 * 16];
        for (int i = 0; i < delays.length; i++) delays[i] = 1.2f + 0.06f * ((i * 7) % 10) + (i % 2) * 2f; // fractions 0.2..0.74
        DspTestSupport.gradCheck("modDelay", in -> ModDelay.apply(in[0], in[1], in[2], 1000f, true),
                DspTestSupport.uniform(rng, -1, 1, 2, 16), Tensor.of(delays, 2, 16).requiresGrad(true), DspTestSupport.uniform(rng, 0, 1, 2, 16));
        DspTestSupport.gradCheck("modDelay shared controls", in -> ModDelay.apply(in[0], in[1], in[2], 1000f, false),
                DspTestSupport.uniform(rng, -1, 1, 3, 10), Tensor.of(new float[] {2.4f}, 1, 1).requiresGrad(true), DspTestSupport.uniform(rng, 0, 1, 1, 1));
    }
}
