package org.ddsp4j.dsp;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Frame-rate controls to audio rate (and resampling of frame sequences in general). Inputs are
 * {@code [batch, nFrames, channels]}, outputs {@code [batch, nSamples, channels]}; every function is
 * a fused op with a hand-written backward (the adjoint of the same interpolation weights).
 */
public final class Upsampling {
    /** Where output sample {@code t} of {@code n} reads the input of {@code F} frames. */
    public enum Align {
        /**
         * {@code pos(t) = t * (F - 1) / (n - 1)}: first and last samples sit exactly on the first and
         * last frames ({@code align_corners=True} in PyTorch; the convention of the fused synth
         * kernels and of the PyTorch reference benchmarks).
         */
        CORNERS,
        /**
         * {@code pos(t) = t * F / n}, clamped to the last frame: frame {@code f} sits at sample
         * {@code f * n / F} and the last value is held for the last interval (ddsp's
         * {@code resample(..., add_endpoint=True)}, i.e. TF1 {@code image.resize} with
         * {@code align_corners=False}).
         */
        HOLD_LAST
    }

    private Upsampling() {}

    /** {@link #resample} with {@link Align#CORNERS}: linear upsampling {@code [B, F, C] -> [B, nSamples, C]}. */
    public static Tensor linear(Tensor frames, int nSamples) {
        return resample(frames, nSamples, Align.CORNERS);
    }

    /**
     * Linear interpolation of a frame sequence to a new length (up or down; downsampling does not
     * low-pass first).
     *
     * @param frames  {@code [batch, nFrames, channels]}, nFrames >= 1
     * @param length  output length (>= 1)
     * @param align   where output samples fall on the input frames
     * @return {@code [batch, length, channels]}
     */
    public static Tensor resample(Tensor frames, int length, Align align) {
        int[] s = check3("resample", frames);
        if (length < 1) throw new IllegalArgumentException("resample: length must be >= 1, got " + length);
        int b = s[0], f = s[1], c = s[2];
        int[] i0 = new int[length];
        float[] w = new float[length];
        for (int t = 0; t < length; t++) {
            double pos = switch (align) {
                case CORNERS -> length == 1 ? 0 : (double) t * (f - 1) / (length - 1);
                case HOLD_LAST -> Math.min((double) t * f / length, f - 1);
            };
            int i = Math.min((int) Math.floor(pos), f - 1);
            i0[t] = i;
            w[t] = (float) (pos - i);
        }
        float[] x = frames.data(), y = new float[b * length * c];
        Parallel.forRange(b, 1, (from, to) -> {
            for (int bb = from; bb < to; bb++) {
                int xo = bb * f * c, yo = bb * length * c;
                for (int t = 0; t < length; t++) {
                    int a0 = xo + i0[t] * c, a1 = xo + Math.min(i0[t] + 1, f - 1) * c, o = yo + t * c;
                    float wt = w[t], w0 = 1 - wt;
                    for (int ch = 0; ch < c; ch++) y[o + ch] = w0 * x[a0 + ch] + wt * x[a1 + ch];
                }
            }
        });
        return Tensor.fromOp("resample_linear", y, new int[] {b, length, c}, gy -> {
            float[] gx = frames.gradBuffer();
            Parallel.forRange(b, 1, (from, to) -> {
                for (int bb = from; bb < to; bb++) {
                    int xo = bb * f * c, yo = bb * length * c;
                    for (int t = 0; t < length; t++) {
                        int a0 = xo + i0[t] * c, a1 = xo + Math.min(i0[t] + 1, f - 1) * c, o = yo + t * c;
                        float wt = w[t], w0 = 1 - wt;
                        for (int ch = 0; ch < c; ch++) {
                            gx[a0 + ch] += w0 * gy[o + ch];
                            gx[a1 + ch] += wt * gy[o + ch];
                        }
                    }
                }
            });
        }, frames);
    }

    /**
     * Hann-window overlap-add upsampling ({@code ddsp.core.upsample_with_windows}): each frame
     * value is multiplied by a periodic Hann window of {@code 2 * hop} samples centred on the
     * frame's position; windows overlap by 50 % and sum to one, so constant controls stay constant
     * and changes crossfade smoothly (no corners as with linear interpolation).
     *
     * <p>With {@code addEndpoint} the last frame is repeated once (ddsp's default, held for the last
     * interval) and there are {@code F} intervals, so {@code nSamples} must be a multiple of {@code F}
     * ({@code hop = nSamples / F}); without it there are {@code F - 1} intervals. Frame {@code f} is
     * centred on sample {@code f * hop}; the rise of the first window and fall of the last are trimmed.
     *
     * @param frames      {@code [batch, nFrames, channels]}
     * @param nSamples    output length, a multiple of the interval count and larger than nFrames
     * @param addEndpoint repeat the last frame (true in ddsp)
     * @return {@code [batch, nSamples, channels]}
     */
    public static Tensor windowed(Tensor frames, int nSamples, boolean addEndpoint) {
        int[] s = check3("windowed upsampling", frames);
        int b = s[0], f = s[1], c = s[2];
        int fe = addEndpoint ? f + 1 : f; // frames after appending the endpoint
        int intervals = fe - 1;
        if (intervals < 1 || fe >= nSamples) {
            throw new IllegalArgumentException("windowed upsampling cannot downsample: " + f + " frames to " + nSamples
                    + " samples (need nSamples > nFrames and at least one interval)");
        }
        if (nSamples % intervals != 0) {
            throw new IllegalArgumentException("windowed upsampling: nSamples " + nSamples + " is not a multiple of the "
                    + intervals + " intervals (nFrames " + f + (addEndpoint ? " + endpoint" : "") + ")");
        }
        int hop = nSamples / intervals;
        float[] win = Windows.hann(2 * hop, true);
        float[] x = frames.data(), y = new float[b * nSamples * c];
        Parallel.forRange(b, 1, (from, to) -> {
            for (int bb = from; bb < to; bb++) {
                for (int t = 0; t < nSamples; t++) {
                    // Frames k = t/hop (window's falling half) and k + 1 (rising half) cover sample t;
                    // k + 1 <= intervals always exists (the endpoint is frame f - 1 again).
                    int k = t / hop, j = t - k * hop;
                    float wa = win[j + hop], wb = win[j];
                    int a = bb * f * c + Math.min(k, f - 1) * c, bi = bb * f * c + Math.min(k + 1, f - 1) * c;
                    int o = (bb * nSamples + t) * c;
                    for (int ch = 0; ch < c; ch++) y[o + ch] = wa * x[a + ch] + wb * x[bi + ch];
                }
            }
        });
        return Tensor.fromOp("upsample_windowed", y, new int[] {b, nSamples, c}, gy -> {
            float[] gx = frames.gradBuffer();
            Parallel.forRange(b, 1, (from, to) -> {
                for (int bb = from; bb < to; bb++) {
                    for (int t = 0; t < nSamples; t++) {
                        int k = t / hop, j = t - k * hop;
                        float wa = win[j + hop], wb = win[j];
                        int a = bb * f * c + Math.min(k, f - 1) * c, bi = bb * f * c + Math.min(k + 1, f - 1) * c;
                        int o = (bb * nSamples + t) * c;
                        for (int ch = 0; ch < c; ch++) {
                            gx[a + ch] += wa * gy[o + ch];
                            gx[bi + ch] += wb * gy[o + ch];
                        }
                    }
                }
            });
        }, frames);
    }

    private static int[] check3(String op, Tensor x) {
        int[] s = x.shape();
        if (s.length != 3 || s[1] < 1) {
            throw new IllegalArgumentException(op + " needs [batch, nFrames >= 1, channels], got " + Shape.str(s)
                    + "; reshape [batch, nFrames] controls to [batch, nFrames, 1]");
        }
        return s;
    }
}
