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
        Tensor y = HarmonicSynth.render(Tensor.full(3000f, 1, f, 1), Tensor.full(0.5f, 1, f, 1), Tensor.of(dist, 1, f, k), t, sr);
        for (int i = 0; i < t; i++) {
            double phi = 2 * Math.PI * 3000 * (i + 1) / sr; // the running sum includes the current sample
            double e = 0.5 * (0.7 * Math.sin(phi) + 0.3 * Math.sin(2 * phi));
            assertEquals(e, y.get(0, i), 2e-4, "sample " + i);
        }
    }

    @Test
    void gradients() {
        SplittableRandom rng = new SplittableRandom(4);
        float sr = 800f; // small sample rate keeps phases small for the finite differences
        Tensor f0 = DspTestSupport.uniform(rng, 40f, 90f, 2, 3, 1);
        Tensor amp = DspTestSupport.uniform(rng, 0.2f, 1f, 2, 3, 1);
        Tensor dist = DspTestSupport.uniform(rng, 0f, 1f, 2, 3, 4);
        DspTestSupport.gradCheck("harmonic", new GradCheck().step(1e-2), in -> HarmonicSynth.render(in[0], in[1], in[2], 10, sr), f0, amp, dist);
    }
}
