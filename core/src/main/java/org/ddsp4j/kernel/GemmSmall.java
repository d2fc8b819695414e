package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.GemmMicroKernel.S;
import static org.ddsp4j.kernel.GemmMicroKernel.VL;

import jdk.incubator.vector.FloatVector;

/**
 * GEMM without packing, for products too small (or too thin: one or two rows) to pay for the
 * blocked path. Row by row: with B not transposed, C's row accumulates scaled rows of B (vectorized
 * along n); with B transposed, each element is a dot product along k (vectorized when A's row is
 * contiguous too). Arguments are trusted: {@link Gemm} validated them.
 */
final class GemmSmall {
    private GemmSmall() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        // Stride of op(A) along i (rows) and along p (k).
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        float[] lanes = transB && !transA ? new float[VL] : null;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, ai = aOff + i * aRow;
            if (!transB) {
                Gemm.scaleRow(c, ci, n, beta);
                for (int p = 0; p < k; p++) {
                    axpy(alpha * a[ai + p * aCol], b, bOff + p * ldb, c, ci, n);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float dot = transA ? dotStrided(a, ai, aCol, b, bj, k) : dot(a, ai, b, bj, k, lanes);
                    c[ci + j] = beta == 0f ? alpha * dot : alpha * dot + beta * c[ci + j];
                }
            }
        }
    }

    /** y[yo .. yo+n) += s * x[xo .. xo+n). */
    private static void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector sv = FloatVector.broadcast(S, s);
            for (; j < bound; j += VL) {
                FloatVector.fromArray(S, x, xo + j).fma(sv, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
            }
        }
        for (; j < n; j++) y[yo + j] = Math.fma(s, x[xo + j], y[yo + j]);
    }

    /** Sum of x[xo + p] * y[yo + p] over p < k; {@code lanes} is VL floats of scratch. */
    private static float dot(float[] x, int xo, float[] y, int yo, int k, float[] lanes) {
        int p = 0;
        int bound = S.loopBound(k);
        float sum = 0f;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; p < bound; p += VL) {
                acc = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, y, yo + p), acc);
            }
            acc.intoArray(lanes, 0);
            sum = VectorMath.sumPairwise(lanes, 0, VL);
        }
        for (; p < k; p++) sum = Math.fma(x[xo + p], y[yo + p], sum);
        return sum;
    }

    /** Sum of x[xo + p * xs] * y[yo + p] over p < k. */
    private static float dotStrided(float[] x, int xo, int xs, float[] y, int yo, int k) {
        float sum = 0f;
        for (int p = 0; p < k; p++) sum = Math.fma(x[xo + p * xs], y[yo + p], sum);
        return sum;
    }
}
