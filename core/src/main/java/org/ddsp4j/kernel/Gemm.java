package org.ddsp4j.kernel;

import java.util.Arrays;

/**
 * Single-precision matrix multiply on flat row-major arrays: {@code C = alpha * op(A) op(B) + beta * C}.
 *
 * <p>Shapes: op(A) is {@code [m, k]}, op(B) is {@code [k, n]}, C is {@code [m, n]}. Without
 * transposition A is stored {@code [m, k]} with row stride {@code lda >= k}; with {@code transA} it
 * is stored {@code [k, m]} with {@code lda >= m} (likewise B: {@code [k, n]}, ldb >= n, or
 * {@code [n, k]}, ldb >= k, with {@code transB}). C is {@code [m, n]} with {@code ldc >= n}.
 * {@code beta == 0} overwrites C without reading it (NaN or garbage in C is ignored).
 *
 * <p>One facade picks the path by size (thresholds below): tiny or one/two-row products go to
 * {@link GemmSmall}; everything else to the packed, cache-blocked {@link GemmBlocked} with its
 * register-blocked Vector API micro-kernel, split over {@link Parallel} threads by column (or row)
 * panels once the product has at least {@link #PARALLEL_MIN_FLOPS} flops. The split never cuts k and
 * the path is chosen on the whole product, so every element of C is computed the same way on any
 * number of threads: the result does not depend on the thread count.
 */
public final class Gemm {
    /** At most this many multiply-adds (m*n*k) go to the unpacked small path. */
    static final long SMALL_MAX_MNK = 16 * 16 * 16;
    /** Products with at most this many rows always go to the small path (packing 8 rows would waste). */
    static final int SMALL_MAX_M = 2;
    /** A B^T with at most this many rows uses dot products instead of transposing B into panels. */
    static final int DOT_MAX_M = 64;
    /** Below this many flops (2mnk) a product runs on the calling thread: handing a chunk to a worker costs a few us. */
    static final double PARALLEL_MIN_FLOPS = 4e6;
    /**
     * Packing one float costs about as long as this many micro-kernel multiply-adds (the kernel
     * does ~16 per cycle, a pack loop moves ~1 float per cycle).
     */
    static final double PACK_COST = 16;
    /** Reading one float of B in place (strided rows, from L3 or memory), in multiply-add units. */
    static final double READ_COST = 4;

    private Gemm() {}

    /**
     * {@code C = alpha * op(A) op(B) + beta * C} for one product; see the class doc for layouts.
     *
     * @throws IllegalArgumentException for negative sizes or offsets, leading dimensions smaller
     *     than the stored row width, or arrays too short for the described matrices
     */
    private static final java.util.concurrent.atomic.LongAdder FLOPS = new java.util.concurrent.atomic.LongAdder();

    /** Floating-point operations of every product so far ({@code 2 m n k} each), by any thread: what a workload asks of the FMA units. */
    public static long flopsDone() {
        return FLOPS.sum();
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkSizes(m, n, k);
        FLOPS.add(2L * m * n * k);
        checkMatrix("A", a, aOff, 0, 1, transA ? k : m, transA ? m : k, lda, k > 0);
        checkMatrix("B", b, bOff, 0, 1, transB ? n : k, transB ? k : n, ldb, k > 0);
        checkMatrix("C", c, cOff, 0, 1, m, n, ldc, true);
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, true);
    }

    /**
     * {@code batch} independent products {@code C_i = alpha * op(A_i) op(B_i) + beta * C_i} where
     * matrix i of X starts at {@code xOff + i * strideX}. {@code strideA} or {@code strideB} may be 0
     * to use one matrix for the whole batch (e.g. shared weights); the C matrices must not overlap.
     *
     * @throws IllegalArgumentException as {@link #sgemm}, plus for a negative batch or strides, or
     *     overlapping C matrices
     */
    public static void sgemmBatched(boolean transA, boolean transB, int batch, int m, int n, int k,
                                    float alpha, float[] a, int aOff, int strideA, int lda,
                                    float[] b, int bOff, int strideB, int ldb,
                                    float beta, float[] c, int cOff, int strideC, int ldc) {
        if (batch < 0) throw new IllegalArgumentException("batch must be >= 0, got " + batch);
        checkSizes(m, n, k);
        FLOPS.add(2L * batch * m * n * k);
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException("strides must be >= 0, got strideA " + strideA
                    + ", strideB " + strideB + ", strideC " + strideC);
        }
        if (batch > 1 && m > 0 && n > 0 && strideC < (long) (m - 1) * ldc + n) {
            throw new IllegalArgumentException("C matrices overlap: strideC " + strideC + " < (m - 1) * ldc + n = "
                    + ((long) (m - 1) * ldc + n) + " (m " + m + ", n " + n + ", ldc " + ldc + ")");
        }
        if (batch == 0) return;
        checkMatrix("A", a, aOff, strideA, batch, transA ? k : m, transA ? m : k, lda, k > 0);
        checkMatrix("B", b, bOff, strideB, batch, transB ? n : k, transB ? k : n, ldb, k > 0);
        checkMatrix("C", c, cOff, strideC, batch, m, n, ldc, true);
        double flopsEach = 2.0 * m * n * k;
        if (flopsEach >= PARALLEL_MIN_FLOPS || batch == 1 || Parallel.threads() == 1) {
            for (int i = 0; i < batch; i++) {
                run(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                        beta, c, cOff + i * strideC, ldc, true);
            }
        } else {
            int minChunk = (int) Math.min(batch, Math.ceil(PARALLEL_MIN_FLOPS / Math.max(1.0, flopsEach)));
            Parallel.forRange(batch, minChunk, (from, to) -> {
                for (int i = from; i < to; i++) {
                    run(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                            beta, c, cOff + i * strideC, ldc, false);
                }
            });
        }
    }

    /** The validated product: picks the path and, if allowed and worth it, splits across threads. */
    private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, boolean mayFork) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) scaleRow(c, cOff + i * ldc, n, beta);
            return;
        }
        if ((long) m * n * k <= SMALL_MAX_MNK || m <= SMALL_MAX_M) {
            GemmSmall.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // The path is chosen on the whole product, never on a thread's share: dot products and the
        // blocked kernel round differently, and the split must not change the result.
        boolean dot = !transA && transB && m <= DOT_MAX_M;
        int threads = Parallel.threads();
        if (mayFork && threads > 1 && 2.0 * m * n * k >= PARALLEL_MIN_FLOPS) {
            // Split unit along each dimension: whole register tiles, so no thread gets a ragged edge
            // that the other would not have had anyway.
            int nu = dot ? GemmDot.TJ : GemmMicroKernel.NR, mu = dot ? GemmDot.TI : GemmMicroKernel.MR;
            int colUnits = (n + nu - 1) / nu, rowUnits = (m + mu - 1) / mu;
            boolean cols = colUnits >= 2 && (dot || rowUnits < 2
                    || splitCost(true, transB, m, n, k, threads) <= splitCost(false, transB, m, n, k, threads));
            if (cols) {
                Parallel.forRange(colUnits, 1, (from, to) -> {
                    int j0 = from * nu, j1 = Math.min(n, to * nu);
                    serial(dot, transA, transB, m, j1 - j0, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? j0 * ldb : j0), ldb, beta, c, cOff + j0, ldc);
                });
                return;
            } else if (rowUnits >= 2) {
                Parallel.forRange(rowUnits, 1, (from, to) -> {
                    int i0 = from * mu, i1 = Math.min(m, to * mu);
                    serial(dot, transA, transB, i1 - i0, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff, ldb, beta, c, cOff + i0 * ldc, ldc);
                });
                return;
            }
        }
        serial(dot, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Estimated time of the slowest thread's share, in multiply-add units, when the blocked path is
     * split by columns ({@code byCols}) or rows: the register tiles it computes (ragged edges count
     * whole) plus {@link #PACK_COST} per float it packs ({@link #READ_COST} per float of B read in
     * place). A column split packs all of A in every thread, a row split all of B (or reads all of
     * it in place, see {@link GemmBlocked}), so the choice follows both balance and duplicated
     * work (512^3 on 2 threads: rows, 32 + 32 row panels, against 6 + 5 column panels; the GRU's
     * 16 x 512 x 1536: columns, each thread reading half of B).
     */
    static double splitCost(boolean byCols, boolean transB, int m, int n, int k, int threads) {
        int mr = GemmMicroKernel.MR, nr = GemmMicroKernel.NR;
        int rowPanels = (m + mr - 1) / mr, colPanels = (n + nr - 1) / nr;
        if (byCols) {
            int myCols = (colPanels + threads - 1) / threads * nr;
            boolean direct = !transB && rowPanels <= GemmBlocked.DIRECT_B_MAX_ROW_PANELS;
            return (double) rowPanels * mr * myCols * k + PACK_COST * m * k
                    + (direct ? READ_COST : PACK_COST) * myCols * k;
        }
        int myRows = (rowPanels + threads - 1) / threads * mr;
        boolean direct = !transB && myRows / mr <= GemmBlocked.DIRECT_B_MAX_ROW_PANELS;
        return (double) myRows * colPanels * nr * k + PACK_COST * myRows * k
                + (direct ? READ_COST : PACK_COST) * n * k;
    }

    /** One thread's share: dot products ({@code dot}: A B^T with few rows in all), else the packed blocked path. */
    private static void serial(boolean dot, boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        if (dot) {
            GemmDot.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmBlocked.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** c[o .. o+n) *= beta, where beta == 0 writes zeros (dropping NaN/Inf already there). */
    static void scaleRow(float[] c, int o, int n, float beta) {
        if (beta == 0f) {
            Arrays.fill(c, o, o + n, 0f);
        } else if (beta != 1f) {
            for (int j = 0; j < n; j++) c[o + j] *= beta;
        }
    }

    private static void checkSizes(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("matrix sizes must be >= 0, got m " + m + ", n " + n + ", k " + k);
        }
    }

    /**
     * Checks that {@code count} matrices of {@code rows x cols} with row stride {@code ld}, the
     * i-th at {@code off + i * stride}, fit in {@code x}. Matrices that are never read (k == 0)
     * need no storage, but their leading dimension must still be sane.
     */
    private static void checkMatrix(String name, float[] x, int off, int stride, int count,
                                    int rows, int cols, int ld, boolean used) {
        if (ld < cols) {
            throw new IllegalArgumentException("ld" + name.toLowerCase() + " " + ld + " < " + cols
                    + ": the leading dimension of " + name + " (stored " + rows + " x " + cols
                    + ", row-major) must be at least its row width");
        }
        if (off < 0) throw new IllegalArgumentException(name + " offset must be >= 0, got " + off);
        if (!used || rows == 0 || cols == 0) return;
        if (x == null) throw new IllegalArgumentException(name + " is null but " + rows + " x " + cols + " is needed");
        long need = off + (long) (count - 1) * stride + (long) (rows - 1) * ld + cols;
        if (need > x.length) {
            throw new IllegalArgumentException(name + " too short: " + (count > 1 ? count + " matrices of " : "")
                    + rows + " x " + cols + " with ld " + ld + " at offset " + off
                    + (count > 1 ? " and stride " + stride : "") + " need length " + need
                    + ", got " + x.length);
        }
    }
}
