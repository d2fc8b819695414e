package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.ExpDecayReverb;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.tensor.Tensor;

/**
 * Trainable exponential-decay reverb (ddsp's {@code effects.ExpDecayReverb(trainable=True)}): holds a
 * raw gain and a raw decay ({@code [1, 1]} each, initialized to 2 and 4 as in ddsp). Input {@code audio
 * [batch, nSamples]}; controls: {@code gain = expSigmoid(rawGain)}, {@code decayRate = 2 + exp(rawDecay)};
 * signal: {@link Reverb#apply} with {@link ExpDecayReverb#impulseResponse} of fresh uniform noise
 * (drawn from the processor's seeded generator on each call).
 */
public final class ExpDecayReverbProcessor implements Processor {
    private final Tensor rawGain = Tensor.full(ExpDecayReverb.INITIAL_RAW_GAIN, 1, 1).requiresGrad(true);
    private final Tensor rawDecay = Tensor.full(ExpDecayReverb.INITIAL_RAW_DECAY, 1, 1).requiresGrad(true);
    private final int irSize;
    private final boolean addDry;
    private final SplittableRandom rng;

    /**
     * @param irSize IR taps (ddsp: 48000)
     * @param addDry add the dry signal
     * @param seed   noise seed
     */
    public ExpDecayReverbProcessor(int irSize, boolean addDry, long seed) {
        if (irSize < 2) throw new IllegalArgumentException("ExpDecayReverbProcessor: irSize must be >= 2, got " + irSize);
        this.irSize = irSize;
        this.addDry = addDry;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public List<String> inputNames() {
        return List.of("audio");
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        return Map.of("audio", Processor.require(raw, "audio", "ExpDecayReverbProcessor"),
                "gain", ExpDecayReverb.gain(rawGain), "decay_rate", ExpDecayReverb.decayRate(rawDecay));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        SplittableRandom r;
        synchronized (rng) {
            r = rng.split();
        }
        Tensor ir = ExpDecayReverb.impulseResponse(Processor.require(controls, "gain", "ExpDecayReverbProcessor"),
                Processor.require(controls, "decay_rate", "ExpDecayReverbProcessor"), FilteredNoise.noise(r, 1, irSize));
        return Reverb.apply(Processor.require(controls, "audio", "ExpDecayReverbProcessor"), ir, addDry);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(rawGain, rawDecay);
    }
}
