package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.tensor.Tensor;

/**
 * Filtered-noise processor (ddsp's {@code synths.FilteredNoise}). Input {@code magnitudes
 * [batch, nFrames, nBands]} (raw); control {@code expSigmoid(raw + initialBias)} (bias -5 in ddsp, so
 * an untrained network starts nearly silent); signal {@link FilteredNoise#render}, {@code [batch, nSamples]}.
 * Each call draws fresh noise from the processor's seeded generator.
 */
public final class FilteredNoiseProcessor implements Processor {
    public static final List<String> INPUTS = List.of("magnitudes");
    private final int nSamples, windowSize;
    private final float initialBias;
    private final boolean scale;
    private final SplittableRandom rng;

    /**
     * @param nSamples    output length, a multiple of nFrames
     * @param windowSize  filter taps ({@code <= 0}: {@code 2 (nBands - 1)})
     * @param scale       apply {@code expSigmoid(raw + initialBias)}
     * @param initialBias added to raw magnitudes before scaling (ddsp: -5)
     * @param seed        noise seed
     */
    public FilteredNoiseProcessor(int nSamples, int windowSize, boolean scale, float initialBias, long seed) {
        if (nSamples < 1) throw new IllegalArgumentException("FilteredNoiseProcessor: nSamples must be >= 1, got " + nSamples);
        this.nSamples = nSamples;
        this.windowSize = windowSize;
        this.scale = scale;
        this.initialBias = initialBias;
        this.rng = new SplittableRandom(seed);
    }

    /** ddsp's defaults: default window, scaled with bias -5. */
    public FilteredNoiseProcessor(int nSamples, long seed) {
        this(nSamples, 0, true, -5f, seed);
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        Tensor m = Processor.require(raw, "magnitudes", "FilteredNoiseProcessor");
        return Map.of("magnitudes", scale ? Conversions.expSigmoid(m.add(initialBias)) : m);
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        Tensor m = Processor.require(controls, "magnitudes", "FilteredNoiseProcessor");
        SplittableRandom r;
        synchronized (rng) {
            r = rng.split();
        }
        return FilteredNoise.render(m, nSamples, windowSize, r);
    }
}
