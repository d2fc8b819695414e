package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class HarmonicSynthTest {
    @Test
    void constantControlsGiveSines() {
        int t = 400, f = 5, k = 3;
        float sr = 16000;
        float[] dist = new float[f * k];
        for (int i = 0; i < f; i++) {
            dist[i * k] = 0.7f;
            dist[i * k + 1] = 0.3f;
            dist[i * k + 2] = 1f; // 9 kHz >= Nyquist: silent
        }
        Tensor f0 = Tensor.full(3000f, 1, f, 1), amp = Tensor.full(0.5f, 1, f, 1), d = Tensor.of(dist, 1, f, k);
        Tensor y = HarmonicSynth.render(f0, amp, d, t, sr), yc = HarmonicSynth.renderComposite(f0, amp, d, t, sr);
        for (int i = 0; i < t; i++) {
            double phi = 2 * Math.PI * 3000 * (i + 1) / sr; // the running sum includes the current sample
            double e = 0.5 * (0.7 * Math.sin(phi) + 0.3 * Math.sin(2 * phi));
            assertEquals(e, y.get(0, i), 1e-5, "fused sample " + i);
            assertEquals(e, yc.get(0, i), 2e-4, "composite sample " + i);
        }
        // Block by block: two halves with the phase carried over equal one render.
        HarmonicSynth.Output first = HarmonicSynth.render(f0, amp, d, null, t / 2, sr);
        HarmonicSynth.Output second = HarmonicSynth.render(f0, amp, d, Tensor.vector(first.finalPhase()), t / 2, sr);
        for (int i = 0; i < t / 2; i++) {
            assertEquals(y.get(0, i), first.audio().get(0, i), 1e-5);
            assertEquals(y.get(0, t / 2 + i), second.audio().get(0, i), 1e-4);
        }
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(4);
        float sr = 800f; // small sample rate keeps phases small for the finite differences
        Tensor f0 = DspTestSupport.uniform(rng, 40f, 90f, 2, 3, 1);
        Tensor amp = DspTestSupport.uniform(rng, 0.2f, 1f, 2, 3, 1);
        Tensor dist = DspTestSupport.uniform(rng, 0f, 1f, 2, 3, 4);
        DspTestSupport.gradCheck("composite", new GradCheck().step(1e-2), in -> HarmonicSynth.renderComposite(in[0], in[1], in[2], 10, sr), f0, amp, dist);
        DspTestSupport.gradCheck("fused", new GradCheck().step(1e-2), in -> HarmonicSynth.render(in[0], in[1], in[2], 10, sr), f0, amp, dist);
        Tensor phase = DspTestSupport.uniform(rng, 0f, 3f, 2);
        DspTestSupport.gradCheck("fused with phase", new GradCheck().step(1e-2),
                in -> HarmonicSynth.render(in[0], in[1], in[2], in[3], 10, sr).audio(), f0, amp, dist, phase);
    }

    @Test
    void fusedMatchesComposite() {
        SplittableRandom rng = new SplittableRandom(8);
        int b = 3, f = 6, k = 20, t = 250;
        float sr = 16000f;
        Tensor f0 = Tensor.uniform(rng, 100f, 900f, b, f, 1), amp = Tensor.uniform(rng, 0f, 1f, b, f, 1);
        Tensor dist = Tensor.uniform(rng, 0f, 0.1f, b, f, k);
        DspTestSupport.assertClose(HarmonicSynth.renderComposite(f0, amp, dist, t, sr).data(),
                HarmonicSynth.render(f0, amp, dist, t, sr).data(), 1e-4, "fused vs composite");
    }
}
