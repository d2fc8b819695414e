package org.ddsp4j.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Flat-array kernels for the YIN difference function (de Cheveigné and Kawahara 2002).
 *
 * <p>The difference function of a frame starting at sample {@code t} with integration window
 * {@code W} is {@code d(tau) = sum_{j=t}^{t+W-1} (x[j] - x[j+tau])^2}. With frames {@code hop}
 * samples apart and {@code W = nBlocks * hop}, it splits into per-block partial sums
 * {@code e_b(tau)} over blocks of {@code hop} samples; consecutive frames share all but one block,
 * so each block is computed once ({@code hop * nLags} multiply-adds) and a frame's {@code d} is the
 * sum of its {@code nBlocks} blocks. This is exact (no windowing, no FFT round-off) and costs
 * {@code O(hop * nLags)} per frame.
 */
final class YinDifference {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private YinDifference() {}

    /** Lags rounded up to whole vectors; callers size lag arrays with this. */
    static int paddedLags(int nLags) {
        return (nLags + S.length() - 1) / S.length() * S.length();
    }

    /**
     * Partial difference function of one block.
     *
     * @param x signal; {@code x[start .. start + hop + paddedLags(nLags) - 1)} must exist
     * @param start first sample of the block
     * @param hop block length in samples
     * @param nLags lags {@code 0 .. nLags-1} are wanted
     * @param out {@code [paddedLags(nLags)]}: {@code out[tau] = sum_{j<hop} (x[start+j] - x[start+j+tau])^2}
     *     (entries past {@code nLags} are garbage-free but meaningless)
     */
    static void block(float[] x, int start, int hop, int nLags, float[] out) {
        // paddedLags is whole vectors: the ranged form runs only its vector loops, in the same order.
        block(x, start, hop, 0, paddedLags(nLags), out);
    }

    /**
     * Partial difference function of one block for the lags {@code [lagFrom, lagTo)} only; reads
     * {@code x[start .. start + hop + lagTo - 1)} and nothing beyond, so a causal caller can compute
     * the short lags of a block before the samples the long lags need have arrived. Each lag's sum
     * is accumulated in the same order as by {@link #block(float[], int, int, int, float[])}, so
     * computing a block's lags in pieces gives the same values as in one call.
     *
     * @param out receives {@code out[tau]} for {@code tau in [lagFrom, lagTo)}; other entries are untouched
     */
    static void block(float[] x, int start, int hop, int lagFrom, int lagTo, float[] out) {
        int lanes = S.length();
        int tau = lagFrom;
        // Four independent accumulators per j hide the FMA latency; each lives in a register for
        // the whole block, so the only memory traffic is the unaligned loads of x[j + tau].
        for (; tau + 4 * lanes <= lagTo; tau += 4 * lanes) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int j = start, end = start + hop; j < end; j++) {
                FloatVector xj = FloatVector.broadcast(S, x[j]);
                FloatVector d0 = xj.sub(FloatVector.fromArray(S, x, j + tau));
                FloatVector d1 = xj.sub(FloatVector.fromArray(S, x, j + tau + lanes));
                FloatVector d2 = xj.sub(FloatVector.fromArray(S, x, j + tau + 2 * lanes));
                FloatVector d3 = xj.sub(FloatVector.fromArray(S, x, j + tau + 3 * lanes));
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            a0.intoArray(out, tau);
            a1.intoArray(out, tau + lanes);
            a2.intoArray(out, tau + 2 * lanes);
            a3.intoArray(out, tau + 3 * lanes);
        }
        for (; tau + lanes <= lagTo; tau += lanes) {
            FloatVector a0 = FloatVector.zero(S);
            for (int j = start, end = start + hop; j < end; j++) {
                FloatVector d0 = FloatVector.broadcast(S, x[j]).sub(FloatVector.fromArray(S, x, j + tau));
                a0 = d0.fma(d0, a0);
            }
            a0.intoArray(out, tau);
        }
        for (; tau < lagTo; tau++) { // the same fused multiply-adds, one lane
            float a = 0f;
            for (int j = start, end = start + hop; j < end; j++) {
                float dj = x[j] - x[j + tau];
                a = Math.fma(dj, dj, a);
            }
            out[tau] = a;
        }
    }

    /**
     * Difference at one lag over any window: {@code sum_{j=start}^{start+w-1} (x[j] - x[j+tau])^2}, vectorized
     * along {@code j} (for windows that differ per lag, where {@link #block} does not apply); the lanes are
     * summed in a fixed order, so the result does not depend on the JIT tier.
     *
     * @param lanes scratch of one vector's lanes (nothing is allocated)
     */
    static float lag(float[] x, int start, int w, int tau, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int j = start, vecEnd = start + S.loopBound(w);
        for (; j < vecEnd; j += S.length()) {
            FloatVector dv = FloatVector.fromArray(S, x, j).sub(FloatVector.fromArray(S, x, j + tau));
            acc = dv.fma(dv, acc);
        }
        acc.intoArray(lanes, 0);
        float s = org.ddsp4j.kernel.VectorMath.sumPairwise(lanes, 0, lanes.length);
        for (int end = start + w; j < end; j++) {
            float dj = x[j] - x[j + tau];
            s += dj * dj;
        }
        return s;
    }

    /** {@code acc[i] += w * v[i]} for {@code i} in {@code [lo, hi)}. */
    static void addScaled(float[] acc, float[] v, float w, int lo, int hi) {
        int i = lo;
        FloatVector wv = FloatVector.broadcast(S, w);
        for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
            FloatVector.fromArray(S, v, i).fma(wv, FloatVector.fromArray(S, acc, i)).intoArray(acc, i);
        }
        for (; i < hi; i++) acc[i] += w * v[i];
    }

    /**
     * Cumulative-mean-normalized difference {@code d'(0) = 1},
     * {@code d'(tau) = d(tau) * tau / sum_{k=1}^{tau} d(k)}; 1 where the running sum is zero.
     *
     * @param d difference function {@code [n]}
     * @param n number of lags
     * @param out {@code [n]}
     */
    static void cmndf(float[] d, int n, float[] out) {
        out[0] = 1f;
        double sum = 0;
        for (int tau = 1; tau < n; tau++) {
            sum += d[tau];
            out[tau] = sum > 0 ? (float) (d[tau] * tau / sum) : 1f;
        }
    }

    /** Reference implementation for tests: direct O(W * nLags) difference function of one frame. */
    static void naive(float[] x, int start, int w, int nLags, float[] out) {
        for (int tau = 0; tau < nLags; tau++) {
            double s = 0;
            for (int j = start; j < start + w; j++) {
                double diff = x[j] - x[j + tau];
                s += diff * diff;
            }
            out[tau] = (float) s;
        }
    }
}
