package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.processors.Harmonic;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StreamingSynthTest {
    private static final int FRAMES = 120;
    private static final long SEED = 42;

    /** A glide with vibrato, an unvoiced gap and a high stretch (harmonics above Nyquist), loudness swells. */
    private static float[][] controls(int frames) {
        float[] f0 = new float[frames], ld = new float[frames];
        for (int i = 0; i < frames; i++) {
            f0[i] = (float) (220 * Math.pow(2, i / 60.0) * (1 + 0.01 * Math.sin(i * 0.7)));
            if (i >= 40 && i < 46) f0[i] = 0f;
            if (i >= 80 && i < 90) f0[i] = 2500f;
            ld[i] = (float) (-40 + 25 * Math.sin(i * 0.1));
        }
        return new float[][] {f0, ld};
    }

    /** A model with non-trivial weights everywhere, including a clearly audible learned IR. */
    private static Autoencoder model(ModelConfig cfg) {
        Autoencoder m = new Autoencoder(cfg);
        Tensor ir = m.namedParameters().get("reverb.ir");
        if (ir != null) {
            SplittableRandom r = new SplittableRandom(9);
            float[] d = ir.data();
            for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * 0.3 * Math.exp(-i / 200.0));
        }
        return m;
    }

    /**
     * Offline reference, independent of the streaming code: the decoder's sequence form over all frames,
     * the model's control scaling as tensors, harmonic synthesis by naive sums of {@code sin(k phi)} in
     * double with controls linear between frames (frame f at sample f * hop), {@code FilteredNoise.render}
     * and {@code Autoencoder.applyReverb}.
     */
    private static float[] offline(Autoencoder m, float[] f0Hz, float[] ldDb, boolean reverb, long seed) {
        ModelConfig cfg = m.config();
        int f = f0Hz.length, hop = cfg.hop(), n = f * hop, k = cfg.getInt("harmonic.n_harmonics"), bands = cfg.getInt("noise.n_bands");
        double sr = cfg.sampleRate();
        try (GradMode g = GradMode.off()) {
            Tensor f0 = Tensor.of(f0Hz.clone(), 1, f), ld = Tensor.of(ldDb.clone(), 1, f);
            Tensor raw = m.decoder().forward(Autoencoder.scaleF0(f0), Autoencoder.scaleLoudness(ld));
            float[] amp = Conversions.expSigmoid(raw.slice(2, 0, 1)).data();
            float[] dist = Harmonic.normalize(Conversions.expSigmoid(raw.slice(2, 1, 1 + k)), f0.reshape(1, f, 1), (float) sr).data();
            Tensor mags = Conversions.expSigmoid(raw.slice(2, 1 + k, 1 + k + bands).add(cfg.getFloat("noise.initial_bias")));
            float[] noise = FilteredNoise.render(mags, n, 0, new SplittableRandom(seed)).data();
            float[] dry = new float[n];
            double phi = 0;
            for (int t = 0; t < n; t++) {
                int i0 = Math.min(t / hop, f - 1), i1 = Math.min(i0 + 1, f - 1);
                double w = t / (double) hop - i0;
                if (i0 == f - 1) w = 0;
                double fr = (1 - w) * f0Hz[i0] + w * f0Hz[i1], a = (1 - w) * amp[i0] + w * amp[i1];
                phi += 2 * Math.PI * fr / sr;
                double s = 0;
                for (int h = 1; h <= k; h++) {
                    if (h * Math.abs(fr) >= sr / 2) continue;
                    s += ((1 - w) * dist[i0 * k + h - 1] + w * dist[i1 * k + h - 1]) * Math.sin(h * phi);
                }
                dry[t] = (float) (a * s) + noise[t];
            }
            return reverb ? m.applyReverb(Tensor.of(dry, 1, n)).data() : dry;
        }
    }

    private static float[] stream(StreamingSynth s, float[] f0, float[] ld, int block) {
        int hop = s.hop();
        float[] out = new float[f0.length * hop];
        for (int from = 0; from < f0.length; from += block) {
            int len = Math.min(block, f0.length - from);
            float[] y = s.process(java.util.Arrays.copyOfRange(f0, from, from + len), java.util.Arrays.copyOfRange(ld, from, from + len));
            assertEquals(len * hop, y.length);
            System.arraycopy(y, 0, out, from * hop, y.length);
        }
        return out;
    }

    /** Streams in blocks of 1, 7 and 50 frames and compares with the offline reference, delayed by the latency. */
    private static void checkEquivalence(ModelConfig cfg, boolean reverb, int expectedLatencyFrames) {
        Autoencoder m = model(cfg);
        float[][] c = controls(FRAMES);
        float[] ref = offline(m, c[0], c[1], reverb, SEED);
        double peak = 0;
        for (float v : ref) peak = Math.max(peak, Math.abs(v));
        assertTrue(peak > 1e-3, "the reference is not silent: peak " + peak);
        StreamingSynth s = new StreamingSynth(m, reverb, SEED);
        assertEquals(expectedLatencyFrames, s.latencyFrames());
        int lat = s.latencySamples(), hop = cfg.hop();
        for (int block : new int[] {1, 7, 50}) {
            s.reset();
            float[] y = stream(s, c[0], c[1], block);
            String what = cfg.getString("reverb.type") + (reverb ? "" : " (dry)") + ", blocks of " + block;
            for (int t = 0; t < lat; t++) assertEquals(0f, y[t], what + ": pre-roll sample " + t + " is silent");
            // Float32 decoder (different summation order), float filters and reverb: errors measured ~5e-7 of the peak.
            double tol = 4e-6 * peak, maxErr = 0;
            for (int t = 0; t + lat < y.length; t++) maxErr = Math.max(maxErr, Math.abs(y[t + lat] - ref[t]));
            assertTrue(maxErr <= tol, what + ": max |stream - offline| " + maxErr + " > " + tol + " (peak " + peak + ")");
            assertEquals(FRAMES * hop - lat, y.length - lat);
        }
    }

    private static ModelConfig small(String... overrides) {
        return TestConfigs.small().setAll(List.of(overrides)).check();
    }

    @Test
    void learnedReverbStreamsLikeOffline() {
        checkEquivalence(small("reverb.taps=1000"), true, 1);
    }

    @Test
    void expDecayReverbStreamsLikeOffline() {
        checkEquivalence(small("reverb.type=exp_decay", "reverb.taps=700"), true, 1);
    }

    @Test
    void dryAndNoReverbStreamLikeOffline() {
        checkEquivalence(small("reverb.taps=1000"), false, 1);
        checkEquivalence(small("reverb.type=none"), true, 1);
    }

    @Test
    void otherDecoderLayoutsAndTwoFramesOfLatency() {
        checkEquivalence(small("decoder.layers_per_stack=0", "decoder.output_inputs=raw", "reverb.type=none"), true, 1);
        checkEquivalence(small("decoder.layers_per_stack=2", "decoder.output_inputs=none", "reverb.taps=100"), true, 1);
        // 32-sample frames and 65 noise bands: the 128-tap noise filters reach 64 samples (two frames) ahead.
        checkEquivalence(small("audio.frame_rate=500", "noise.n_bands=65", "reverb.taps=300"), true, 2);
    }

    @Test
    void resetRestartsTheStreamAndTheNoAllocationFormAgrees() {
        ModelConfig cfg = small("reverb.taps=500");
        Autoencoder m = model(cfg);
        float[][] c = controls(30);
        StreamingSynth s = new StreamingSynth(m, true, SEED);
        float[] a = stream(s, c[0], c[1], 4);
        s.reset();
        float[] b = new float[a.length];
        s.process(c[0], c[1], 0, 30, b, 0);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0f, "sample " + i);
    }

    @Test
    void refusesEncoderModelsAndBadInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StreamingSynth(new Autoencoder(TestConfigs.smallNsynth())));
        assertTrue(e.getMessage().contains("z encoder"), e.getMessage());
        StreamingSynth s = new StreamingSynth(new Autoencoder(small()));
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[2], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[0], new float[0]));
        var nan = assertThrows(IllegalArgumentException.class, () -> s.process(new float[] {440f, Float.NaN}, new float[] {-20f, -20f}));
        assertTrue(nan.getMessage().contains("frame 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[4], new float[4], 0, 4, new float[10], 0));
    }
}
