package org.ddsp4j.dsp;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Modulated delay line for chorus, flanger and vibrato (ddsp's {@code effects.ModDelay}):
 * <pre>
 *   y[t] = (addDry ? x[t] : 0) + mix[t] * x(t - D[t]),   D[t] = delayMs[t] * sampleRate / 1000
 * </pre>
 * where {@code x(u)} interpolates linearly between samples and is 0 before the start
 * ({@code u < 0}). A fused op, differentiable w.r.t. the audio, the delay (the slope of the
 * interpolation: {@code dy/dD = -mix * (x[i+1] - x[i])}, defined away from whole-sample delays) and
 * the mix.
 *
 * <p>ddsp's control parameterization is {@link #delayFromPhase}: a phase in [0, 1] (sigmoid of the
 * raw value) sweeps the delay from {@code centerMs} to {@code centerMs + depthMs}; the mix is
 * {@code expSigmoid} of a raw gain. Chorus: ~15 ms centre, ~10 ms depth, slow LFO; flanger: ~1-5 ms;
 * vibrato: wet only ({@code addDry = false}).
 */
public final class ModDelay {
    private ModDelay() {}

    /** {@code centerMs + depthMs * phase}: delay in ms from a phase in [0, 1], any shape. */
    public static Tensor delayFromPhase(Tensor phase, float centerMs, float depthMs) {
        return phase.mul(depthMs).add(centerMs);
    }

    /**
     * Applies the delay.
     *
     * @param audio      {@code [batch, nSamples]}
     * @param delayMs    {@code [batch or 1, nSamples]} per-sample delay in ms (>= 0), or
     *                   {@code [batch or 1, 1]} for a constant delay; upsample frame-rate controls
     *                   first ({@link Upsampling#linear})
     * @param mix        {@code [batch or 1, nSamples]} or {@code [batch or 1, 1]}: linear gain of the wet path
     * @param sampleRate Hz
     * @param addDry     add the dry signal
     * @return {@code [batch, nSamples]}
     */
    public static Tensor apply(Tensor audio, Tensor delayMs, Tensor mix, float sampleRate, boolean addDry) {
        int[] as = audio.shape();
        if (as.length != 2) throw new IllegalArgumentException("ModDelay: audio must be [batch, nSamples], got " + Shape.str(as));
        int batch = as[0], t = as[1];
        Strides ds = strides("delayMs", delayMs, batch, t), ms = strides("mix", mix, batch, t);
        if (!(sampleRate > 0)) throw new IllegalArgumentException("ModDelay: sampleRate must be > 0, got " + sampleRate);
        float[] x = audio.data(), dm = delayMs.data(), mx = mix.data();
        for (float v : dm) {
            if (!(v >= 0)) throw new IllegalArgumentException("ModDelay: delays must be >= 0 ms, got " + v);
        }
        double perMs = sampleRate / 1000.0;
        float[] y = new float[batch * t];
        Parallel.forRange(batch, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                int xo = b * t;
                for (int i = 0; i < t; i++) {
                    double u = i - dm[ds.at(b, i)] * perMs;
                    y[xo + i] = (addDry ? x[xo + i] : 0f) + mx[ms.at(b, i)] * interp(x, xo, u);
                }
            }
        });
        return Tensor.fromOp("mod_delay", y, new int[] {batch, t}, gy -> {
            float[] gx = audio.requiresGrad() ? audio.gradBuffer() : null;
            float[] gd = delayMs.requiresGrad() ? delayMs.gradBuffer() : null;
            float[] gm = mix.requiresGrad() ? mix.gradBuffer() : null;
            // Broadcast delay/mix rows (batch 1) are shared by rows: run rows in order then.
            boolean shared = (gd != null && ds.rowStride == 0) || (gm != null && ms.rowStride == 0);
            Parallel.forRange(batch, shared ? Integer.MAX_VALUE : 1, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int xo = b * t;
                    for (int i = 0; i < t; i++) {
                        float g = gy[xo + i];
                        if (gx != null && addDry) gx[xo + i] += g;
                        int di = ds.at(b, i), mi = ms.at(b, i);
                        double u = i - dm[di] * perMs;
                        if (gm != null) gm[mi] += g * interp(x, xo, u);
                        if (u <= -1) continue;
                        int i0 = (int) Math.floor(u);
                        float a = (float) (u - i0);
                        float x0 = i0 >= 0 ? x[xo + i0] : 0f, x1 = i0 + 1 < t && i0 + 1 >= 0 ? x[xo + i0 + 1] : 0f;
                        float gw = g * mx[mi];
                        if (gx != null) {
                            if (i0 >= 0) gx[xo + i0] += (1 - a) * gw;
                            if (i0 + 1 >= 0 && i0 + 1 < t) gx[xo + i0 + 1] += a * gw;
                        }
                        if (gd != null) gd[di] += (float) (-gw * (x1 - x0) * perMs);
                    }
                }
            });
        }, audio, delayMs, mix);
    }

    /** The row starting at {@code xo} read at fractional index {@code u} (linear interpolation, 0 before 0). */
    private static float interp(float[] x, int xo, double u) {
        if (u <= -1) return 0f;
        int i0 = (int) Math.floor(u);
        float a = (float) (u - i0);
        float x0 = i0 >= 0 ? x[xo + i0] : 0f;
        // i0 + 1 <= i: the delay is >= 0, so the sample read never lies past the current one.
        float x1 = a > 0 ? x[xo + i0 + 1] : 0f;
        return (1 - a) * x0 + a * x1;
    }

    /** Index map of a [batch or 1, nSamples or 1] control onto (row, sample). */
    private record Strides(int rowStride, int colStride) {
        int at(int b, int i) {
            return b * rowStride + i * colStride;
        }
    }

    private static Strides strides(String what, Tensor c, int batch, int t) {
        int[] s = c.shape();
        if (s.length != 2 || (s[0] != batch && s[0] != 1) || (s[1] != t && s[1] != 1)) {
            throw new IllegalArgumentException("ModDelay: " + what + " must be [batch or 1, nSamples or 1] = ["
                    + batch + " or 1, " + t + " or 1], got " + Shape.str(s));
        }
        return new Strides(s[0] == 1 ? 0 : s[1], s[1] == 1 ? 0 : 1);
    }
}
