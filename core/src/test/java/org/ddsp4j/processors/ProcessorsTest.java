package org.ddsp4j.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.dsp.HarmonicSynth;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ProcessorsTest {
    static final int B = 2, F = 4, K = 5, BANDS = 9, T = 32, IR = 12;
    static final float SR = 1600f;

    private static ProcessorGroup group(Tensor ir) {
        return new ProcessorGroup()
                .add("harmonic", new Harmonic(T, SR), "amps", "harmonic_distribution", "f0_hz")
                .add("filtered_noise", new FilteredNoiseProcessor(T, 0, true, -1f, 77), "noise_magnitudes")
                .add("add", new Add(), "harmonic", "filtered_noise")
                .add("reverb", ReverbProcessor.withIr(ir, true), "add");
    }

    private static Map<String, Tensor> inputs(Tensor amps, Tensor dist, Tensor f0, Tensor noise) {
        return Map.of("amps", amps, "harmonic_distribution", dist, "f0_hz", f0, "noise_magnitudes", noise);
    }

    @Test
    void groupEqualsProcessorsAppliedByHand() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor amps = Tensor.uniform(rng, -2, 2, B, F, 1), dist = Tensor.uniform(rng, -2, 2, B, F, K);
        Tensor f0 = Tensor.uniform(rng, 100, 300, B, F, 1), noise = Tensor.uniform(rng, -2, 2, B, F, BANDS);
        Tensor ir = Tensor.uniform(rng, -0.1f, 0.1f, 1, IR);
        ProcessorGroup g = group(ir);
        Map<String, Tensor> out = g.run(inputs(amps, dist, f0, noise));
        List<String> keys = List.copyOf(out.keySet()); // inputs first (any order), then nodes in run order
        assertEquals(java.util.Set.of("amps", "harmonic_distribution", "f0_hz", "noise_magnitudes"), java.util.Set.copyOf(keys.subList(0, 4)));
        assertEquals(List.of("harmonic", "filtered_noise", "add", "reverb"), keys.subList(4, 8));

        // By hand: controls (expSigmoid, Nyquist removal, normalization), DSP, add, reverb.
        Tensor a = Conversions.expSigmoid(amps);
        Tensor d = Harmonic.normalize(Conversions.expSigmoid(dist), f0, SR);
        Tensor harmonic = HarmonicSynth.render(f0, a, d, T, SR);
        SplittableRandom noiseRng = new SplittableRandom(77).split(); // the processor's first draw
        Tensor filtered = FilteredNoise.render(Conversions.expSigmoid(noise.add(-1f)), T, 0, noiseRng);
        Tensor mix = harmonic.add(filtered);
        Tensor wet = Reverb.apply(mix, ir, true);
        assertArrayEquals(harmonic.data(), out.get("harmonic").data(), 1e-6f);
        assertArrayEquals(filtered.data(), out.get("filtered_noise").data(), 1e-6f);
        assertArrayEquals(mix.data(), out.get("add").data(), 1e-6f);
        assertArrayEquals(wet.data(), out.get("reverb").data(), 1e-6f);
        assertArrayEquals(wet.data(), g.output(out).data(), 0f);
    }

    @Test
    void harmonicControlsAreNormalizedBelowNyquist() {
        Tensor f0 = Tensor.of(new float[] {100f, 300f}, 1, 2, 1);
        Tensor dist = Harmonic.normalize(Tensor.ones(1, 2, 4), f0, 1000f); // Nyquist 500 Hz
        // 100 Hz: harmonics 1-4 (<= 400 Hz) sound; 300 Hz: only the first (600 Hz >= 500).
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 1f, 0f, 0f, 0f}, dist.data(), 1e-6f);
        Map<String, Tensor> c = new Harmonic(10, 1000f).getControls(Map.of("amplitudes", Tensor.zeros(1, 2, 1),
                "harmonic_distribution", Tensor.zeros(1, 2, 4), "f0_hz", f0));
        assertEquals(Conversions.expSigmoid(0f, 10, 2, 1e-7f), c.get("amplitudes").get(0, 0, 0), 1e-6);
        assertEquals(0.25f, c.get("harmonic_distribution").get(0, 0, 1), 1e-6);
    }

    @Test
    void gradientThroughTheGroup() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor amps = Tensor.uniform(rng, -1, 1, B, F, 1).requiresGrad(true);
        Tensor dist = Tensor.uniform(rng, -1, 1, B, F, K).requiresGrad(true);
        Tensor noise = Tensor.uniform(rng, -1, 1, B, F, BANDS).requiresGrad(true);
        Tensor ir = Tensor.uniform(rng, -0.3f, 0.3f, 1, IR).requiresGrad(true);
        Tensor f0 = Tensor.uniform(rng, 100, 300, B, F, 1);
        // A fresh group per evaluation: the same noise every time (same seed, same draw).
        GradCheck.Result r = new GradCheck().check(in -> group(in[3]).output(group(in[3]).run(inputs(in[0], in[1], f0, in[2]))),
                amps, dist, noise, ir);
        assertTrue(r.ok(), r.toString());
        assertEquals(List.of(ir), group(ir).parameters());
    }

    @Test
    void wiringErrorsNameTheProblem() {
        ProcessorGroup g = new ProcessorGroup().add("add", new Add(), "a", "missing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.run(Map.of("a", Tensor.zeros(1, 4))));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.add("add", new Add(), "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> g.add("x", new Add(), "a"));
        assertNotNull(g.nodeNames());
    }

    @Test
    void effectProcessorsEqualTheDspFunctions() {
        SplittableRandom rng = new SplittableRandom(6);
        Tensor audio = Tensor.uniform(rng, -1, 1, B, T);
        Tensor gain = Tensor.uniform(rng, -2, 2, B, T, 1), phase = Tensor.uniform(rng, -2, 2, B, T, 1);
        Tensor y = new ModDelayProcessor(2f, 3f, 1000f, true).apply(Map.of("audio", audio, "gain", gain, "phase", phase));
        Tensor expected = org.ddsp4j.dsp.ModDelay.apply(audio,
                org.ddsp4j.dsp.ModDelay.delayFromPhase(phase.sigmoid().reshape(B, T), 2f, 3f),
                Conversions.expSigmoid(gain).reshape(B, T), 1000f, true);
        assertArrayEquals(expected.data(), y.data(), 1e-6f);

        Tensor mags = Tensor.uniform(rng, -2, 2, B, F, BANDS);
        Tensor fir = new FirFilterProcessor(0).apply(Map.of("audio", audio, "magnitudes", mags));
        assertArrayEquals(org.ddsp4j.dsp.Filters.frequencyFilter(audio, Conversions.expSigmoid(mags), 0,
                org.ddsp4j.dsp.FftConvolution.Padding.SAME).data(), fir.data(), 1e-6f);

        ExpDecayReverbProcessor exp = new ExpDecayReverbProcessor(IR, true, 5);
        Tensor wet = exp.apply(Map.of("audio", audio));
        Tensor ir = org.ddsp4j.dsp.ExpDecayReverb.impulseResponse(org.ddsp4j.dsp.ExpDecayReverb.gain(Tensor.full(2f, 1, 1)),
                org.ddsp4j.dsp.ExpDecayReverb.decayRate(Tensor.full(4f, 1, 1)), FilteredNoise.noise(new SplittableRandom(5).split(), 1, IR));
        assertArrayEquals(Reverb.apply(audio, ir, true).data(), wet.data(), 1e-6f);
        assertEquals(2, exp.parameters().size());

        FilteredNoiseReverbProcessor fnr = new FilteredNoiseReverbProcessor(16, 4, 5, 0, -3f, true, 9);
        Tensor tail = fnr.apply(Map.of("audio", audio));
        assertEquals(List.of(B, T), List.of(tail.dim(0), tail.dim(1)));
        assertEquals(1, fnr.parameters().size());
    }

    @Test
    void gradientsReachEffectParameters() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor audio = Tensor.uniform(rng, -1, 1, 1, 24);
        Tensor gain = Tensor.uniform(rng, -1, 1, 1, 24, 1).requiresGrad(true);
        Tensor phase = Tensor.uniform(rng, -1, 1, 1, 24, 1).requiresGrad(true);
        GradCheck.Result r = new GradCheck().check(in -> new ModDelayProcessor(1.2f, 0.6f, 1000f, true)
                .apply(Map.of("audio", audio, "gain", in[0], "phase", in[1])), gain, phase);
        assertTrue(r.ok(), "mod delay " + r);
        for (Processor p : new Processor[] {new ExpDecayReverbProcessor(12, true, 1), new FilteredNoiseReverbProcessor(8, 2, 5, 0, -3f, true, 1)}) {
            p.apply(Map.of("audio", audio)).square().sum().backward();
            for (Tensor param : p.parameters()) {
                assertNotNull(param.grad(), p.getClass().getSimpleName());
                double norm = 0;
                for (float v : param.grad()) norm += Math.abs(v);
                assertTrue(norm > 0 && Double.isFinite(norm), p.getClass().getSimpleName() + " gradient " + norm);
            }
        }
    }
}
