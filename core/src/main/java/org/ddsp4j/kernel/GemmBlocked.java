package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.GemmMicroKernel.MR;
import static org.ddsp4j.kernel.GemmMicroKernel.NR;

/**
 * Cache-blocked GEMM driver (the BLIS loop nest) around {@link GemmMicroKernel}. Arguments are
 * trusted: {@link Gemm} validated them. Loops, outermost first: NC columns of C, KC steps of k
 * (B panel KC x NC packed once, stays in L2/L3), MC rows (A block MC x KC packed, stays in L2),
 * NR-wide B micro-panels (stay in L1 while every MR-row A micro-panel of the block passes).
 *
 * <p>When B is not transposed its full-width micro-panels are already contiguous along n, so for
 * few row panels (small m, as in the GRU's 16 x 512 x 1536) B is read in place instead of packed:
 * packing would cost as much memory traffic as the product itself.
 */
final class GemmBlocked {
    /** k depth of one block: a KC x NR B micro-panel is 48 KiB at NR = 48, L1-resident-ish. */
    static final int KC = 256;
    /** Rows of one packed A block (multiple of MR): 192 x 256 x 4 B = 192 KiB in the 1 MiB L2. */
    static final int MC = 24 * MR;
    /** Columns of one packed B block (multiple of NR). */
    static final int NC = 64 * NR;
    /** Up to this many MR-row panels, a non-transposed B is read in place instead of packed. */
    static final int DIRECT_B_MAX_ROW_PANELS = 4;

    /** Per-thread packing buffers, grown on demand so steady-state calls allocate nothing. */
    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] edge = new float[KC * NR];
        float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GemmBlocked() {}

    /** C[m x n] = alpha * op(A) op(B) + beta * C for a problem (or sub-problem) with m, n, k > 0. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        int mcMax = Math.min(MC, roundUp(m, MR));
        int kcMax = Math.min(KC, k);
        if (buf.a.length < mcMax * kcMax) buf.a = new float[mcMax * kcMax];
        boolean directB = !transB && (m + MR - 1) / MR <= DIRECT_B_MAX_ROW_PANELS;
        if (!directB) {
            int ncMax = Math.min(NC, roundUp(n, NR));
            if (buf.b.length < ncMax * kcMax) buf.b = new float[ncMax * kcMax];
        }
        float[] pa = buf.a, pb = buf.b, edge = buf.edge, tile = buf.tile;
        // beta is applied once up front and alpha is folded into packed A, so the micro-kernel
        // only ever adds A B into C.
        for (int i = 0; i < m; i++) Gemm.scaleRow(c, cOff + i * ldc, n, beta);

        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int nFull = nc - nc % NR;
                if (directB) {
                    if (nFull < nc) packB(false, b, bOff, ldb, pc, jc + nFull, kc, nc - nFull, edge, 0);
                } else {
                    for (int jr = 0; jr < nc; jr += NR) {
                        packB(transB, b, bOff, ldb, pc, jc + jr, kc, Math.min(NR, nc - jr), pb, jr * kc);
                    }
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int ir = 0; ir < mc; ir += MR) {
                        packA(transA, alpha, a, aOff, lda, ic + ir, pc, Math.min(MR, mc - ir), kc, pa, ir * kc);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        float[] bp;
                        int bo, bs;
                        if (!directB) {
                            bp = pb; bo = jr * kc; bs = NR;
                        } else if (nr == NR) {
                            bp = b; bo = bOff + pc * ldb + jc + jr; bs = ldb;
                        } else {
                            bp = edge; bo = 0; bs = NR;
                        }
                        int cj = cOff + jc + jr;
                        for (int ir = 0; ir < mc; ir += MR) {
                            GemmMicroKernel.tile(kc, pa, ir * kc, bp, bo, bs,
                                    c, cj + (ic + ir) * ldc, ldc, Math.min(MR, mc - ir), nr, tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs rows [i0, i0 + mr) x k-range [p0, p0 + kc) of alpha * op(A) as one MR-interleaved
     * micro-panel at {@code dst[d]}, zero-padding rows mr..MR-1.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda, int i0, int p0,
                              int mr, int kc, float[] dst, int d) {
        if (transA) {
            // op(A)(i, p) = a[p * lda + i]: each k step is a contiguous run of mr values.
            int src = aOff + p0 * lda + i0;
            for (int p = 0; p < kc; p++, src += lda, d += MR) {
                for (int r = 0; r < mr; r++) dst[d + r] = alpha * a[src + r];
                for (int r = mr; r < MR; r++) dst[d + r] = 0f;
            }
        } else {
            // op(A)(i, p) = a[i * lda + p]: walk the mr rows side by side so the writes are
            // sequential and each row is still read as a contiguous stream.
            int src = aOff + i0 * lda + p0;
            if (mr == MR) {
                int s0 = src, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                int s4 = s3 + lda, s5 = s4 + lda, s6 = s5 + lda, s7 = s6 + lda;
                for (int p = 0; p < kc; p++, d += MR) {
                    dst[d] = alpha * a[s0 + p];
                    dst[d + 1] = alpha * a[s1 + p];
                    dst[d + 2] = alpha * a[s2 + p];
                    dst[d + 3] = alpha * a[s3 + p];
                    dst[d + 4] = alpha * a[s4 + p];
                    dst[d + 5] = alpha * a[s5 + p];
                    dst[d + 6] = alpha * a[s6 + p];
                    dst[d + 7] = alpha * a[s7 + p];
                }
            } else {
                for (int p = 0; p < kc; p++, d += MR) {
                    for (int r = 0; r < mr; r++) dst[d + r] = alpha * a[src + r * lda + p];
                    for (int r = mr; r < MR; r++) dst[d + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs k-range [p0, p0 + kc) x columns [j0, j0 + nr) of op(B) as one NR-wide micro-panel at
     * {@code dst[d]} (k step p at {@code d + p * NR}), zero-padding columns nr..NR-1.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0,
                              int kc, int nr, float[] dst, int d) {
        if (!transB) {
            // op(B)(p, j) = b[p * ldb + j]: each k step is a contiguous run of nr values.
            int src = bOff + p0 * ldb + j0;
            if (nr == NR) {
                for (int p = 0; p < kc; p++, src += ldb, d += NR) System.arraycopy(b, src, dst, d, NR);
            } else {
                for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                    System.arraycopy(b, src, dst, d, nr);
                    java.util.Arrays.fill(dst, d + nr, d + NR, 0f);
                }
            }
        } else {
            // op(B)(p, j) = b[j * ldb + p]: read each stored row contiguously, write with stride NR.
            for (int j = 0; j < nr; j++) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = b[src + p];
            }
            for (int j = nr; j < NR; j++) {
                for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = 0f;
            }
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }
}
