package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
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
 * read in place. The tile is added to C: the driver applies beta to C beforehand and folds alpha
 * into the packed A, which keeps this method free of branches and helper calls.
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
     * Adds an {@code mr x nr} tile (mr <= MR, nr <= NR) of A B to C at {@code c[cOff]} with row
     * stride {@code ldc}. Rows >= mr and columns >= nr of the register tile are computed but not
     * stored (they pass through {@code t}, MR * NR floats of scratch), so A and B must hold (zero or
     * any finite) data there.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff, int bStride,
                     float[] c, int cOff, int ldc, int mr, int nr, float[] t) {
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
        // Stores are written out here rather than in a helper: a helper taking vectors as
        // arguments may not be inlined into this large method, and then every vector is boxed.
        if (nr == NR) {
            {
                int o = cOff;
                c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c01.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c02.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 1) {
                int o = cOff + ldc;
                c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c11.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c12.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 2) {
                int o = cOff + 2 * ldc;
                c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c21.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c22.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 3) {
                int o = cOff + 3 * ldc;
                c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c31.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c32.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 4) {
                int o = cOff + 4 * ldc;
                c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c41.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c42.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 5) {
                int o = cOff + 5 * ldc;
                c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c51.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c52.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 6) {
                int o = cOff + 6 * ldc;
                c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c61.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c62.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
            if (mr > 7) {
                int o = cOff + 7 * ldc;
                c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                c71.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
                c72.add(FloatVector.fromArray(S, c, o + 2 * VL)).intoArray(c, o + 2 * VL);
            }
        } else {
            c00.intoArray(t, 0 * NR); c01.intoArray(t, 0 * NR + VL); c02.intoArray(t, 0 * NR + 2 * VL);
            c10.intoArray(t, 1 * NR); c11.intoArray(t, 1 * NR + VL); c12.intoArray(t, 1 * NR + 2 * VL);
            c20.intoArray(t, 2 * NR); c21.intoArray(t, 2 * NR + VL); c22.intoArray(t, 2 * NR + 2 * VL);
            c30.intoArray(t, 3 * NR); c31.intoArray(t, 3 * NR + VL); c32.intoArray(t, 3 * NR + 2 * VL);
            c40.intoArray(t, 4 * NR); c41.intoArray(t, 4 * NR + VL); c42.intoArray(t, 4 * NR + 2 * VL);
            c50.intoArray(t, 5 * NR); c51.intoArray(t, 5 * NR + VL); c52.intoArray(t, 5 * NR + 2 * VL);
            c60.intoArray(t, 6 * NR); c61.intoArray(t, 6 * NR + VL); c62.intoArray(t, 6 * NR + 2 * VL);
            c70.intoArray(t, 7 * NR); c71.intoArray(t, 7 * NR + VL); c72.intoArray(t, 7 * NR + 2 * VL);
            for (int r = 0; r < mr; r++) {
                int o = cOff + r * ldc;
                for (int j = 0; j < nr; j++) c[o + j] += t[r * NR + j];
            }
        }
    }
}
