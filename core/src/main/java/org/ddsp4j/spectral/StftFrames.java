package org.ddsp4j.spectral;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.spectral.StftKernel.Padding;

/**
 * Batched STFT and its adjoint on flat arrays, parallel over (row, frame): the engine under the
 * differentiable spectral ops and the fused spectral loss.
 *
 * <p>Adjoint: with {@code X_k = sum_t w_t x_{s+t} e^{-2 pi i k t/n}} for {@code k in [0, n/2]}, the
 * gradient of a loss with {@code G_k = dL/dRe X_k + i dL/dIm X_k} is
 * {@code dL/dx_{s+t} = w_t Re(sum_k G_k e^{+2 pi i k t/n})}, i.e. {@code w_t * irfft(Z)_t} with
 * {@code Z_k = (n/2) G_k} inside and {@code n G_k} at bins 0 and {@code n/2} (irfft has a 1/n and
 * counts interior bins twice). Frames are overlap-added in the padded domain and the padding is
 * folded back: reflected samples add into the samples they mirror, zero padding drops out.
 *
 * <p>Overlap-add is race-free without locks: each task (a row and a run of consecutive frames)
 * overlap-adds into its own slice of a scratch buffer, and a second pass adds the slices into the
 * signal gradient row by row.
 */
final class StftFrames {
    /** Computes the spectral gradient of one frame; one instance per task, so it may own scratch. */
    interface FrameGradient {
        /**
         * Writes {@code dL/dRe X_k, dL/dIm X_k} of frame {@code frame} of row {@code row} into
         * {@code spec[0 .. nFft+2)} interleaved, or returns false when that frame's gradient is zero.
         */
        boolean compute(int row, int frame, float[] spec);
    }

    /** Creates the {@link FrameGradient} of task number {@code task} (tasks run on worker threads). */
    interface Factory {
        FrameGradient create(int task);
    }

    private StftFrames() {}

    /** Frames per task: about 32k samples of FFT work. */
    static int framesPerTask(int nFft) {
        return Math.max(1, 32768 / nFft);
    }

    /** Number of tasks {@link #adjoint} uses for {@code rows} rows of {@code frames} frames. */
    static int tasks(int rows, int frames, int nFft) {
        int per = framesPerTask(nFft);
        return rows * ((frames + per - 1) / per);
    }

    /**
     * Complex STFT of every row: {@code x [rows, nSamples]} (from offset 0) into
     * {@code out [rows, frames, nFft/2+1]} interleaved, parallel over (row, frame).
     */
    static void forward(StftKernel k, float[] x, int rows, int nSamples, float[] out) {
        int n = k.nFft(), frames = k.frames(nSamples), row = n + 2;
        RealFft fft = RealFft.of(n);
        Parallel.forRange(rows * frames, framesPerTask(n), (from, to) -> {
            for (int i = from; i < to; i++) {
                int b = i / frames, f = i - b * frames, o = i * row;
                k.frame(x, b * nSamples, nSamples, f, out, o);
                fft.forward(out, o, out, o);
            }
        });
    }

    /**
     * Accumulates {@code gx [rows, nSamples] += adjoint STFT of the spectral gradients} produced by
     * {@code factory}'s frame gradients. With {@code gx == null} the frame gradients are still
     * computed (for their side effects, e.g. a loss value) but nothing is transformed back.
     */
    static void adjoint(StftKernel k, int rows, int nSamples, float[] gx, Factory factory) {
        int n = k.nFft(), hop = k.hop(), frames = k.frames(nSamples);
        int per = framesPerTask(n), chunksPerRow = (frames + per - 1) / per, tasks = rows * chunksPerRow;
        int chunkLen = (per - 1) * hop + n;
        if (gx != null && gx.length < (long) rows * nSamples) {
            throw new IllegalArgumentException("gradient buffer of " + gx.length + " floats for " + rows + " x " + nSamples);
        }
        if ((long) tasks * chunkLen > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("STFT adjoint of " + rows + " x " + nSamples + " samples is too large");
        }
        RealFft fft = RealFft.of(n);
        // Window with the irfft's n/2 folded in (the edge bins get their extra factor 2 per frame).
        float[] w = k.window();
        for (int t = 0; t < n; t++) w[t] *= n * 0.5f;
        float[] acc = gx == null ? null : new float[tasks * chunkLen];
        Parallel.forRange(tasks, 1, (from, to) -> {
            float[] spec = new float[n + 2];
            for (int task = from; task < to; task++) {
                FrameGradient fg = factory.create(task);
                int b = task / chunksPerRow, f0 = (task - b * chunksPerRow) * per, f1 = Math.min(frames, f0 + per);
                int base = task * chunkLen;
                for (int f = f0; f < f1; f++) {
                    if (!fg.compute(b, f, spec) || acc == null) continue;
                    spec[0] *= 2;
                    spec[n] *= 2;
                    fft.inverse(spec, 0, spec, 0);
                    int o = base + (f - f0) * hop;
                    for (int t = 0; t < n; t++) acc[o + t] += spec[t] * w[t];
                }
            }
        });
        if (acc == null) return;
        int pad = k.padding() == Padding.NONE ? 0 : n / 2;
        boolean reflect = k.padding() == Padding.REFLECT;
        Parallel.forRange(rows, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                int g = b * nSamples;
                for (int c = 0; c < chunksPerRow; c++) {
                    int f0 = c * per, f1 = Math.min(frames, f0 + per);
                    int len = (f1 - f0 - 1) * hop + n, src = (b * chunksPerRow + c) * chunkLen;
                    int start = f0 * hop - pad; // signal index of the chunk's first sample
                    // Inside the signal: a straight add; outside: fold the padding back.
                    int lo = Math.max(0, -start), hi = Math.min(len, nSamples - start);
                    for (int t = lo; t < hi; t++) gx[g + start + t] += acc[src + t];
                    if (!reflect) continue;
                    for (int t = 0; t < Math.min(lo, len); t++) gx[g - (start + t)] += acc[src + t];
                    for (int t = Math.max(hi, 0); t < len; t++) gx[g + 2 * (nSamples - 1) - (start + t)] += acc[src + t];
                }
            }
        });
    }
}
