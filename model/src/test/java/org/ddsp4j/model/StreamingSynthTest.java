package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.processors.HarmonicSynthesizer;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Offline rendering ({@code Autoencoder.forward}, what {@code resynth} plays) and streaming
 * ({@link StreamingSynth}, what {@code stream} plays) render the same samples, for every built-in
 * configuration with every bias and option non-zero; and both follow the frame convention, checked
 * against a naive reference written apart from either.
 */
class StreamingSynthTest {
    private static final int FRAMES = 120;
    private static final long SEED = 42;

    /** A glide with vibrato, an unvoiced gap and a high stretch (harmonics above Nyquist), loudness swells. */
    static float[][] controls(int frames) {
        float[] f0 = new float[frames], ld = new float[frames];
        for (int i = 0; i < frames; i++) {
            f0[i] = (float) (220 * Math.pow(2, i / 60.0) * (1 + 0.01 * Math.sin(i * 0.7)));
            if (i >= 40 && i < 46) f0[i] = 0f;
            if (i >= 80 && i < 90) f0[i] = 2500f;
            ld[i] = (float) (-40 + 25 * Math.sin(i * 0.1));
        }
        return new float[][] {f0, ld};
    }

    /**
     * A model whose every parameter is non-trivial: small random offsets on all weights and biases
     * (the Dense biases start at zero), and a clearly audible learned IR.
     */
    static Autoencoder model(ModelConfig cfg) {
        Autoencoder m = new Autoencoder(cfg);
        SplittableRandom r = new SplittableRandom(9);
        for (var e : m.namedParameters().entrySet()) {
            float[] d = e.getValue().data();
            if (e.getKey().equals("reverb.ir")) {
                for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * 0.3 * Math.exp(-i / 200.0));
            } else {
                for (int i = 0; i < d.length; i++) d[i] += (float) ((r.nextDouble() * 2 - 1) * 0.05);
            }
        }
        return m;
    }

    /** Random audio for a z encoder: a tone with noise. */
    static float[] audio(int n, int sr) {
        SplittableRandom r = new SplittableRandom(5);
        float[] a = new float[n];
        for (int t = 0; t < n; t++) a[t] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * t / sr) + 0.05 * (r.nextDouble() * 2 - 1));
        return a;
    }

    /** What resynth renders: the model's offline forward pass, noise from {@code new SplittableRandom(seed)}. */
    static float[] offline(Autoencoder m, float[] f0, float[] ld, float[] audio, boolean reverb, long seed) {
        try (GradMode g = GradMode.off()) {
            Tensor au = audio == null ? null : Tensor.of(audio.clone(), 1, audio.length);
            return m.forward(Tensor.of(f0.clone(), 1, f0.length), Tensor.of(ld.clone(), 1, ld.length), au, reverb,
                    new SplittableRandom(seed)).audio().data();
        }
    }

    /** What stream renders: blocks of {@code block} frames, then a flush; the one-frame pre-roll dropped. */
    static float[] streamed(StreamingSynth s, float[] f0, float[] ld, float[] z, int block) {
        int hop = s.hop(), lat = s.latencySamples();
        float[] out = new float[f0.length * hop + hop];
        for (int from = 0; from < f0.length; from += block) {
            int len = Math.min(block, f0.length - from);
            s.process(f0, ld, z, from, len, out, from * hop);
        }
        assertTrue(s.flush(out, f0.length * hop));
        for (int t = 0; t < lat; t++) assertEquals(0f, out[t], "pre-roll sample " + t + " is silent");
        return java.util.Arrays.copyOfRange(out, lat, lat + f0.length * hop);
    }

    private static double peak(float[] x) {
        double p = 0;
        for (float v : x) p = Math.max(p, Math.abs(v));
        return p;
    }

    private static void assertClose(float[] ref, float[] y, double relTol, String what) {
        assertEquals(ref.length, y.length, what + ": length");
        double peak = peak(ref), maxErr = 0;
        assertTrue(peak > 1e-3, what + ": the reference is not silent: peak " + peak);
        for (int t = 0; t < ref.length; t++) maxErr = Math.max(maxErr, Math.abs(y[t] - ref[t]));
        if (Boolean.getBoolean("ddsp4j.report")) System.out.printf("%s: max |difference| / peak = %.2e%n", what, maxErr / peak);
        assertTrue(maxErr <= relTol * peak, what + ": max |difference| " + maxErr + " > " + relTol + " of the peak " + peak);
    }

    /** Stream = resynth, in blocks of 1, 7 and 50 frames, with and without the room. */
    private static void checkStreamEqualsOffline(ModelConfig cfg) {
        Autoencoder m = model(cfg);
        float[][] c = controls(FRAMES);
        float[] audio = m.needsAudio() ? audio(FRAMES * cfg.hop(), cfg.sampleRate()) : null;
        float[] z = null;
        if (m.needsAudio()) {
            try (GradMode g = GradMode.off()) {
                z = m.encoder().forward(Tensor.of(audio.clone(), 1, audio.length), FRAMES).data();
            }
        }
        for (boolean reverb : new boolean[] {true, false}) {
            float[] ref = offline(m, c[0], c[1], audio, reverb, SEED);
            StreamingSynth s = m.stream(reverb, SEED);
            assertEquals(1, s.latencyFrames());
            for (int block : new int[] {1, 7, 50}) {
                s.reset();
                assertClose(ref, streamed(s, c[0], c[1], z, block), 1e-5,
                        cfg.name() + (reverb ? "" : " (dry)") + ", blocks of " + block);
            }
        }
    }

    @Test
    void everyBuiltInConfigurationStreamsWhatResynthRenders() {
        for (String name : ModelConfig.BUILT_IN) {
            ModelConfig cfg = ModelConfig.builtIn(name).with(List.of("harmonic.amplitude_bias=-1.3", "noise.initial_bias=-2.5",
                    "train.seed=3"));
            checkStreamEqualsOffline(cfg);
        }
    }

    @Test
    void everyBuiltInAtEveryRateStreamsWhatResynthRenders() {
        for (String name : ModelConfig.BUILT_IN_AT_RATES) {
            ModelConfig cfg = ModelConfig.builtIn(name).with(List.of("harmonic.amplitude_bias=-1.3", "noise.initial_bias=-2.5",
                    "train.seed=3"));
            checkStreamEqualsOffline(cfg);
        }
    }

    @Test
    void otherLayoutsAndRoomsStreamWhatResynthRenders() {
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("decoder.layers_per_stack=0", "decoder.output_inputs=raw",
                "reverb.type=none", "harmonic.amplitude_bias=0.7")));
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("decoder.layers_per_stack=2", "decoder.output_inputs=none",
                "reverb.type=exp_decay", "reverb.taps=300")));
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("noise.n_bands=0")));
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("reverb.type=learned", "reverb.taps=400", "reverb.decoder_loudness=direct")));
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("reverb.type=exp_decay", "reverb.taps=400", "reverb.initial_gain=0.2",
                "reverb.decoder_loudness=direct")));
        checkStreamEqualsOffline(TestConfigs.small().with(List.of("reverb.type=double_slope", "reverb.taps=400", "reverb.initial_gain=0.2",
                "reverb.decoder_loudness=direct")));
        checkStreamEqualsOffline(TestConfigs.smallNsynth().with(List.of("decoder.output_inputs=raw")));
    }

    /**
     * A synthesizer added by configuration alone: {@code "synths"} names a test-only {@code sine} (its class
     * and provider live in the tests), and the model, its decoder size, offline rendering and streaming take it
     * up with no edit.
     */
    @Test
    void aNewSynthesizerTakesAClassAndAConfigurationEntry() {
        ModelConfig base = TestConfigs.small();
        String json = base.toJson().replaceFirst("\\{", "{ \"synths\": [\"harmonic\", \"sine\", \"noise\"], \"sine\": { \"amplitude_bias\": -0.5 },");
        ModelConfig cfg = ModelConfig.parse(json, "with-sine");
        assertEquals(List.of("harmonic", "sine", "noise"), cfg.synths());
        Autoencoder m = new Autoencoder(cfg);
        assertEquals(new Autoencoder(base).decoder().outputs() + 2, m.decoder().outputs(), "one amplitude and one weight more");
        checkStreamEqualsOffline(cfg);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(json.replace("\"sine\": { \"amplitude_bias\"",
                "\"sine\": { \"amplitude_bais\""), "typo"));
        assertTrue(e.getMessage().contains("unknown key 'sine.amplitude_bais'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.parse(json.replace("\"sine\", \"noise\"]", "\"wavetable\"]"), "x"));
        assertTrue(e.getMessage().contains("unknown synthesizer 'wavetable'"), e.getMessage());
    }

    /**
     * The offline path follows the frame convention: frame f at sample f * hop, controls linear to
     * the next frame, the last held. Reference: the decoder's tensor form, the controls written out
     * here, naive sums of {@code sin(k phi)} in double, {@code FilteredNoise.render} and the room.
     */
    @Test
    void offlineRenderingFollowsTheFrameConvention() {
        ModelConfig cfg = TestConfigs.small().with(List.of("harmonic.amplitude_bias=-1", "reverb.taps=500"));
        Autoencoder m = model(cfg);
        float[][] c = controls(FRAMES);
        float[] f0Hz = c[0];
        int f = FRAMES, hop = cfg.hop(), n = f * hop, k = cfg.harmonic().nHarmonics(), bands = cfg.noise().nBands();
        double sr = cfg.sampleRate();
        float[] ref;
        try (GradMode g = GradMode.off()) {
            Tensor f0 = Tensor.of(f0Hz.clone(), 1, f), ld = Tensor.of(c[1].clone(), 1, f);
            Tensor raw = m.decoder().forward(Autoencoder.scaleF0(f0), Autoencoder.scaleLoudness(ld));
            float[] amp = Conversions.expSigmoid(raw.slice(2, 0, 1).add(-1f)).data();
            float[] dist = HarmonicSynthesizer.normalize(Conversions.expSigmoid(raw.slice(2, 1, 1 + k)), f0.reshape(1, f, 1), (float) sr).data();
            Tensor mags = Conversions.expSigmoid(raw.slice(2, 1 + k, 1 + k + bands).add(cfg.noise().initialBias()));
            float[] noise = FilteredNoise.render(mags, n, 0, new SplittableRandom(SEED)).data();
            float[] dry = new float[n];
            double phi = 0;
            for (int t = 0; t < n; t++) {
                int i0 = Math.min(t / hop, f - 1), i1 = Math.min(i0 + 1, f - 1);
                double w = t / (double) hop - i0;
                double fr = (1 - w) * f0Hz[i0] + w * f0Hz[i1], a = (1 - w) * amp[i0] + w * amp[i1];
                phi += 2 * Math.PI * fr / sr;
                double s = 0;
                for (int h = 1; h <= k; h++) {
                    if (h * Math.abs(fr) >= sr / 2) continue;
                    s += ((1 - w) * dist[i0 * k + h - 1] + w * dist[i1 * k + h - 1]) * Math.sin(h * phi);
                }
                dry[t] = (float) (a * s) + noise[t];
            }
            ref = m.applyReverb(Tensor.of(dry, 1, n)).data();
        }
        assertClose(ref, offline(m, c[0], c[1], null, true, SEED), 1e-5, "offline vs naive reference");
    }

    @Test
    void theDecoderStepsLikeItsSequenceForm() {
        for (ModelConfig cfg : List.of(TestConfigs.small(), TestConfigs.smallNsynth(),
                TestConfigs.small().with(List.of("decoder.layers_per_stack=0", "decoder.output_inputs=raw")))) {
            Autoencoder m = model(cfg);
            int f = 30, zd = m.decoder().zDims();
            float[][] c = controls(f);
            SplittableRandom r = new SplittableRandom(1);
            float[] z = new float[f * Math.max(zd, 1)];
            for (int i = 0; i < z.length; i++) z[i] = (float) r.nextGaussian();
            float[] seq;
            try (GradMode g = GradMode.off()) {
                Tensor zt = zd == 0 ? null : Tensor.of(z.clone(), 1, f, zd);
                seq = m.decoder().forward(Autoencoder.scaleF0(Tensor.of(c[0].clone(), 1, f)),
                        Autoencoder.scaleLoudness(Tensor.of(c[1].clone(), 1, f)), zt).data();
            }
            Decoder.Stepper s = m.decoder().stepper();
            int out = m.decoder().outputs();
            float[] step = new float[f * out];
            for (int i = 0; i < f; i++) {
                s.step(Autoencoder.scaleF0(c[0][i]), Autoencoder.scaleLoudness(c[1][i]), zd == 0 ? null : z, i * zd, step, i * out);
            }
            for (int i = 0; i < seq.length; i++) {
                assertEquals(seq[i], step[i], 2e-5 * Math.max(1, Math.abs(seq[i])), cfg.name() + ": output " + i);
            }
        }
    }

    @Test
    void resetRestartsTheStreamAndTheAllocatingFormAgrees() {
        Autoencoder m = model(TestConfigs.small().with("reverb.taps", "500"));
        float[][] c = controls(30);
        StreamingSynth s = new StreamingSynth(m, true, SEED);
        float[] a = s.process(c[0], c[1]);
        s.reset();
        float[] b = new float[a.length];
        s.process(c[0], c[1], 0, 30, b, 0);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0f, "sample " + i);
        assertFalse(new StreamingSynth(m).flush(new float[m.config().hop()], 0), "nothing to flush in a fresh stream");
    }

    @Test
    void refusesMissingZAndBadInput() {
        StreamingSynth nsynth = new StreamingSynth(new Autoencoder(TestConfigs.smallNsynth()));
        var e = assertThrows(IllegalArgumentException.class, () -> nsynth.process(new float[2], new float[2]));
        assertTrue(e.getMessage().contains("z encoder"), e.getMessage());
        StreamingSynth s = new StreamingSynth(new Autoencoder(TestConfigs.small()));
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[2], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[0], new float[0]));
        var nan = assertThrows(IllegalArgumentException.class, () -> s.process(new float[] {440f, Float.NaN}, new float[] {-20f, -20f}));
        assertTrue(nan.getMessage().contains("frame 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.process(new float[4], new float[4], 0, 4, new float[10], 0));
    }
}
