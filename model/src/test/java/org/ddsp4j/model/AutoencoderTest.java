package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutoencoderTest {
    @Test
    void forwardShapesAndControls() {
        ModelConfig cfg = TestConfigs.small().with("reverb.type", "learned");   // a free IR: its weight name is checked below
        Autoencoder m = new Autoencoder(cfg);
        int b = 2, f = 10, hop = cfg.hop();
        float[] f0 = new float[b * f], ld = new float[b * f];
        Arrays.fill(f0, 0, f, 440f);
        Arrays.fill(f0, f, 2 * f, 3000f); // harmonics 3..8 of 3 kHz are above 8 kHz Nyquist
        Arrays.fill(ld, -20f);
        Autoencoder.Output o = m.forward(Tensor.of(f0, b, f), Tensor.of(ld, b, f), true, new SplittableRandom(1));
        assertArrayEquals(new int[] {b, f * hop}, o.audio().shape());
        assertArrayEquals(new int[] {b, f * hop}, o.dry().shape());
        assertArrayEquals(new int[] {b, f}, o.amplitude().shape());
        assertArrayEquals(new int[] {b, f, 8}, o.distribution().shape());
        assertArrayEquals(new int[] {b, f, 9}, o.noiseMagnitudes().shape());
        float[] d = o.distribution().data();
        for (int r = 0; r < b * f; r++) {
            double s = 0;
            for (int k = 0; k < 8; k++) s += d[r * 8 + k];
            assertEquals(1.0, s, 1e-4, "distribution sums to 1");
            if (r >= f) for (int k = 2; k < 8; k++) assertEquals(0f, d[r * 8 + k], "harmonic " + (k + 1) + " of 3 kHz is above Nyquist");
        }
        for (float v : o.audio().data()) assertTrue(Float.isFinite(v));
        // the dry path: harmonic + noise
        float[] dry = o.dry().data(), h = o.harmonic().data(), n = o.noise().data();
        for (int i = 0; i < dry.length; i++) assertEquals(h[i] + n[i], dry[i], 1e-6f);
        // parameter names are stable (weights files depend on them)
        assertTrue(m.namedParameters().containsKey("reverb.ir"));
        assertTrue(m.namedParameters().containsKey("decoder.gru.w_ih") || m.namedParameters().keySet().stream().anyMatch(k -> k.startsWith("decoder.gru.")));
    }

    @Test
    void amplitudeBiasShiftsTheRawAmplitudeBeforeExpSigmoid() {
        // Same seed, so the same decoder weights: only the bias differs. The reference inverts
        // exp_sigmoid on the unbiased amplitude to get the raw output, adds the bias, and applies it again.
        Autoencoder plain = new Autoencoder(TestConfigs.small().setAll(java.util.List.of("harmonic.amplitude_bias=0")));
        Autoencoder biased = new Autoencoder(TestConfigs.small().setAll(java.util.List.of("harmonic.amplitude_bias=-1.5")));
        int f = 12;
        float[] f0 = new float[f], ld = new float[f];
        for (int i = 0; i < f; i++) {
            f0[i] = 200f + 30f * i;
            ld[i] = -60f + 4f * i;
        }
        float[] a0 = plain.forward(Tensor.of(f0, 1, f), Tensor.of(ld, 1, f), false, new SplittableRandom(3)).amplitude().data();
        float[] a1 = biased.forward(Tensor.of(f0, 1, f), Tensor.of(ld, 1, f), false, new SplittableRandom(3)).amplitude().data();
        double ln10 = Math.log(10);
        for (int i = 0; i < f; i++) {
            double s = Math.pow((a0[i] - 1e-7) / 2, 1 / ln10), raw = Math.log(s / (1 - s));
            double expected = 2 * Math.pow(1 / (1 + Math.exp(-(raw - 1.5))), ln10) + 1e-7;
            assertEquals(expected, a1[i], 1e-4 * expected, "frame " + i);
            assertTrue(a1[i] < a0[i], "a negative bias lowers the amplitude");
        }
        // Configurations without the key (magenta's) behave as bias 0.
        assertEquals(0f, ModelConfig.builtIn("solo").harmonic().amplitudeBias());
    }

    @Test
    void variantsBuildAndAnUnknownEncoderIsRejected() {
        ModelConfig c = TestConfigs.small().setAll(java.util.List.of("decoder.layers_per_stack=0", "decoder.output_inputs=raw",
                "reverb.type=exp_decay"));
        Autoencoder m = new Autoencoder(c);
        float[] f0 = new float[5];
        Arrays.fill(f0, 220f);
        Autoencoder.Output o = m.forward(Tensor.of(f0, 1, 5), Tensor.of(new float[5], 1, 5), true, new SplittableRandom(2));
        assertArrayEquals(new int[] {1, 5 * c.hop()}, o.audio().shape());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Autoencoder(ModelConfig.builtIn("nsynth").set("encoder.type", "vae")));
        assertTrue(e.getMessage().contains("'vae'"), e.getMessage());
    }

    @Test
    void scalingMatchesThePaper() {
        assertEquals(69 / 127f, Autoencoder.scaleF0(Tensor.of(new float[] {440f}, 1, 1)).item(), 1e-5f);
        assertEquals(0.75f, Autoencoder.scaleLoudness(Tensor.of(new float[] {-20f}, 1, 1)).item(), 1e-6f);
    }
}
