package org.ddsp4j.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each processor's per-frame forms equal its tensor forms; the DSP does what it says in numbers. */
class ProcessorsTest {
    private static final int SR = 16000, HOP = 64, F = 40;

    private static Tensor randomRaw(int f, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[f * n];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * 3);
        return Tensor.of(d, 1, f, n);
    }

    private static Tensor glide(int f) {
        float[] d = new float[f];
        for (int i = 0; i < f; i++) d[i] = i < 5 ? 0f : (float) (200 + 100 * i);   // unvoiced, then up past Nyquist / K
        return Tensor.of(d, 1, f, 1);
    }

    private static void checkControls(Synthesizer s) {
        try (GradMode g = GradMode.off()) {
            Tensor raw = randomRaw(F, s.rawSize(), 3), f0 = glide(F);
            float[] tensor = s.controls(raw, f0).data(), frame = new float[F * s.controlSize()];
            for (int k = 0; k < F; k++) s.controls(raw.data(), k * s.rawSize(), f0.data()[k], frame, k * s.controlSize());
            for (int i = 0; i < tensor.length; i++) {
                assertEquals(tensor[i], frame[i], 1e-6f * Math.max(1f, Math.abs(tensor[i])), s.name() + " control " + i);
            }
        }
    }

    private static void checkVoice(Synthesizer s, long seed) {
        try (GradMode g = GradMode.off()) {
            Tensor raw = randomRaw(F, s.rawSize(), 4), f0 = glide(F);
            Tensor ctl = s.controls(raw, f0);
            float[] ref = s.render(f0, ctl, new SplittableRandom(seed)).data();
            Synthesizer.Voice v = s.newVoice(seed);
            float[] out = new float[F * HOP];
            int c = s.controlSize();
            for (int k = 0; k < F; k++) {
                boolean last = k == F - 1;
                v.render(f0.data()[k], ctl.data(), k * c, f0.data()[last ? k : k + 1], ctl.data(), (last ? k : k + 1) * c, last, out, k * HOP);
            }
            double peak = 0, err = 0;
            for (int i = 0; i < ref.length; i++) {
                peak = Math.max(peak, Math.abs(ref[i]));
                err = Math.max(err, Math.abs(ref[i] - out[i]));
            }
            assertTrue(peak > 1e-4 && err <= 1e-5 * peak, s.name() + ": voice vs render max error " + err + ", peak " + peak);
        }
    }

    @Test
    void harmonicFormsAgree() {
        HarmonicSynthesizer h = new HarmonicSynthesizer(20, SR, HOP, -1.5f);
        checkControls(h);
        checkVoice(h, 0);
    }

    @Test
    void noiseFormsAgree() {
        NoiseSynthesizer n = new NoiseSynthesizer(65, HOP, -2f);
        checkControls(n);
        checkVoice(n, 17);
        checkVoice(new NoiseSynthesizer(9, HOP, 0f), 5);
    }

    @Test
    void harmonicControlsSilenceEverythingAboveNyquistAndSumToOne() {
        HarmonicSynthesizer h = new HarmonicSynthesizer(10, SR, HOP, 0f);
        float[] raw = new float[11], ctl = new float[11];
        h.controls(raw, 0, 3000f, ctl, 0);   // harmonics 1, 2 (3000, 6000 Hz) below 8 kHz; 3.. above
        assertEquals(1f, ctl[1] + ctl[2], 1e-6f);
        for (int k = 3; k <= 10; k++) assertEquals(0f, ctl[k]);
        assertEquals(Math.round(2 * Math.pow(0.5, Math.log(10)) * 1e6), Math.round((ctl[0] - 1e-7) * 1e6), "exp_sigmoid(0)");
    }

    @Test
    void aRenderedPartialHasItsFrequency() {
        HarmonicSynthesizer h = new HarmonicSynthesizer(3, SR, HOP, 0f);
        int f = 250;   // 1 s
        float[] f0 = new float[f], c = new float[f * 4];
        for (int k = 0; k < f; k++) {
            f0[k] = 440f;
            c[k * 4] = 1f;
            c[k * 4 + 2] = 1f;   // only the second harmonic: 880 Hz
        }
        float[] y;
        try (GradMode g = GradMode.off()) {
            y = h.render(Tensor.of(f0, 1, f, 1), Tensor.of(c, 1, f, 4), null).data();
        }
        int crossings = 0;
        for (int t = 1; t < y.length; t++) if (y[t - 1] < 0 && y[t] >= 0) crossings++;
        assertEquals(880, crossings, 1);
    }

    @Test
    void graphSumsSynthesizersAndChecksShapes() {
        ProcessorGraph g = new ProcessorGraph(List.of(new HarmonicSynthesizer(4, SR, HOP, 0f), new NoiseSynthesizer(9, HOP, -3f)), null);
        assertEquals(5 + 9, g.rawSize());
        try (GradMode m = GradMode.off()) {
            var o = g.render(randomRaw(F, 14, 1), glide(F).reshape(1, F), true, new SplittableRandom(1));
            float[] a = o.audio().data(), h = o.signals().get("harmonic").data(), n = o.signals().get("noise").data();
            for (int i = 0; i < a.length; i++) assertEquals(h[i] + n[i], a[i], 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> g.render(randomRaw(F, 13, 1), glide(F).reshape(1, F), true, new SplittableRandom(1)));
        }
        assertThrows(IllegalArgumentException.class, () -> new NoiseSynthesizer(66, HOP, 0f), "filter longer than a frame");
        assertThrows(IllegalArgumentException.class, () -> new ProcessorGraph(List.of(), null));
    }
}
