package org.ddsp4j.dsp;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Filtered-noise synthesizer (ddsp's {@code synths.FilteredNoise.get_signal}): uniform white noise in
 * {@code [-1, 1)} shaped by per-frame magnitude responses through {@link Filters#frequencyFilter}
 * (zero-phase FIR by frequency sampling, Hann-windowed, framewise FFT convolution, SAME padding).
 */
public final class FilteredNoise {
    private FilteredNoise() {}

    /**
     * Renders filtered noise.
     *
     * @param magnitudes {@code [batch, nFrames, nBands]} linear magnitudes per frame (bands uniform from
     *                   0 Hz to Nyquist; scale raw network outputs first, e.g. with
     *                   {@link Conversions#expSigmoid}); differentiable
     * @param nSamples   output length, a multiple of nFrames
     * @param windowSize IR taps ({@code <= 0}: {@code 2 (nBands - 1)}, 128 for 65 bands)
     * @param rng        source of the noise (seeded for reproducible renders)
     * @return {@code [batch, nSamples]}
     */
    public static Tensor render(Tensor magnitudes, int nSamples, int windowSize, SplittableRandom rng) {
        int[] s = magnitudes.shape();
        if (s.length != 3) {
            throw new IllegalArgumentException("FilteredNoise: magnitudes must be [batch, nFrames, nBands], got " + Shape.str(s));
        }
        if (nSamples < 1 || nSamples % s[1] != 0) {
            throw new IllegalArgumentException("FilteredNoise: nSamples " + nSamples + " is not a positive multiple of nFrames " + s[1]);
        }
        Tensor noise = noise(rng, s[0], nSamples);
        return Filters.frequencyFilter(noise, magnitudes, windowSize, FftConvolution.Padding.SAME);
    }

    /** Uniform white noise in {@code [-1, 1)}, {@code [batch, nSamples]}. */
    public static Tensor noise(SplittableRandom rng, int batch, int nSamples) {
        float[] d = new float[batch * nSamples];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextDouble() * 2 - 1);
        return Tensor.of(d, batch, nSamples);
    }
}
