package org.ddsp4j.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.RealFft;

/**
 * Streaming convolution with a long, fixed impulse response: uniformly partitioned overlap-save
 * (UPOLS) with a frequency-domain delay line. The IR is cut into {@code P = ceil(irSize / B)}
 * partitions of {@code B} (the block size) taps; each call takes {@code B} new input samples and
 * returns {@code B} samples of {@code y[t] = sum_j x[t - j] ir[j]} (causal, no latency: the output
 * block covers the same samples as the input block), so a stream of blocks gives exactly the first
 * samples of the full linear convolution.
 *
 * <p>Cost per block is bounded and independent of the stream length: one real FFT and one inverse
 * of size {@code nfft = nextPow2(2B)} and {@code P} complex multiply-adds over {@code nfft/2 + 1}
 * bins (for a 48,000-tap IR in 64-sample blocks: 750 partitions). Spectra are kept split (real and
 * imaginary arrays, padded to the vector length) so the multiply-adds run on whole vectors. Nothing
 * is allocated after construction.
 *
 * <p>Why it is exact: the input history of the last {@code nfft} samples (the newest {@code B} at the
 * end) circularly convolved with a {@code B}-tap partition is the linear convolution at every index
 * {@code >= B - 1}, and the output block is read from indices {@code nfft - B .. nfft - 1}; partition
 * {@code p} pairs with the history spectrum from {@code p} blocks ago.
 */
public final class PartitionedConvolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int block, nfft, bins, stride, partitions;
    private final RealFft fft;
    private final float[] hRe, hIm;   // [P, stride] partition spectra
    private final float[] xRe, xIm;   // [P, stride] ring of history spectra (the delay line)
    private final float[] hist;       // last nfft input samples
    private final float[] buf;        // nfft + 2 FFT scratch
    private final float[] accRe, accIm;
    private int head;                 // ring slot of the newest spectrum

    /**
     * @param ir        {@code [irSize]} impulse response (copied), irSize >= 1
     * @param blockSize samples per {@link #process} call, >= 1
     */
    public PartitionedConvolution(float[] ir, int blockSize) {
        if (ir == null || ir.length < 1) throw new IllegalArgumentException("PartitionedConvolution: the impulse response is empty");
        if (blockSize < 1) throw new IllegalArgumentException("PartitionedConvolution: blockSize must be >= 1, got " + blockSize);
        block = blockSize;
        nfft = FftConvolution.nextPow2(2 * blockSize);
        bins = nfft / 2 + 1;
        stride = (bins + S.length() - 1) / S.length() * S.length();
        partitions = (ir.length + blockSize - 1) / blockSize;
        fft = RealFft.of(nfft);
        hRe = new float[partitions * stride];
        hIm = new float[partitions * stride];
        xRe = new float[partitions * stride];
        xIm = new float[partitions * stride];
        hist = new float[nfft];
        buf = new float[nfft + 2];
        accRe = new float[stride];
        accIm = new float[stride];
        for (int p = 0; p < partitions; p++) {
            java.util.Arrays.fill(buf, 0f);
            int from = p * blockSize, len = Math.min(blockSize, ir.length - from);
            System.arraycopy(ir, from, buf, 0, len);
            fft.forward(buf, 0, buf, 0);
            split(buf, hRe, hIm, p * stride);
        }
    }

    /** Samples per block. */
    public int blockSize() {
        return block;
    }

    /** Number of IR partitions (the multiply-adds per block scale with it). */
    public int partitions() {
        return partitions;
    }

    /** Forgets the input history (the tail of everything before is dropped). */
    public void reset() {
        java.util.Arrays.fill(hist, 0f);
        java.util.Arrays.fill(xRe, 0f);
        java.util.Arrays.fill(xIm, 0f);
        head = 0;
    }

    /**
     * Convolves the next block.
     *
     * @param in  {@code blockSize} input samples from {@code inOff}
     * @param out receives {@code blockSize} output samples at {@code outOff} (overwritten; may be {@code in})
     */
    public void process(float[] in, int inOff, float[] out, int outOff) {
        System.arraycopy(hist, block, hist, 0, nfft - block);
        System.arraycopy(in, inOff, hist, nfft - block, block);
        head = head == 0 ? partitions - 1 : head - 1;
        System.arraycopy(hist, 0, buf, 0, nfft);
        fft.forward(buf, 0, buf, 0);
        split(buf, xRe, xIm, head * stride);
        java.util.Arrays.fill(accRe, 0f);
        java.util.Arrays.fill(accIm, 0f);
        int vl = S.length();
        for (int p = 0; p < partitions; p++) {
            int slot = head + p;
            if (slot >= partitions) slot -= partitions;
            int xo = slot * stride, ho = p * stride;
            for (int i = 0; i < stride; i += vl) {
                FloatVector xr = FloatVector.fromArray(S, xRe, xo + i), xi = FloatVector.fromArray(S, xIm, xo + i);
                FloatVector hr = FloatVector.fromArray(S, hRe, ho + i), hi = FloatVector.fromArray(S, hIm, ho + i);
                FloatVector ar = FloatVector.fromArray(S, accRe, i), ai = FloatVector.fromArray(S, accIm, i);
                xr.fma(hr, xi.neg().fma(hi, ar)).intoArray(accRe, i);
                xr.fma(hi, xi.fma(hr, ai)).intoArray(accIm, i);
            }
        }
        for (int k = 0; k < bins; k++) {
            buf[2 * k] = accRe[k];
            buf[2 * k + 1] = accIm[k];
        }
        fft.inverse(buf, 0, buf, 0);
        System.arraycopy(buf, nfft - block, out, outOff, block);
    }

    private void split(float[] spec, float[] re, float[] im, int off) {
        for (int k = 0; k < bins; k++) {
            re[off + k] = spec[2 * k];
            im[off + k] = spec[2 * k + 1];
        }
    }
}
