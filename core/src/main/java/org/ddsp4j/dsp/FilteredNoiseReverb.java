package org.ddsp4j.dsp;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;

/**
 * A reverb IR made of filtered noise with trainable, time-varying magnitudes (ddsp's
 * {@code effects.FilteredNoiseReverb}): the IR is {@link FilteredNoise#render} of the magnitudes
 * over the IR's length, so the room's colour can change along the tail (e.g. highs decaying faster).
 *
 * <p>ddsp's parameterization: raw magnitudes {@code [nFrames, nBands]} (default 1000 x 16 for a
 * 48,000-tap IR; normal init, std 0.01) scaled by {@code expSigmoid(raw + initialBias)} with
 * {@code initialBias = -3}.
 */
public final class FilteredNoiseReverb {
    /** ddsp's initial bias on the raw magnitudes. */
    public static final float INITIAL_BIAS = -3f;

    private FilteredNoiseReverb() {}

    /** {@code expSigmoid(raw + bias)}: linear magnitudes, any shape. */
    public static Tensor magnitudes(Tensor raw, float bias) {
        return Conversions.expSigmoid(raw.add(bias));
    }

    /**
     * The impulse response.
     *
     * @param magnitudes {@code [batch or 1, nFrames, nBands]} linear magnitudes over the IR's length
     * @param irSize     taps, a multiple of nFrames
     * @param windowSize filter taps per frame ({@code <= 0}: {@code 2 (nBands - 1)})
     * @param rng        noise source
     * @return {@code [batch or 1, irSize]}
     */
    public static Tensor impulseResponse(Tensor magnitudes, int irSize, int windowSize, SplittableRandom rng) {
        return FilteredNoise.render(magnitudes, irSize, windowSize, rng);
    }
}
