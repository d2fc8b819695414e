package org.ddsp4j.spectral;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.kernel.VectorMath;

/**
 * Fused single-scale spectral L1 loss on flat arrays: value and gradient w.r.t. the predicted
 * signal in one pass per frame (frame both signals, two forward FFTs, the per-bin loss and its
 * spectral gradient, one inverse FFT, window, overlap-add), parallel over (row, frame) through
 * {@link StftFrames}.
 *
 * <p>Loss: {@code magWeight * mean|A - B| + logMagWeight * mean|log(A + eps) - log(B + eps)|} with
 * {@code A = |STFT(predicted)|}, {@code B = |STFT(target)|}, means over {@code [batch, frames, bins]}.
 * Since log is increasing, {@code sign(log(A+eps) - log(B+eps)) = sign(A - B)}, so the gradient
 * needs no logarithm and the value needs one per bin ({@code log((A+eps)/(B+eps))}).
 * {@code dL/dA = sign(A - B) (magWeight + logMagWeight / (A + eps)) / N} and
 * {@code dL/dX = dL/dA * X / A} (0 where {@code A = 0}, like torch's abs).
 *
 * <p>The per-bin math runs on the interleaved (re, im) spectrum without de-interleaving: with
 * {@code p = v*v + swap(v*v)} every lane of a pair holds the bin's power, so the gradient factor
 * multiplies {@code v} directly; the duplicated value terms are halved at the end.
 */
final class MultiScaleKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);

    private MultiScaleKernel() {}

    /**
     * One scale.
     *
     * @param target    {@code [rows, nSamples]}
     * @param predicted {@code [rows, nSamples]}
     * @param gx        receives {@code += dL/d(predicted)} ({@code [rows, nSamples]}), or null for value only
     * @return the loss value of this scale
     */
    static double scale(StftKernel k, float[] target, float[] predicted, int rows, int nSamples,
                        float magWeight, float logMagWeight, float eps, float[] gx) {
        int n = k.nFft(), bins = k.bins(), frames = k.frames(nSamples);
        double count = (double) rows * frames * bins;
        float cm = (float) (magWeight / count), cl = (float) (logMagWeight / count);
        double[] magSums = new double[StftFrames.tasks(rows, frames, n)], logSums = new double[magSums.length];
        RealFft fft = RealFft.of(n);
        boolean grad = gx != null;
        StftFrames.adjoint(k, rows, nSamples, gx, task -> new StftFrames.FrameGradient() {
            private final float[] bt = new float[n + 2];

            @Override
            public boolean compute(int b, int f, float[] x) {
                k.frame(predicted, b * nSamples, nSamples, f, x, 0);
                fft.forward(x, 0, x, 0);
                k.frame(target, b * nSamples, nSamples, f, bt, 0);
                fft.forward(bt, 0, bt, 0);
                frameLoss(x, bt, n + 2, cm, cl, eps, grad, magSums, logSums, task);
                return grad;
            }
        });
        double mag = 0, log = 0;
        for (int i = 0; i < magSums.length; i++) {
            mag += magSums[i];
            log += logSums[i];
        }
        return (magWeight * mag + logMagWeight * log) / count;
    }

    /**
     * Per-bin loss of one frame: adds {@code sum|A-B|} and {@code sum|log((A+eps)/(B+eps))|} to
     * {@code magSums[slot]}, {@code logSums[slot]}; when {@code grad}, overwrites {@code x} (the predicted
     * spectrum, {@code len} interleaved floats) with {@code dL/dX}. {@code t} (the target spectrum) is
     * overwritten with scratch. The logarithms are {@link VectorMath#log}'s and the lane sums
     * {@link VectorMath#sumPairwise}'s, so the value does not depend on the JIT.
     */
    static void frameLoss(float[] x, float[] t, int len, float cm, float cl, float eps, boolean grad,
                          double[] magSums, double[] logSums, int slot) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), minusOne = FloatVector.broadcast(S, -1f);
        FloatVector vEps = FloatVector.broadcast(S, eps), vCm = FloatVector.broadcast(S, cm), vCl = FloatVector.broadcast(S, cl);
        FloatVector accMag = zero, accLog = zero;
        int i = 0, end = S.loopBound(len);
        for (; i < end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i), u = FloatVector.fromArray(S, t, i);
            FloatVector pv = v.mul(v), pu = u.mul(u);
            FloatVector a = pv.add(pv.rearrange(SWAP)).sqrt(), c = pu.add(pu.rearrange(SWAP)).sqrt();
            FloatVector d = a.sub(c);
            accMag = accMag.add(d.abs());
            FloatVector ae = a.add(vEps);
            ae.div(c.add(vEps)).intoArray(t, i); // the ratio, its logarithm below
            if (grad) {
                FloatVector sign = zero.blend(one, d.compare(VectorOperators.GT, 0f)).blend(minusOne, d.compare(VectorOperators.LT, 0f));
                FloatVector q = sign.mul(vCm.add(vCl.div(ae))).div(a);
                VectorMask<Float> nonzero = a.compare(VectorOperators.GT, 0f);
                zero.blend(q.mul(v), nonzero).intoArray(x, i);
            }
        }
        VectorMath.log(t, 0, t, 0, end);
        for (int j = 0; j < end; j += S.length()) accLog = accLog.add(FloatVector.fromArray(S, t, j).abs());
        // Lanes hold each bin twice (re and im lanes).
        float[] lanes = new float[S.length()];
        accMag.intoArray(lanes, 0);
        double mag = 0.5 * VectorMath.sumPairwise(lanes, 0, lanes.length);
        accLog.intoArray(lanes, 0);
        double log = 0.5 * VectorMath.sumPairwise(lanes, 0, lanes.length);
        for (; i < len; i += 2) {
            float re = x[i], im = x[i + 1], tr = t[i], ti = t[i + 1];
            float a = (float) Math.sqrt(re * re + im * im), c = (float) Math.sqrt(tr * tr + ti * ti);
            float d = a - c;
            mag += Math.abs(d);
            log += Math.abs(Math.log((a + eps) / (c + eps)));
            if (grad) {
                float q = a > 0 ? Math.signum(d) * (cm + cl / (a + eps)) / a : 0f;
                x[i] = q * re;
                x[i + 1] = q * im;
            }
        }
        magSums[slot] += mag;
        logSums[slot] += log;
    }
}
