package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WavetableKernelTest {

    /** Naive double reference: phase in cycles, explicit interpolation in time and in the table. */
    static double[] naive(int B, int F, int W, int T, double sr, double[] table, double[] f0, double[] amp,
                          double[] phi0) {
        double[] y = new double[B * T];
        for (int b = 0; b < B; b++) {
            double cycles = (phi0 == null ? 0 : phi0[b]) / (2 * Math.PI);
            for (int t = 0; t < T; t++) {
                cycles += up(f0, b * F, 1, t, F, T) / sr;
                double x = (cycles - Math.floor(cycles)) * W;
                int n0 = Math.min((int) Math.floor(x), W - 1);
                int n1 = (n0 + 1) % W;
                double r = x - n0;
                double v0 = up(table, b * F * W + n0, W, t, F, T), v1 = up(table, b * F * W + n1, W, t, F, T);
                y[b * T + t] = up(amp, b * F, 1, t, F, T) * ((1 - r) * v0 + r * v1);
            }
        }
        return y;
    }

    @Test
    void forwardMatchesNaive() {
        Random r = new Random(21);
        for (int[] s : new int[][] {{2, 5, 16, 64}, {1, 1, 1, 10}, {3, 30, 64, 500}, {1, 2, 7, 1}}) {
            int B = s[0], F = s[1], W = s[2], T = s[3];
            float[] table = uniform(r, B * F * W, -1, 1), f0 = uniform(r, B * F, 20, 3000);
            float[] amp = uniform(r, B * F, 0, 1), phi0 = uniform(r, B, -5, 5);
            float[] y = new float[B * T];
            WavetableKernel.forward(B, F, W, T, 16000, table, f0, amp, phi0, y, null);
            double[] ref = naive(B, F, W, T, 16000, toDouble(table), toDouble(f0), toDouble(amp), toDouble(phi0));
            assertTrue(maxAbsDiff(y, ref) < 1e-5, java.util.Arrays.toString(s) + ": " + maxAbsDiff(y, ref));
        }
    }

    @Test
    void sineTableIsInTuneAndContinuesAcrossBlocks() {
        int W = 2048, T = 16000;
        double sr = 16000, f0 = 330.75;
        float[] table = new float[2 * W];
        for (int f = 0; f < 2; f++) for (int n = 0; n < W; n++) table[f * W + n] = (float) Math.sin(2 * Math.PI * n / W);
        float[] f0s = {(float) f0, (float) f0}, amp = {1, 1};
        float[] y = new float[T], fin = new float[1];
        WavetableKernel.forward(1, 2, W, T, sr, table, f0s, amp, null, y, fin);
        assertEquals(f0, peakNear(y, 0, T, sr, f0, 0.5, 0.01), 0.1);
        float[] state = {0};
        int t0 = 0;
        for (int n : new int[] {5, 995, 15000}) {
            float[] part = new float[n], next = new float[1];
            WavetableKernel.forward(1, 2, W, n, sr, table, f0s, amp, state, part, next);
            for (int i = 0; i < n; i++) assertEquals(y[t0 + i], part[i], 2e-5, "sample " + (t0 + i));
            state = next;
            t0 += n;
        }
        assertEquals(fin[0], state[0], 1e-5);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(22);
        double sr = 8000;
        int B = 2;
        for (int F : new int[] {3, 4}) {
            for (int[] tw : new int[][] {{17, 4}, {64, 8}, {40, 5}}) {
                int T = tw[0], W = tw[1];
                float[] table = uniform(r, B * F * W, -1, 1), f0 = uniform(r, B * F, 100, 900);
                float[] amp = uniform(r, B * F, 0.2, 1), phi0 = uniform(r, B, 0, 6), g = uniform(r, B * T, -1, 1);
                float[] gt = new float[table.length], gf = new float[f0.length], ga = new float[amp.length];
                float[] gp = new float[B];
                WavetableKernel.backward(B, F, W, T, sr, table, f0, amp, phi0, g, gt, gf, ga, gp);
                double[] td = toDouble(table), fd = toDouble(f0), ad = toDouble(amp), pd = toDouble(phi0);
                double[] gd = toDouble(g);
                // Small steps: the reading is piecewise linear in the phase, so stay inside a table cell.
                double[] nt = finiteDiff(td, 1e-6, x -> dot(gd, naive(B, F, W, T, sr, x, fd, ad, pd)));
                double[] nf = finiteDiff(fd, 1e-9, x -> dot(gd, naive(B, F, W, T, sr, td, x, ad, pd)));
                double[] na = finiteDiff(ad, 1e-6, x -> dot(gd, naive(B, F, W, T, sr, td, fd, x, pd)));
                double[] np = finiteDiff(pd, 1e-9, x -> dot(gd, naive(B, F, W, T, sr, td, fd, ad, x)));
                String where = "F=" + F + " T=" + T + " W=" + W;
                assertTrue(relErr(gt, nt) < 1e-3, where + " table " + relErr(gt, nt));
                assertTrue(relErr(gf, nf) < 1e-3, where + " f0 " + relErr(gf, nf));
                assertTrue(relErr(ga, na) < 1e-3, where + " amp " + relErr(ga, na));
                assertTrue(relErr(gp, np) < 1e-3, where + " phase " + relErr(gp, np));
            }
        }
    }

    @Test
    void badShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                WavetableKernel.forward(1, 2, 0, 10, 16000, new float[0], new float[2], new float[2], null,
                        new float[10], null));
        assertTrue(e.getMessage().contains("tableSize"), e.getMessage());
    }
}
