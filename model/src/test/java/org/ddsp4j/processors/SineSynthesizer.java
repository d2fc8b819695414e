package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;

/**
 * A synthesizer that exists only in the tests, to prove that adding one takes its class, its provider
 * (listed in the test resources' META-INF/services) and a configuration entry, and no edit to the model or
 * streaming code: one sine at f0 with a learned amplitude (a one-harmonic {@link HarmonicSynthesizer}).
 */
public final class SineSynthesizer implements Synthesizer {
    private final HarmonicSynthesizer one;

    SineSynthesizer(int sampleRate, int hop, float bias) {
        one = new HarmonicSynthesizer(1, sampleRate, hop, bias);
    }

    /** {@code "sine": {"amplitude_bias": b}}. */
    public static final class Provider implements SynthesizerProvider {
        @Override
        public String name() {
            return "sine";
        }

        @Override
        public List<String> keys() {
            return List.of("amplitude_bias");
        }

        @Override
        public Synthesizer create(Map<String, Object> s, String source, int sampleRate, int hop) {
            return new SineSynthesizer(sampleRate, hop, (float) SynthesizerProvider.number(s, "sine", "amplitude_bias", 0.0, source));
        }
    }

    @Override
    public String name() {
        return "sine";
    }

    @Override
    public int rawSize() {
        return one.rawSize();
    }

    @Override
    public int controlSize() {
        return one.controlSize();
    }

    @Override
    public int hop() {
        return one.hop();
    }

    @Override
    public Tensor controls(Tensor raw, Tensor f0Hz) {
        return one.controls(raw, f0Hz);
    }

    @Override
    public void controls(float[] raw, int rawOff, float f0Hz, float[] ctl, int ctlOff) {
        one.controls(raw, rawOff, f0Hz, ctl, ctlOff);
    }

    @Override
    public Tensor render(Tensor f0Hz, Tensor controls, SplittableRandom rng) {
        return one.render(f0Hz, controls, rng);
    }

    @Override
    public Voice newVoice(long seed) {
        return one.newVoice(seed);
    }
}
