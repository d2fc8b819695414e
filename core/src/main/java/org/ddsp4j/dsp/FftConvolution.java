package org.ddsp4j.dsp;

import java.util.Arrays;
import org.ddsp4j.kernel.ComplexKernel;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Convolution of audio with impulse responses (ddsp's {@code fft_convolve}), as fused tensor ops
 * with hand-written backward (differentiable w.r.t. both the audio and the impulse responses).
 *
 * <ul>
 *   <li><b>Time-varying</b> ({@code ir [B or 1, nFrames, irSize]}, ddsp's {@code fft_convolve}): the
 *       audio {@code [B, T]} is cut into {@code nFrames} non-overlapping frames of {@code hop = T / nFrames}
 *       samples; frame {@code f} is convolved with IR {@code f} (one FFT of size
 *       {@code nextPow2(hop + irSize - 1)}, so no wrap-around) and the results are overlap-added at
 *       {@code f * hop}. Suited to short IRs (filters, filtered noise). When frames and IRs are short
 *       the same sums are computed directly in the time domain with SIMD ({@link Method}), which is
 *       several times cheaper than three FFTs per frame; results agree to float rounding.
 *   <li><b>Static</b> ({@code ir [B or 1, irSize]}): one FFT of size {@code nextPow2(T + irSize - 1)} per
 *       signal; suited to long IRs (reverb).
 * </ul>
 *
 * <p>Both compute the full linear convolution {@code full[t] = sum_j x[t - j] ir[j]},
 * {@code t in [0, T + irSize - 1)}, then crop ({@link Padding}). An IR of batch 1 is shared by every
 * row (its gradient is summed over the batch).
 */
public final class FftConvolution {
    /** Output cropping. */
    public enum Padding {
        /**
         * {@code T} samples, {@code out[t] = full[t + delay]}: the filter's group delay is removed.
         * The default delay is {@code irSize / 2}, the centre tap of the linear-phase IRs of
         * {@link Filters}, so a zero-phase response leaves features where they were. (ddsp's default
         * is {@code (irSize - 1) / 2 - 1}; pass it explicitly to reproduce ddsp bit for bit.)
         */
        SAME,
        /** All {@code T + irSize - 1} samples of the full convolution, no delay removed. */
        VALID
    }

    /** How the time-varying convolution is computed (results agree to float rounding). */
    public enum Method {
        /** Direct when {@code hop * irSize <= DIRECT_FACTOR * nfft * log2(nfft)}, else FFT. */
        AUTO,
        /** Per-frame FFTs of size {@code nextPow2(hop + irSize - 1)}. */
        FFT,
        /** Time-domain SIMD multiply-adds, {@code hop * irSize} per frame. */
        DIRECT
    }

    /**
     * Direct time-varying convolution is chosen while its multiply-adds per frame are at most this
     * many times {@code nfft log2 nfft}: three FFTs per frame (and their twiddles and shuffles) cost
     * far more than the same count of contiguous SIMD multiply-adds (for 64-sample frames and 128-tap
     * IRs direct is several times faster).
     */
    static final int DIRECT_FACTOR = 8;
    /**
     * The gradient of a shared static IR is summed over the batch in at most this many chunks of
     * rows (one spectrum of partial sums each), a split fixed by the batch size, not the threads.
     */
    static final int GRAD_CHUNKS = 8;

    private FftConvolution() {}

    /** {@link #fftConvolve(Tensor, Tensor, Padding, int)} with the default delay ({@code irSize / 2} for SAME). */
    public static Tensor fftConvolve(Tensor audio, Tensor ir, Padding padding) {
        return fftConvolve(audio, ir, padding, -1);
    }

    /**
     * Convolves audio with static or time-varying impulse responses.
     *
     * @param audio   {@code [batch, nSamples]}
     * @param ir      {@code [batch or 1, irSize]} (static) or {@code [batch or 1, nFrames, irSize]}
     *                (time-varying, nSamples divisible by nFrames)
     * @param padding {@link Padding#SAME} ({@code [batch, nSamples]}) or {@link Padding#VALID}
     *                ({@code [batch, nSamples + irSize - 1]})
     * @param delay   samples removed from the front for SAME, in {@code [0, irSize - 1]}; negative
     *                for the default {@code irSize / 2}; ignored for VALID
     */
    public static Tensor fftConvolve(Tensor audio, Tensor ir, Padding padding, int delay) {
        return fftConvolve(audio, ir, padding, delay, Method.AUTO);
    }

    /**
     * {@link #fftConvolve(Tensor, Tensor, Padding, int)} with a choice of {@link Method} for
     * time-varying IRs (static IRs always use one large FFT).
     */
    public static Tensor fftConvolve(Tensor audio, Tensor ir, Padding padding, int delay, Method method) {
        int[] as = audio.shape(), hs = ir.shape();
        if (as.length != 2) throw new IllegalArgumentException("fftConvolve: audio must be [batch, nSamples], got " + Shape.str(as));
        if (hs.length != 2 && hs.length != 3) {
            throw new IllegalArgumentException("fftConvolve: ir must be [batch or 1, irSize] or [batch or 1, nFrames, irSize], got " + Shape.str(hs));
        }
        int batch = as[0], t = as[1], hb = hs[0], n = hs[hs.length - 1];
        if (hb != batch && hb != 1) {
            throw new IllegalArgumentException("fftConvolve: ir batch " + hb + " vs audio batch " + batch + " (ir batch must match or be 1)");
        }
        if (t < 1 || n < 1) throw new IllegalArgumentException("fftConvolve: empty audio " + Shape.str(as) + " or ir " + Shape.str(hs));
        int d = delay < 0 ? n / 2 : delay;
        if (padding == Padding.SAME && d > n - 1) {
            throw new IllegalArgumentException("fftConvolve: delay " + d + " exceeds irSize - 1 = " + (n - 1));
        }
        int start = padding == Padding.SAME ? d : 0;
        int outLen = padding == Padding.SAME ? t : t + n - 1;
        if (hs.length == 2) return staticConv(audio, ir, batch, t, hb == 1, n, start, outLen);
        int frames = hs[1];
        if (frames < 1 || t % frames != 0) {
            throw new IllegalArgumentException("fftConvolve: nSamples " + t + " is not divisible by the ir's nFrames " + frames
                    + "; make the audio length a multiple of the frame count");
        }
        int hop = t / frames, nfft = nextPow2(hop + n - 1);
        boolean direct = switch (method) {
            case DIRECT -> true;
            case FFT -> false;
            case AUTO -> (long) hop * n <= (long) DIRECT_FACTOR * nfft * Integer.numberOfTrailingZeros(nfft);
        };
        return direct ? FramewiseDirect.apply(audio, ir, batch, t, hb == 1, frames, n, start, outLen)
                : framewise(audio, ir, batch, t, hb == 1, frames, n, start, outLen);
    }

    // ------------------------------------------------------------------------- static (long IR)

    private static Tensor staticConv(Tensor audio, Tensor ir, int batch, int t, boolean shared, int n, int start, int outLen) {
        int nfft = nextPow2(t + n - 1), bins2 = nfft + 2;
        RealFft fft = RealFft.of(nfft);
        float[] x = audio.data(), h = ir.data();
        int hRows = shared ? 1 : batch;
        float[] hSpec = new float[hRows * bins2];
        Parallel.forRange(hRows, 1, (from, to) -> {
            for (int r = from; r < to; r++) spectrum(fft, h, r * n, n, hSpec, r * bins2);
        });
        boolean keepX = ir.requiresGrad();
        float[] xSpec = keepX ? new float[batch * bins2] : null;
        float[] y = new float[batch * outLen];
        Parallel.forRange(batch, 1, (from, to) -> {
            float[] buf = new float[bins2];
            for (int b = from; b < to; b++) {
                spectrum(fft, x, b * t, t, buf, 0);
                if (keepX) System.arraycopy(buf, 0, xSpec, b * bins2, bins2);
                mulInPlace(buf, hSpec, (shared ? 0 : b) * bins2, bins2, false);
                fft.inverse(buf, 0, buf, 0);
                System.arraycopy(buf, start, y, b * outLen, outLen);
            }
        });
        return Tensor.fromOp("fft_convolve", y, new int[] {batch, outLen}, gy -> {
            boolean gAudio = audio.requiresGrad(), gIr = ir.requiresGrad();
            float[] gx = gAudio ? audio.gradBuffer() : null;
            float[] gh = gIr ? ir.gradBuffer() : null;
            // Shared IR: per-chunk sums of G conj(X) in the frequency domain, added in chunk order, one
            // inverse FFT at the end. The chunks (at most GRAD_CHUNKS) depend on the batch size only,
            // so the sum does not depend on the thread count.
            int per = (batch + GRAD_CHUNKS - 1) / GRAD_CHUNKS, chunks = (batch + per - 1) / per;
            float[][] partial = new float[chunks][];
            Parallel.forRange(chunks, 1, (c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    float[] g = new float[bins2], tmp = new float[bins2];
                    float[] acc = gIr && shared ? new float[bins2] : null;
                    for (int b = c * per; b < Math.min(batch, (c + 1) * per); b++) {
                        if (start == 0) {
                            fft.forwardPadded(gy, b * outLen, outLen, g, 0);
                        } else {
                            Arrays.fill(g, 0f);
                            System.arraycopy(gy, b * outLen, g, start, outLen);
                            fft.forward(g, 0, g, 0);
                        }
                        if (gAudio) {
                            System.arraycopy(g, 0, tmp, 0, bins2);
                            mulInPlace(tmp, hSpec, (shared ? 0 : b) * bins2, bins2, true);
                            fft.inverse(tmp, 0, tmp, 0);
                            for (int i = 0; i < t; i++) gx[b * t + i] += tmp[i];
                        }
                        if (gIr) {
                            if (shared) {
                                macConj(acc, g, xSpec, b * bins2, bins2);
                            } else {
                                System.arraycopy(g, 0, tmp, 0, bins2);
                                mulInPlace(tmp, xSpec, b * bins2, bins2, true);
                                fft.inverse(tmp, 0, tmp, 0);
                                for (int i = 0; i < n; i++) gh[b * n + i] += tmp[i];
                            }
                        }
                    }
                    partial[c] = acc;
                }
            });
            if (gIr && shared) {
                float[] sum = new float[bins2];
                for (float[] p : partial) if (p != null) for (int i = 0; i < bins2; i++) sum[i] += p[i];
                fft.inverse(sum, 0, sum, 0);
                for (int i = 0; i < n; i++) gh[i] += sum[i];
            }
        }, audio, ir);
    }

    // ------------------------------------------------------------------------- time-varying

    private static Tensor framewise(Tensor audio, Tensor ir, int batch, int t, boolean shared, int frames, int n,
                                    int start, int outLen) {
        int hop = t / frames, seg = hop + n - 1;
        int nfft = nextPow2(seg), bins2 = nfft + 2;
        int full = t + n - 1;
        RealFft fft = RealFft.of(nfft);
        float[] x = audio.data(), h = ir.data();
        int hRows = (shared ? 1 : batch) * frames;
        float[] hSpec = new float[hRows * bins2];
        Parallel.forRange(hRows, 64, (from, to) -> {
            for (int r = from; r < to; r++) spectrum(fft, h, r * n, n, hSpec, r * bins2);
        });
        boolean keepX = ir.requiresGrad();
        float[] xSpec = keepX ? new float[batch * frames * bins2] : null;
        float[] y = new float[batch * outLen];
        Parallel.forRange(batch, 1, (from, to) -> {
            float[] buf = new float[bins2];
            float[] row = new float[full];
            for (int b = from; b < to; b++) {
                Arrays.fill(row, 0f);
                for (int f = 0; f < frames; f++) {
                    spectrum(fft, x, b * t + f * hop, hop, buf, 0);
                    if (keepX) System.arraycopy(buf, 0, xSpec, (b * frames + f) * bins2, bins2);
                    mulInPlace(buf, hSpec, ((shared ? 0 : b) * frames + f) * bins2, bins2, false);
                    fft.inverse(buf, 0, buf, 0);
                    int o = f * hop;
                    for (int i = 0; i < seg; i++) row[o + i] += buf[i];
                }
                System.arraycopy(row, start, y, b * outLen, outLen);
            }
        });
        return Tensor.fromOp("fft_convolve_framewise", y, new int[] {batch, outLen}, gy -> {
            boolean gAudio = audio.requiresGrad(), gIr = ir.requiresGrad();
            float[] gx = gAudio ? audio.gradBuffer() : null;
            float[] gh = gIr ? ir.gradBuffer() : null;
            // Parallel over frames: every (b, f) writes only its own gx frame and gh row.
            Parallel.forRange(frames, 16, (f0, f1) -> {
                float[] g = new float[bins2], tmp = new float[bins2], acc = new float[bins2];
                for (int f = f0; f < f1; f++) {
                    if (shared) Arrays.fill(acc, 0f);
                    for (int b = 0; b < batch; b++) {
                        // dL/d(full) over frame f's output segment [f*hop, f*hop + seg); zero outside the crop.
                        Arrays.fill(g, 0f);
                        int lo = Math.max(f * hop, start), hi = Math.min(f * hop + seg, start + outLen);
                        for (int i = lo; i < hi; i++) g[i - f * hop] = gy[b * outLen + i - start];
                        fft.forward(g, 0, g, 0);
                        int hr = ((shared ? 0 : b) * frames + f) * bins2, xr = (b * frames + f) * bins2;
                        if (gAudio) {
                            System.arraycopy(g, 0, tmp, 0, bins2);
                            mulInPlace(tmp, hSpec, hr, bins2, true);
                            fft.inverse(tmp, 0, tmp, 0);
                            int o = b * t + f * hop;
                            for (int i = 0; i < hop; i++) gx[o + i] += tmp[i];
                        }
                        if (gIr) {
                            if (shared) {
                                macConj(acc, g, xSpec, xr, bins2);
                            } else {
                                System.arraycopy(g, 0, tmp, 0, bins2);
                                mulInPlace(tmp, xSpec, xr, bins2, true);
                                fft.inverse(tmp, 0, tmp, 0);
                                int o = (b * frames + f) * n;
                                for (int i = 0; i < n; i++) gh[o + i] += tmp[i];
                            }
                        }
                    }
                    if (gIr && shared) {
                        fft.inverse(acc, 0, tmp, 0);
                        int o = f * n;
                        for (int i = 0; i < n; i++) gh[o + i] += tmp[i];
                    }
                }
            });
        }, audio, ir);
    }

    // ------------------------------------------------------------------------- helpers

    /** Smallest power of two {@code >= max(2, len)}. */
    static int nextPow2(int len) {
        if (len > (1 << 30)) throw new IllegalArgumentException("convolution of " + len + " samples is too long for one FFT");
        return len <= 2 ? 2 : Integer.highestOneBit(len - 1) << 1;
    }

    /** Zero-padded spectrum of {@code a[off, off+len)} into {@code spec[specOff, specOff + nfft + 2)}. */
    private static void spectrum(RealFft fft, float[] a, int off, int len, float[] spec, int specOff) {
        fft.forwardPadded(a, off, len, spec, specOff);
    }

    /** {@code a *= b} (or {@code a *= conj(b)}) for interleaved complex arrays; b from {@code bOff}. */
    private static void mulInPlace(float[] a, float[] b, int bOff, int len, boolean conj) {
        ComplexKernel.mulInPlace(a, 0, b, bOff, len, conj);
    }

    /** {@code acc += g * conj(x)} for interleaved complex arrays; x from {@code xOff}. */
    private static void macConj(float[] acc, float[] g, float[] x, int xOff, int len) {
        ComplexKernel.macConj(acc, 0, g, 0, x, xOff, len);
    }
}
