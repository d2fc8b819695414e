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

    /**
     * Where a batch sits in a larger one, for data-parallel training: rows {@code [first, first + batch)} of a
     * batch of {@code total} rows. Bound around a forward pass (see {@link #SHARD}), it makes {@link #noise} draw
     * exactly the rows a single process would draw for the whole batch, so that W workers add up to one.
     */
    public record Shard(int first, int total) {}

    /** The shard the current thread renders; unbound: the batch is the whole batch. */
    public static final ScopedValue<Shard> SHARD = ScopedValue.newInstance();

    /**
     * Uniform white noise in {@code [-1, 1)}, {@code [batch, nSamples]}, drawn row after row from {@code rng}.
     * Within {@link #SHARD} the draws of the other rows of the whole batch are skipped, before and after, so the
     * rows and {@code rng}'s state afterwards are those of the whole batch.
     */
    public static Tensor noise(SplittableRandom rng, int batch, int nSamples) {
        Shard shard = SHARD.isBound() ? SHARD.get() : null;
        if (shard != null && (shard.first() < 0 || shard.first() + batch > shard.total())) {
            throw new IllegalArgumentException("FilteredNoise: a batch of " + batch + " rows at row " + shard.first()
                    + " does not fit a batch of " + shard.total());
        }
        if (shard != null) skip(rng, (long) shard.first() * nSamples);
        float[] d = new float[batch * nSamples];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextDouble() * 2 - 1);
        if (shard != null) skip(rng, (long) (shard.total() - shard.first() - batch) * nSamples);
        return Tensor.of(d, batch, nSamples);
    }

    private static void skip(SplittableRandom rng, long draws) {
        for (long i = 0; i < draws; i++) rng.nextLong();
    }
}
