package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-matrix product for one row at a time (the per-frame form of a Dense layer, used by
 * streaming): {@code y = x W + b} with {@code W [in, out]} row-major. Rows of W are contiguous, so
 * the loop broadcasts {@code x[i]} and multiply-adds whole rows; four rows per pass keep {@code y}
 * in registers for four multiply-adds. Allocates nothing.
 */
public final class MatVec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private MatVec() {}

    /**
     * {@code y[yOff + j] = b[j] + sum_i x[xOff + i] w[i, j]} for {@code j < out}.
     *
     * @param b {@code [out]} bias, or null for none
     */
    public static void affine(float[] x, int xOff, int in, float[] w, float[] b, float[] y, int yOff, int out) {
        if (b != null) System.arraycopy(b, 0, y, yOff, out);
        else java.util.Arrays.fill(y, yOff, yOff + out, 0f);
        accumulate(x, xOff, in, w, 0, y, yOff, out);
    }

    /** {@code y[yOff + j] += sum_i x[xOff + i] w[wRow0 + i, j]}: rows {@code wRow0 ..} of {@code W [*, out]}. */
    public static void accumulate(float[] x, int xOff, int in, float[] w, int wRow0, float[] y, int yOff, int out) {
        int vl = S.length(), bound = S.loopBound(out), i = 0;
        for (; i + 3 < in; i += 4) {
            float x0 = x[xOff + i], x1 = x[xOff + i + 1], x2 = x[xOff + i + 2], x3 = x[xOff + i + 3];
            FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
            FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
            int w0 = (wRow0 + i) * out, w1 = w0 + out, w2 = w1 + out, w3 = w2 + out, j = 0;
            for (; j < bound; j += vl) {
                FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                acc = v0.fma(FloatVector.fromArray(S, w, w0 + j), acc);
                acc = v1.fma(FloatVector.fromArray(S, w, w1 + j), acc);
                acc = v2.fma(FloatVector.fromArray(S, w, w2 + j), acc);
                acc = v3.fma(FloatVector.fromArray(S, w, w3 + j), acc);
                acc.intoArray(y, yOff + j);
            }
            for (; j < out; j++) {
                float a = y[yOff + j];
                a = Math.fma(x0, w[w0 + j], a);
                a = Math.fma(x1, w[w1 + j], a);
                a = Math.fma(x2, w[w2 + j], a);
                y[yOff + j] = Math.fma(x3, w[w3 + j], a);
            }
        }
        for (; i < in; i++) {
            float xi = x[xOff + i];
            FloatVector xv = FloatVector.broadcast(S, xi);
            int wo = (wRow0 + i) * out, j = 0;
            for (; j < bound; j += vl) {
                xv.fma(FloatVector.fromArray(S, w, wo + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
            }
            for (; j < out; j++) y[yOff + j] = Math.fma(xi, w[wo + j], y[yOff + j]);
        }
    }
}
