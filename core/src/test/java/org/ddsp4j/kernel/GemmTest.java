package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} against a naive triple loop in double. Tolerance per element:
 * {@code (k + 4) * 2^-24 * (|alpha| * sum_p |a_ip||b_pj| + |beta * c_ij|)}, the classical
 * worst-case float rounding bound of a length-k dot product, so any indexing mistake (an O(1)
 * relative error) fails while every legal summation order passes.
 */
class GemmTest {
    private static final double EPS = Math.ulp(1f) / 2;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** One product with random data, padding, offsets; checks C and that nothing else was touched. */
    private static void check(Random rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                              int padA, int padB, int padC, int offA, int offB, int offC, boolean nanC) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + padA, ldb = bCols + padB, ldc = n + padC;
        float[] a = random(rnd, offA + aRows * lda + 3);
        float[] b = random(rnd, offB + bRows * ldb + 3);
        float[] c = random(rnd, offC + m * ldc + 3);
        if (nanC) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[offC + i * ldc + j] = Float.NaN;
        }
        float[] c0 = c.clone();
        Gemm.sgemm(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        String where = "ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                + " beta=" + beta + " pads=" + padA + "," + padB + "," + padC;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - offC;
            int i = rel >= 0 ? rel / ldc : -1, j = rel >= 0 ? rel % ldc : -1;
            boolean inside = rel >= 0 && i < m && j < n;
            if (!inside) {
                if (Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(c0[idx])) {
                    fail(where + ": element " + idx + " outside C was modified");
                }
                continue;
            }
            double dot = 0, abs = 0;
            for (int p = 0; p < k; p++) {
                double av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                double bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                dot += av * bv;
                abs += Math.abs(av * bv);
            }
            double old = beta == 0 ? 0 : beta * (double) c0[idx];
            double ref = alpha * dot + old;
            double tol = (k + 4) * EPS * (Math.abs(alpha) * abs + Math.abs(old)) + 1e-30;
            if (!(Math.abs(c[idx] - ref) <= tol)) {
                fail(where + ": C[" + i + "," + j + "] = " + c[idx] + ", expected " + ref + " +- " + tol);
            }
        }
    }

    private static float[] random(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    @Test
    void manyShapesAllTransposes() {
        Random rnd = new Random(1);
        int[] sizes = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 47, 48, 49, 65, 97};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int t = 0; t < 60; t++) {
                    int m = sizes[rnd.nextInt(sizes.length)];
                    int n = sizes[rnd.nextInt(sizes.length)];
                    int k = sizes[rnd.nextInt(sizes.length)];
                    check(rnd, ta, tb, m, n, k, 1f, 0f, 0, 0, 0, 0, 0, 0, false);
                }
            }
        }
    }

    @Test
    void tinyProducts() {
        Random rnd = new Random(2);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(rnd, ta, tb, 1, 1, 1, 1f, 0f, 0, 0, 0, 0, 0, 0, false);
                check(rnd, ta, tb, 1, 3, 2, 1f, 0f, 0, 0, 0, 0, 0, 0, false);
                check(rnd, ta, tb, 2, 1, 5, 0.5f, 2f, 1, 0, 2, 1, 0, 3, false);
                check(rnd, ta, tb, 3, 2, 1, -1f, 1f, 0, 2, 0, 0, 4, 0, false);
            }
        }
    }

    @Test
    void alphaBetaOffsetsAndLeadingDimensions() {
        Random rnd = new Random(3);
        float[][] ab = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1.5f, 0.25f}, {2f, 1f}};
        for (float[] p : ab) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // Sizes straddle MR = 8, NR = 48 (3 vectors of 16) and KC = 256.
                    check(rnd, ta, tb, 19, 53, 37, p[0], p[1], 3, 5, 7, 11, 13, 17, false);
                    check(rnd, ta, tb, 41, 100, 300, p[0], p[1], 1, 0, 2, 5, 0, 9, false);
                    check(rnd, ta, tb, 3, 70, 20, p[0], p[1], 2, 2, 2, 1, 1, 1, false);
                }
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Random rnd = new Random(4);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(rnd, ta, tb, 2, 5, 3, 1f, 0f, 0, 0, 1, 0, 0, 2, true);       // small path
                check(rnd, ta, tb, 37, 61, 29, 1.5f, 0f, 0, 0, 3, 0, 0, 5, true);  // blocked, edges
                check(rnd, ta, tb, 20, 7, 0, 1f, 0f, 0, 0, 0, 0, 0, 0, true);      // k == 0
            }
        }
    }

    @Test
    void zeroKOrAlphaScalesC() {
        Random rnd = new Random(5);
        check(rnd, false, false, 9, 33, 0, 1f, 0.5f, 0, 0, 4, 0, 0, 2, false);
        check(rnd, true, false, 30, 40, 50, 0f, 2f, 0, 0, 0, 0, 0, 0, false);
        Gemm.sgemm(false, false, 0, 5, 5, 1f, new float[0], 0, 5, new float[25], 0, 5, 0f, new float[0], 0, 5);
    }

    @Test
    void largeSizesTakeBlockedAndParallelPaths() {
        Random rnd = new Random(6);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // > MC rows, > KC depth, several column panels: blocks, k accumulation, forks.
                    check(rnd, ta, tb, 203, 150, 270, 1f, 0f, 1, 0, 3, 2, 0, 1, false);
                    check(rnd, ta, tb, 16, 517, 300, 0.5f, 1f, 0, 3, 0, 0, 5, 0, false);
                    check(rnd, ta, tb, 300, 20, 260, 1f, -1f, 0, 0, 0, 0, 0, 0, false);
                }
            }
        }
    }

    @Test
    void batchedMatchesSingleProductsIncludingBroadcastB() {
        Random rnd = new Random(7);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int shape = 0; shape < 2; shape++) {
                int batch = shape == 0 ? 37 : 3, m = shape == 0 ? 5 : 70, n = shape == 0 ? 9 : 130;
                int k = shape == 0 ? 6 : 200;
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        for (boolean broadcastB : new boolean[] {false, true}) {
                            int lda = (ta ? m : k) + 1, ldb = tb ? k : n, ldc = n + 2;
                            int sa = (ta ? k : m) * lda + 3, sb = broadcastB ? 0 : (tb ? n : k) * ldb;
                            int sc = m * ldc + 1;
                            float[] a = random(rnd, 2 + batch * sa);
                            float[] b = random(rnd, 1 + Math.max(sb * batch, (tb ? n : k) * ldb));
                            float[] c = random(rnd, 4 + batch * sc);
                            float[] expect = c.clone();
                            for (int i = 0; i < batch; i++) {
                                naive(ta, tb, m, n, k, 0.75f, a, 2 + i * sa, lda, b, 1 + i * sb, ldb, 0.5f,
                                        expect, 4 + i * sc, ldc);
                            }
                            Gemm.sgemmBatched(ta, tb, batch, m, n, k, 0.75f, a, 2, sa, lda, b, 1, sb, ldb,
                                    0.5f, c, 4, sc, ldc);
                            for (int i = 0; i < c.length; i++) {
                                double tol = (k + 4) * EPS * 8 * k + 1e-6;
                                assertEquals(expect[i], c[i], tol, "batched element " + i + " (batch " + batch
                                        + ", ta " + ta + ", tb " + tb + ", broadcast " + broadcastB + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    /** Double-precision reference, written into c with float rounding only at the end. */
    private static void naive(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                              float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (ta ? a[ao + p * lda + i] : a[ao + i * lda + p])
                            * (tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j]);
                }
                int idx = co + i * ldc + j;
                c[idx] = (float) (alpha * s + (beta == 0 ? 0 : beta * (double) c[idx]));
            }
        }
    }

    @Test
    void badArgumentsNameTheValues() {
        float[] x = new float[12];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        assertTrue(e.getMessage().contains("m -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 5, 3, 3, 1f, x, 0, 3, x, 0, 3, 0f, x, 0, 3));
        assertTrue(e.getMessage().contains("A too short") && e.getMessage().contains("12"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, true, 2, 3, 3, 1f, x, 0, 3, x, 0, 2, 0f, x, 0, 3));
        assertTrue(e.getMessage().contains("ldb 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 11, 2));
        assertTrue(e.getMessage().contains("C too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmBatched(false, false, 2, 2, 2, 2, 1f, x, 0, 4, 2, x, 0, 0, 2, 0f, x, 0, 0, 2));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmBatched(false, false, 4, 2, 2, 2, 1f, x, 0, 4, 2, x, 0, 0, 2, 0f, x, 0, 4, 2));
        assertTrue(e.getMessage().contains("stride 4"), e.getMessage());
    }

    /**
     * The thread count changes which thread computes an element of C, never how: every shape below
     * (including A B^T with more rows than the dot-product path takes, whose row split used to hand
     * the threads small enough shares to switch paths) gives the same bits on 1 to 4 threads.
     */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int[][] shapes = {{100, 512, 512}, {65, 300, 700}, {130, 96, 1000}, {203, 150, 270}, {16, 1536, 512}, {512, 64, 600}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2];
                    Random rnd = new Random(m * 31L + n);
                    float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                    float[] ref = null;
                    for (int threads = 1; threads <= 4; threads++) {
                        Parallel.setThreads(threads);
                        float[] c = c0.clone();
                        Gemm.sgemm(ta, tb, m, n, k, 0.5f, a, 0, ta ? m : k, b, 0, tb ? k : n, 1f, c, 0, n);
                        if (ref == null) {
                            ref = c;
                        } else {
                            for (int i = 0; i < c.length; i++) {
                                if (Float.floatToIntBits(c[i]) != Float.floatToIntBits(ref[i])) {
                                    fail("ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + ": " + threads
                                            + " threads differ from 1 at " + i + ": " + c[i] + " vs " + ref[i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
