package org.ddsp4j.tensor;

import org.ddsp4j.kernel.RealFft;

/**
 * Signal-shaped ops on the last (or a given) axis: cumulative sum, framing into sliding windows,
 * overlap-add, and the real FFT pair. Complex spectra are real tensors with a trailing axis of 2
 * (re, im): {@code [..., n/2+1, 2]}.
 */
public final class SignalOps {
    private SignalOps() {}

    /** Running sum along {@code axis}, accumulated in double so long signals do not drift. */
    static Tensor cumsum(Tensor x, int axis) {
        int a = Shape.axis(axis, x.shape.length, "cumsum");
        int outer = 1, len = x.shape[a], inner = 1;
        for (int i = 0; i < a; i++) outer *= x.shape[i];
        for (int i = a + 1; i < x.shape.length; i++) inner *= x.shape[i];
        float[] xd = x.data, y = new float[xd.length];
        scan(xd, y, outer, len, inner, false);
        final int o = outer, l = len, in = inner;
        return Tensor.fromOp("cumsum", y, x.shape, gy -> {
            // d/dx_j of sum_{i>=j} gy_i: a reversed running sum.
            float[] tmp = new float[gy.length];
            scan(gy, tmp, o, l, in, true);
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += tmp[i];
        }, x);
    }

    private static void scan(float[] x, float[] y, int outer, int len, int inner, boolean reverse) {
        double[] acc = new double[inner];
        for (int o = 0; o < outer; o++) {
            java.util.Arrays.fill(acc, 0);
            int base = o * len * inner;
            for (int s = 0; s < len; s++) {
                int t = reverse ? len - 1 - s : s;
                int off = base + t * inner;
                for (int i = 0; i < inner; i++) {
                    acc[i] += x[off + i];
                    y[off + i] = (float) acc[i];
                }
            }
        }
    }

    /**
     * Sliding windows over the last axis: {@code x [..., T] -> [..., nFrames, frameLength]} with
     * {@code nFrames = 1 + (T - frameLength) / hop}; samples past the last full frame are dropped
     * (pad first to keep them).
     */
    public static Tensor frame(Tensor x, int frameLength, int hop) {
        int r = x.shape.length;
        if (r < 1) throw new IllegalArgumentException("frame needs rank >= 1, got a scalar");
        int t = x.shape[r - 1];
        if (frameLength < 1 || hop < 1) throw new IllegalArgumentException("frame: frameLength " + frameLength + " and hop " + hop + " must be >= 1");
        if (t < frameLength) {
            throw new IllegalArgumentException("frame: signal of " + t + " samples is shorter than frameLength " + frameLength
                    + " (shape " + Shape.str(x.shape) + "); pad it first");
        }
        int nFrames = 1 + (t - frameLength) / hop;
        int rows = x.data.length / t;
        int[] outShape = java.util.Arrays.copyOf(x.shape, r + 1);
        outShape[r - 1] = nFrames;
        outShape[r] = frameLength;
        float[] xd = x.data, y = new float[rows * nFrames * frameLength];
        for (int b = 0; b < rows; b++) {
            for (int f = 0; f < nFrames; f++) {
                System.arraycopy(xd, b * t + f * hop, y, (b * nFrames + f) * frameLength, frameLength);
            }
        }
        return Tensor.fromOp("frame", y, outShape, gy -> overlapAddInto(gy, rows, nFrames, frameLength, hop, x.gradBuffer(), t), x);
    }

    /**
     * Overlap-add: {@code frames [..., nFrames, frameLength] -> [..., (nFrames-1)*hop + frameLength]},
     * the adjoint of {@link #frame}.
     */
    public static Tensor overlapAdd(Tensor frames, int hop) {
        int r = frames.shape.length;
        if (r < 2) throw new IllegalArgumentException("overlapAdd needs [..., nFrames, frameLength], got " + Shape.str(frames.shape));
        if (hop < 1) throw new IllegalArgumentException("overlapAdd: hop " + hop + " must be >= 1");
        int nFrames = frames.shape[r - 2], frameLength = frames.shape[r - 1];
        int t = nFrames == 0 ? 0 : (nFrames - 1) * hop + frameLength;
        int rows = nFrames * frameLength == 0 ? 0 : frames.data.length / (nFrames * frameLength);
        int[] outShape = java.util.Arrays.copyOf(frames.shape, r - 1);
        outShape[r - 2] = t;
        float[] y = new float[Shape.numel(outShape)];
        overlapAddInto(frames.data, rows, nFrames, frameLength, hop, y, t);
        return Tensor.fromOp("overlap_add", y, outShape, gy -> {
            float[] gx = frames.gradBuffer();
            for (int b = 0; b < rows; b++) {
                for (int f = 0; f < nFrames; f++) {
                    int src = b * t + f * hop, dst = (b * nFrames + f) * frameLength;
                    for (int j = 0; j < frameLength; j++) gx[dst + j] += gy[src + j];
                }
            }
        }, frames);
    }

    private static void overlapAddInto(float[] fr, int rows, int nFrames, int frameLength, int hop, float[] out, int t) {
        for (int b = 0; b < rows; b++) {
            for (int f = 0; f < nFrames; f++) {
                int src = (b * nFrames + f) * frameLength, dst = b * t + f * hop;
                for (int j = 0; j < frameLength; j++) out[dst + j] += fr[src + j];
            }
        }
    }

    /**
     * Real FFT along the last axis, zero-padded to {@code n} (a power of two):
     * {@code x [..., T] (T <= n) -> [..., n/2+1, 2]}, unnormalized (X_k = sum_t x_t e^{-2 pi i k t/n}).
     */
    public static Tensor rfft(Tensor x, int n) {
        int r = x.shape.length;
        if (r < 1) throw new IllegalArgumentException("rfft needs rank >= 1, got a scalar");
        int t = x.shape[r - 1];
        if (t > n) throw new IllegalArgumentException("rfft: signal length " + t + " exceeds n " + n + " (shape " + Shape.str(x.shape) + ")");
        RealFft fft = RealFft.of(n);
        int rows = t == 0 ? 0 : x.data.length / t;
        int bins = n / 2 + 1;
        int[] outShape = java.util.Arrays.copyOf(x.shape, r + 1);
        outShape[r - 1] = bins;
        outShape[r] = 2;
        float[] y = new float[rows * 2 * bins];
        float[] xd = x.data;
        if (t == n) {
            fft.forwardBatch(xd, 0, n, y, 0, 2 * bins, rows);
        } else {
            float[] buf = new float[n];
            for (int b = 0; b < rows; b++) {
                System.arraycopy(xd, b * t, buf, 0, t);
                java.util.Arrays.fill(buf, t, n, 0f);
                fft.forward(buf, 0, y, b * 2 * bins);
            }
        }
        return Tensor.fromOp("rfft", y, outShape, gy -> {
            // dL/dx_t = sum_k Re(G_k e^{+i theta_kt}) = n * irfft(Z) with Z_k = G_k / 2 for 0 < k < n/2.
            float[] z = new float[2 * bins], out = new float[n];
            float[] gx = x.gradBuffer();
            for (int b = 0; b < rows; b++) {
                int o = b * 2 * bins;
                for (int k = 0; k < bins; k++) {
                    float s = (k == 0 || k == bins - 1) ? n : n * 0.5f;
                    z[2 * k] = gy[o + 2 * k] * s;
                    z[2 * k + 1] = gy[o + 2 * k + 1] * s;
                }
                fft.inverse(z, 0, out, 0);
                for (int j = 0; j < t; j++) gx[b * t + j] += out[j];
            }
        }, x);
    }

    /**
     * Inverse real FFT: {@code z [..., n/2+1, 2] -> [..., n]}, normalized by 1/n; the imaginary
     * parts of bins 0 and n/2 are ignored (as numpy's irfft does).
     */
    public static Tensor irfft(Tensor z, int n) {
        int r = z.shape.length;
        int bins = n / 2 + 1;
        if (r < 2 || z.shape[r - 1] != 2 || z.shape[r - 2] != bins) {
            throw new IllegalArgumentException("irfft(n=" + n + ") needs shape [..., " + bins + ", 2], got " + Shape.str(z.shape));
        }
        RealFft fft = RealFft.of(n);
        int rows = z.data.length / (2 * bins);
        int[] outShape = java.util.Arrays.copyOf(z.shape, r - 1);
        outShape[r - 2] = n;
        float[] y = new float[rows * n];
        fft.inverseBatch(z.data, 0, 2 * bins, y, 0, n, rows);
        return Tensor.fromOp("irfft", y, outShape, gy -> {
            // dL/dZ_k = (c_k / n) * rfft(g)_k with c_k = 1 at k = 0, n/2 and 2 elsewhere; no gradient
            // for the ignored imaginary parts of bins 0 and n/2.
            float[] spec = new float[2 * bins];
            float[] gz = z.gradBuffer();
            for (int b = 0; b < rows; b++) {
                fft.forward(gy, b * n, spec, 0);
                int o = b * 2 * bins;
                for (int k = 0; k < bins; k++) {
                    boolean edge = k == 0 || k == bins - 1;
                    float c = (edge ? 1f : 2f) / n;
                    gz[o + 2 * k] += c * spec[2 * k];
                    if (!edge) gz[o + 2 * k + 1] += c * spec[2 * k + 1];
                }
            }
        }, z);
    }
}
