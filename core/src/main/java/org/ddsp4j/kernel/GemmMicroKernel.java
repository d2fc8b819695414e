package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link Gemm}: an {@link #MR} x {@link #NR} tile of C from a
 * packed A micro-panel and a B micro-panel, with 24 vector accumulators (8 rows x 3 vectors) so
 * that every step of the k loop issues 24 independent FMAs against 3 vector loads and 8
 * broadcasts. 24 accumulators + 3 B vectors + 1 broadcast fit the 32 AVX-512 registers, and 24
 * independent chains hide the FMA latency (4 cycles x 2 pipes needs at least 8).
 *
 * <p>Layouts: A micro-panel element (r, p) at {@code ap[aOff + p * MR + r]} (packed, zero-padded
 * to MR rows); B vector v of k-step p at {@code bp[bOff + p * bStride + v * VL]} where
 * {@code bStride} is NR for a packed panel or the leading dimension of B when a full-width panel is
 * read in place. The tile is written as {@code C = alpha * acc + beta * C} (beta == 0 overwrites,
 * ignoring whatever C held).
 */
final class GemmMicroKernel {
    /** 512-bit on AVX-512 machines; the widest the platform prefers elsewhere. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int VL = S.length();
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile (3 vectors). */
    static final int NR = 3 * VL;

    private GemmMicroKernel() {}

    /**
     * Computes an {@code mr x nr} tile (mr <= MR, nr <= NR) of C at {@code c[cOff]} with row stride
     * {@code ldc}. Rows >= mr and columns >= nr of the register tile are computed but not stored,
     * so A and B must hold (zero or any finite) data there.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, int bStride,
                     float[] c, int cOff, int ldc, int mr, int nr, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * VL);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
        }
        FloatVector av = FloatVector.broadcast(S, alpha);
        if (nr == NR) {
            storeFull(c, cOff, av, beta, c00, c01, c02);
            if (mr > 1) storeFull(c, cOff + ldc, av, beta, c10, c11, c12);
            if (mr > 2) storeFull(c, cOff + 2 * ldc, av, beta, c20, c21, c22);
            if (mr > 3) storeFull(c, cOff + 3 * ldc, av, beta, c30, c31, c32);
            if (mr > 4) storeFull(c, cOff + 4 * ldc, av, beta, c40, c41, c42);
            if (mr > 5) storeFull(c, cOff + 5 * ldc, av, beta, c50, c51, c52);
            if (mr > 6) storeFull(c, cOff + 6 * ldc, av, beta, c60, c61, c62);
            if (mr > 7) storeFull(c, cOff + 7 * ldc, av, beta, c70, c71, c72);
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, nr);
            VectorMask<Float> m1 = S.indexInRange(VL, nr);
            VectorMask<Float> m2 = S.indexInRange(2 * VL, nr);
            storePart(c, cOff, av, beta, m0, m1, m2, c00, c01, c02);
            if (mr > 1) storePart(c, cOff + ldc, av, beta, m0, m1, m2, c10, c11, c12);
            if (mr > 2) storePart(c, cOff + 2 * ldc, av, beta, m0, m1, m2, c20, c21, c22);
            if (mr > 3) storePart(c, cOff + 3 * ldc, av, beta, m0, m1, m2, c30, c31, c32);
            if (mr > 4) storePart(c, cOff + 4 * ldc, av, beta, m0, m1, m2, c40, c41, c42);
            if (mr > 5) storePart(c, cOff + 5 * ldc, av, beta, m0, m1, m2, c50, c51, c52);
            if (mr > 6) storePart(c, cOff + 6 * ldc, av, beta, m0, m1, m2, c60, c61, c62);
            if (mr > 7) storePart(c, cOff + 7 * ldc, av, beta, m0, m1, m2, c70, c71, c72);
        }
    }

    private static void storeFull(float[] c, int o, FloatVector av, float beta,
                                  FloatVector v0, FloatVector v1, FloatVector v2) {
        if (beta == 0f) {
            v0.mul(av).intoArray(c, o);
            v1.mul(av).intoArray(c, o + VL);
            v2.mul(av).intoArray(c, o + 2 * VL);
        } else if (beta == 1f) {
            // Accumulation across k blocks and gradient accumulation take this branch.
            v0.fma(av, FloatVector.fromArray(S, c, o)).intoArray(c, o);
            v1.fma(av, FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            v2.fma(av, FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
        } else {
            v0.fma(av, FloatVector.fromArray(S, c, o).mul(beta)).intoArray(c, o);
            v1.fma(av, FloatVector.fromArray(S, c, o + VL).mul(beta)).intoArray(c, o + VL);
            v2.fma(av, FloatVector.fromArray(S, c, o + 2 * VL).mul(beta)).intoArray(c, o + 2 * VL);
        }
    }

    private static void storePart(float[] c, int o, FloatVector av, float beta,
                                  VectorMask<Float> m0, VectorMask<Float> m1, VectorMask<Float> m2,
                                  FloatVector v0, FloatVector v1, FloatVector v2) {
        if (beta == 0f) {
            v0.mul(av).intoArray(c, o, m0);
            v1.mul(av).intoArray(c, o + VL, m1);
            v2.mul(av).intoArray(c, o + 2 * VL, m2);
        } else {
            v0.fma(av, FloatVector.fromArray(S, c, o, m0).mul(beta)).intoArray(c, o, m0);
            v1.fma(av, FloatVector.fromArray(S, c, o + VL, m1).mul(beta)).intoArray(c, o + VL, m1);
            v2.fma(av, FloatVector.fromArray(S, c, o + 2 * VL, m2).mul(beta)).intoArray(c, o + 2 * VL, m2);
        }
    }
}
