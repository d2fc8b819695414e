package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.GemmMicroKernel.S;
import static org.ddsp4j.kernel.GemmMicroKernel.VL;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C = alpha * A B^T + beta * C} (A not transposed, B transposed) as dot products along k,
 * reading A's and B's rows in place. Both operands are contiguous along k here, so this avoids
 * the transposing pack of B, which for few rows of A (the GRU's {@code dX = dY W^T}, 16 x 1536 by
 * 1536 x 512) costs more than the product. Register tile: {@link #TI} rows of A x {@link #TJ} rows
 * of B = 24 vector accumulators, reduced across lanes once per tile ({@link VectorMath#sumPairwise}:
 * a fixed order, the same in every JIT tier). Loop order keeps the TJ rows of B in L1 while every row block
 * of A passes.
 */
final class GemmDot {
    /** Rows of A per register tile. */
    static final int TI = 4;
    /** Rows of B (columns of C) per register tile. */
    static final int TJ = 6;

    private GemmDot() {}

    static void gemm(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int kv = S.loopBound(k);
        float[] lanes = new float[TI * TJ * VL]; // accumulators, stored for the lane sums
        for (int j0 = 0; j0 < n; j0 += TJ) {
            int tj = Math.min(TJ, n - j0);
            for (int i0 = 0; i0 < m; i0 += TI) {
                int ti = Math.min(TI, m - i0);
                if (ti == TI && tj == TJ) {
                    tile(k, kv, alpha, a, aOff + i0 * lda, lda, b, bOff + j0 * ldb, ldb,
                            beta, c, cOff + i0 * ldc + j0, ldc, lanes);
                } else {
                    for (int i = i0; i < i0 + ti; i++) {
                        for (int j = j0; j < j0 + tj; j++) {
                            float d = dot(a, aOff + i * lda, b, bOff + j * ldb, k, kv, lanes);
                            int o = cOff + i * ldc + j;
                            c[o] = beta == 0f ? alpha * d : alpha * d + beta * c[o];
                        }
                    }
                }
            }
        }
    }

    private static float dot(float[] x, int xo, float[] y, int yo, int k, int kv, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (; p < kv; p += VL) {
            acc = FloatVector.fromArray(S, x, xo + p).fma(FloatVector.fromArray(S, y, yo + p), acc);
        }
        acc.intoArray(lanes, 0);
        float s = VectorMath.sumPairwise(lanes, 0, VL);
        for (; p < k; p++) s = Math.fma(x[xo + p], y[yo + p], s);
        return s;
    }

    /** One TI x TJ tile of C at {@code c[co]}; A rows from {@code ao}, B rows from {@code bo}. */
    private static void tile(int k, int kv, float alpha, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                             float beta, float[] c, int co, int ldc, float[] lanes) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s04 = z, s05 = z;
        FloatVector s10 = z, s11 = z, s12 = z, s13 = z, s14 = z, s15 = z;
        FloatVector s20 = z, s21 = z, s22 = z, s23 = z, s24 = z, s25 = z;
        FloatVector s30 = z, s31 = z, s32 = z, s33 = z, s34 = z, s35 = z;
        int a0 = ao, a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        int b0 = bo, b1 = bo + ldb, b2 = bo + 2 * ldb, b3 = bo + 3 * ldb, b4 = bo + 4 * ldb, b5 = bo + 5 * ldb;
        for (int p = 0; p < kv; p += VL) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector y4 = FloatVector.fromArray(S, b, b4 + p);
            FloatVector y5 = FloatVector.fromArray(S, b, b5 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00); s01 = x.fma(y1, s01); s02 = x.fma(y2, s02);
            s03 = x.fma(y3, s03); s04 = x.fma(y4, s04); s05 = x.fma(y5, s05);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10); s11 = x.fma(y1, s11); s12 = x.fma(y2, s12);
            s13 = x.fma(y3, s13); s14 = x.fma(y4, s14); s15 = x.fma(y5, s15);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20); s21 = x.fma(y1, s21); s22 = x.fma(y2, s22);
            s23 = x.fma(y3, s23); s24 = x.fma(y4, s24); s25 = x.fma(y5, s25);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30); s31 = x.fma(y1, s31); s32 = x.fma(y2, s32);
            s33 = x.fma(y3, s33); s34 = x.fma(y4, s34); s35 = x.fma(y5, s35);
        }
        // The accumulators go to memory (stores written out inline: a helper taking vectors might not
        // be inlined into this large method, and then every vector would be boxed), then each one's
        // lanes are summed in VectorMath's fixed order.
        s00.intoArray(lanes, 0 * VL); s01.intoArray(lanes, 1 * VL); s02.intoArray(lanes, 2 * VL);
        s03.intoArray(lanes, 3 * VL); s04.intoArray(lanes, 4 * VL); s05.intoArray(lanes, 5 * VL);
        s10.intoArray(lanes, 6 * VL); s11.intoArray(lanes, 7 * VL); s12.intoArray(lanes, 8 * VL);
        s13.intoArray(lanes, 9 * VL); s14.intoArray(lanes, 10 * VL); s15.intoArray(lanes, 11 * VL);
        s20.intoArray(lanes, 12 * VL); s21.intoArray(lanes, 13 * VL); s22.intoArray(lanes, 14 * VL);
        s23.intoArray(lanes, 15 * VL); s24.intoArray(lanes, 16 * VL); s25.intoArray(lanes, 17 * VL);
        s30.intoArray(lanes, 18 * VL); s31.intoArray(lanes, 19 * VL); s32.intoArray(lanes, 20 * VL);
        s33.intoArray(lanes, 21 * VL); s34.intoArray(lanes, 22 * VL); s35.intoArray(lanes, 23 * VL);
        finish(lanes, a, ao, lda, b, bo, ldb, k, kv, alpha, beta, c, co, ldc);
    }

    /**
     * The tile's lane sums and stores, out of {@link #tile} so that C2, which stops inlining into
     * that large method, inlines the sums and {@link #put} here.
     */
    private static void finish(float[] lanes, float[] a, int ao, int lda, float[] b, int bo, int ldb, int k, int kv,
                               float alpha, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < TI; i++) {
            for (int j = 0; j < TJ; j++) {
                put(VectorMath.sumPairwise(lanes, (i * TJ + j) * VL, VL), a, ao + i * lda, b, bo + j * ldb, k, kv,
                        alpha, beta, c, co + i * ldc + j);
            }
        }
    }

    /** c[o] = alpha * (d + the k tail of the dot product past kv) + beta * c[o]. */
    private static void put(float d, float[] a, int ai, float[] b, int bj, int k, int kv,
                            float alpha, float beta, float[] c, int o) {
        for (int p = kv; p < k; p++) d = Math.fma(a[ai + p], b[bj + p], d);
        c[o] = beta == 0f ? alpha * d : alpha * d + beta * c[o];
    }
}
