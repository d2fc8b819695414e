package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HarmonicKernelTest {

    /** Naive double reference: explicit loops, Math.sin, Nyquist gate k*|f0_up| < sr/2. Returns [B*T]. */
    static double[] naive(int B, int F, int K, int T, double sr, double[] f0, double[] amp, double[] dist,
                          double[] phi0, boolean gate) {
        double[] y = new double[B * T];
        for (int b = 0; b < B; b++) {
            double phase = phi0 == null ? 0 : phi0[b];
            for (int t = 0; t < T; t++) {
                double f = up(f0, b * F, 1, t, F, T);
                double a = up(amp, b * F, 1, t, F, T);
                phase += 2 * Math.PI * f / sr;
                double sum = 0;
                for (int k = 1; k <= K; k++) {
                    if (gate && !(k * Math.abs(f) < sr / 2)) continue;
                    sum += up(dist, b * F * K + k - 1, K, t, F, T) * Math.sin(k * phase);
                }
                y[b * T + t] = a * sum;
            }
        }
        return y;
    }

    /** Exact gradients of sum(g * naive(...)) as {dF0, dAmp, dDist, dPhi0}, by hand in double. */
    static double[][] naiveGrad(int B, int F, int K, int T, double sr, double[] f0, double[] amp, double[] dist,
                                double[] phi0, double[] g) {
        double[] gf = new double[B * F], ga = new double[B * F], gd = new double[B * F * K], gp = new double[B];
        for (int b = 0; b < B; b++) {
            double phase = phi0 == null ? 0 : phi0[b];
            double[] dphi = new double[T];
            for (int t = 0; t < T; t++) {
                double f = up(f0, b * F, 1, t, F, T), a = up(amp, b * F, 1, t, F, T);
                double w = weight(t, F, T);
                int i0 = lo(t, F, T), i1 = hi(t, F, T);
                phase += 2 * Math.PI * f / sr;
                double gy = g[b * T + t], sum = 0, dsum = 0;
                for (int k = 1; k <= K; k++) {
                    if (!(k * Math.abs(f) < sr / 2)) continue;
                    double d = up(dist, b * F * K + k - 1, K, t, F, T);
                    sum += d * Math.sin(k * phase);
                    dsum += d * k * Math.cos(k * phase);
                    gd[(b * F + i0) * K + k - 1] += (1 - w) * gy * a * Math.sin(k * phase);
                    gd[(b * F + i1) * K + k - 1] += w * gy * a * Math.sin(k * phase);
                }
                ga[b * F + i0] += (1 - w) * gy * sum;
                ga[b * F + i1] += w * gy * sum;
                dphi[t] = gy * a * dsum;
            }
            for (int s = 0; s < T; s++) {
                double rev = 0;
                for (int t = s; t < T; t++) rev += dphi[t];
                double w = weight(s, F, T), gfs = rev * 2 * Math.PI / sr;
                gf[b * F + lo(s, F, T)] += (1 - w) * gfs;
                gf[b * F + hi(s, F, T)] += w * gfs;
                if (s == 0) gp[b] = rev;
            }
        }
        return new double[][] {gf, ga, gd, gp};
    }

    private static float[] render(int B, int F, int K, int T, double sr, float[] f0, float[] amp, float[] dist,
                                  float[] phi0, float[] finalPhase) {
        float[] y = new float[B * T];
        HarmonicKernel.forward(B, F, K, T, sr, f0, amp, dist, phi0, y, finalPhase);
        return y;
    }

    @Test
    void forwardMatchesNaiveDoubleReference() {
        Random r = new Random(1);
        // {B, F, K, T}: lane tails, T < lanes, one frame, one sample, frames shorter than a vector.
        int[][] shapes = {{2, 5, 7, 64}, {3, 4, 20, 1000}, {1, 1, 3, 5}, {2, 3, 1, 1}, {2, 40, 5, 64},
                {1, 200, 3, 203}, {2, 7, 120, 777}};
        for (int[] s : shapes) {
            int B = s[0], F = s[1], K = s[2], T = s[3];
            double sr = 16000;
            // f0 glides across the Nyquist limit of some harmonics so the per-sample gate is exercised.
            float[] f0 = uniform(r, B * F, 50, 3000);
            float[] amp = uniform(r, B * F, 0, 1);
            float[] dist = uniform(r, B * F * K, 0, 1);
            float[] phi0 = uniform(r, B, -10, 10);
            float[] y = render(B, F, K, T, sr, f0, amp, dist, phi0, null);
            double[] ref = naive(B, F, K, T, sr, toDouble(f0), toDouble(amp), toDouble(dist), toDouble(phi0), true);
            // dist entries up to 1 and K up to 120: scale the tolerance by the output size.
            double scaleY = 1;
            for (double v : ref) scaleY = Math.max(scaleY, Math.abs(v));
            assertTrue(maxAbsDiff(y, ref) < 1e-6 * scaleY + 1e-6,
                    "shape " + java.util.Arrays.toString(s) + ": max |kernel - naive| = " + maxAbsDiff(y, ref));
        }
    }

    @Test
    void forwardNullInitialPhaseIsZero() {
        Random r = new Random(2);
        int B = 2, F = 3, K = 4, T = 50;
        float[] f0 = uniform(r, B * F, 100, 900), amp = uniform(r, B * F, 0, 1), dist = uniform(r, B * F * K, 0, 1);
        float[] a = render(B, F, K, T, 8000, f0, amp, dist, null, null);
        float[] b = render(B, F, K, T, 8000, f0, amp, dist, new float[B], null);
        assertEquals(0, maxAbsDiff(a, toDouble(b)));
    }

    /**
     * Accuracy of the Chebyshev recurrence: one-hot distributions pick single harmonics up to k = 200
     * and are compared with Math.sin(k * phase) of an independent double phase.
     */
    @Test
    void recurrenceMatchesMathSinUpTo200Harmonics() {
        int K = 200, T = 3000, F = 2;
        double sr = 1e6; // keeps all 200 harmonics below Nyquist
        Random r = new Random(3);
        double maxErr = 0;
        for (int k : new int[] {1, 2, 17, 64, 100, 150, 199, 200}) {
            float[] f0 = uniform(r, F, 100, 2400), amp = {1f, 1f};
            float[] dist = new float[F * K];
            dist[k - 1] = 1;
            dist[K + k - 1] = 1;
            float[] y = render(1, F, K, T, sr, f0, amp, dist, new float[] {0.3f}, null);
            double phase = 0.3f;
            for (int t = 0; t < T; t++) {
                phase += 2 * Math.PI * up(toDouble(f0), 0, 1, t, F, T) / sr;
                maxErr = Math.max(maxErr, Math.abs(y[t] - Math.sin(k * phase)));
            }
        }
        // Float output rounding alone is 6e-8; the recurrence itself adds far less in double.
        assertTrue(maxErr < 2e-7, "max |recurrence - Math.sin| over k<=200 = " + maxErr);
    }

    @Test
    void blockRenderingWithPhaseStateEqualsOneCall() {
        Random r = new Random(4);
        int B = 2, K = 6, T = 1000;
        double sr = 16000;
        float[] f0 = uniform(r, B, 200, 1500), amp = uniform(r, B, 0.5, 1), distB = uniform(r, B * K, 0, 1);
        // Constant controls: two identical frames per row, so every block upsamples to the same values.
        float[] f0F = new float[B * 2], ampF = new float[B * 2], distF = new float[B * 2 * K];
        for (int b = 0; b < B; b++) {
            for (int f = 0; f < 2; f++) {
                f0F[b * 2 + f] = f0[b];
                ampF[b * 2 + f] = amp[b];
                System.arraycopy(distB, b * K, distF, (b * 2 + f) * K, K);
            }
        }
        float[] phi0 = {0.7f, 5.9f};
        float[] whole = render(B, 2, K, T, sr, f0F, ampF, distF, phi0, null);
        int[] blocks = {1, 7, 64, 300, 628};
        float[] state = phi0.clone();
        int t0 = 0;
        for (int n : blocks) {
            float[] next = new float[B];
            float[] part = render(B, 2, K, n, sr, f0F, ampF, distF, state, next);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(whole[b * T + t0 + i], part[b * n + i], 2e-5, "row " + b + " sample " + (t0 + i));
                }
                assertTrue(next[b] >= 0 && next[b] <= 2 * Math.PI, "final phase wrapped, got " + next[b]);
            }
            state = next;
            t0 += n;
        }
        assertEquals(T, t0);
    }

    /** 10 minutes at 48 kHz in one call: the phase stays exact and the last second is in tune. */
    @Test
    void tenMinuteToneStaysInTune() {
        double sr = 48000;
        int T = 10 * 60 * 48000;
        float f0 = 441.37f;
        float[] fin = new float[1];
        float[] y = render(1, 2, 1, T, sr, new float[] {f0, f0}, new float[] {1, 1}, new float[] {1, 1},
                null, fin);
        // phi(T-1) = 2*pi * f0 * T / sr (inclusive cumulative sum of T increments), mod 2*pi.
        java.math.BigDecimal cycles = new java.math.BigDecimal(f0).multiply(java.math.BigDecimal.valueOf(T))
                .divide(java.math.BigDecimal.valueOf(sr), java.math.MathContext.DECIMAL128);
        double frac = cycles.subtract(new java.math.BigDecimal(cycles.toBigInteger())).doubleValue();
        double expected = 2 * Math.PI * frac;
        double diff = Math.abs(fin[0] - expected);
        diff = Math.min(diff, 2 * Math.PI - diff);
        assertTrue(diff < 1e-3, "final phase " + fin[0] + " vs analytic " + expected);
        assertEquals(Math.sin(expected), y[T - 1], 1e-3, "last sample");
        double peak = peakNear(y, T - 48000, 48000, sr, f0, 0.5, 0.005);
        assertEquals(f0, peak, 0.1, "spectral peak of the last second");
    }

    /** Harmonics at k*f0 within 0.1 Hz; harmonics above Nyquist leave no alias (< -100 dB). */
    @Test
    void harmonicsInTuneAndNothingAliases() {
        double sr = 16000, f0 = 1100;
        int K = 10, T = 16000;
        float[] dist = new float[2 * K];
        java.util.Arrays.fill(dist, 0.1f);
        float[] f0s = {(float) f0, (float) f0}, amps = {1, 1};
        float[] y = render(1, 2, K, T, sr, f0s, amps, dist, null, null);
        double ref = hannMagnitude(y, 0, T, sr, f0);
        for (int k = 1; k * f0 < sr / 2; k++) {
            double peak = peakNear(y, 0, T, sr, k * f0, 0.5, 0.01);
            assertEquals(k * f0, peak, 0.1, "harmonic " + k);
        }
        // Harmonics 8, 9, 10 (8800, 9900, 11000 Hz) would fold to 7200, 6100, 5000 Hz.
        for (int k = 8; k <= K; k++) {
            double alias = sr - k * f0;
            double db = 20 * Math.log10(hannMagnitude(y, 0, T, sr, alias) / ref);
            assertTrue(db < -100, "alias of harmonic " + k + " at " + alias + " Hz: " + db + " dB");
        }
        // The detector works: an ungated naive rendering shows the aliases loudly.
        double[] ungated = naive(1, 2, K, T, sr, toDouble(f0s), toDouble(amps), toDouble(dist), null, false);
        float[] uf = new float[T];
        for (int t = 0; t < T; t++) uf[t] = (float) ungated[t];
        double leak = 20 * Math.log10(hannMagnitude(uf, 0, T, sr, sr - 9 * f0) / hannMagnitude(uf, 0, T, sr, f0));
        assertTrue(leak > -40, "ungated alias should be loud, got " + leak + " dB");
    }

    @Test
    void backwardMatchesFiniteDifferencesAndExactGradient() {
        Random r = new Random(5);
        double sr = 8000;
        int B = 2;
        for (int F : new int[] {3, 4, 5}) {
            for (int[] tk : new int[][] {{17, 1}, {33, 4}, {64, 7}, {40, 3}}) {
                int T = tk[0], K = tk[1];
                float[] f0 = uniform(r, B * F, 300, 700); // harmonics 6, 7 cross 4 kHz for some samples
                float[] amp = uniform(r, B * F, 0.2, 1);
                float[] dist = uniform(r, B * F * K, 0, 1);
                float[] phi0 = uniform(r, B, 0, 6);
                float[] g = uniform(r, B * T, -1, 1);
                float[] gf = new float[B * F], ga = new float[B * F], gd = new float[B * F * K], gp = new float[B];
                HarmonicKernel.backward(B, F, K, T, sr, f0, amp, dist, phi0, g, gf, ga, gd, gp);

                double[] f0d = toDouble(f0), ampd = toDouble(amp), distd = toDouble(dist), p0 = toDouble(phi0);
                double[] gd64 = toDouble(g);
                String where = "F=" + F + " T=" + T + " K=" + K;
                double[] fdF0 = finiteDiff(f0d, 1e-6, x -> dot(gd64, naive(B, F, K, T, sr, x, ampd, distd, p0, true)));
                double[] fdAmp = finiteDiff(ampd, 1e-6, x -> dot(gd64, naive(B, F, K, T, sr, f0d, x, distd, p0, true)));
                double[] fdDist = finiteDiff(distd, 1e-6, x -> dot(gd64, naive(B, F, K, T, sr, f0d, ampd, x, p0, true)));
                double[] fdP0 = finiteDiff(p0, 1e-6, x -> dot(gd64, naive(B, F, K, T, sr, f0d, ampd, distd, x, true)));
                assertTrue(relErr(gf, fdF0) < 1e-3, where + " f0 rel err " + relErr(gf, fdF0));
                assertTrue(relErr(ga, fdAmp) < 1e-3, where + " amp rel err " + relErr(ga, fdAmp));
                assertTrue(relErr(gd, fdDist) < 1e-3, where + " dist rel err " + relErr(gd, fdDist));
                assertTrue(relErr(gp, fdP0) < 1e-3, where + " phase rel err " + relErr(gp, fdP0));

                double[][] exact = naiveGrad(B, F, K, T, sr, f0d, ampd, distd, p0, gd64);
                assertTrue(relErr(gf, exact[0]) < 1e-5, where + " f0 vs exact " + relErr(gf, exact[0]));
                assertTrue(relErr(ga, exact[1]) < 1e-5, where + " amp vs exact " + relErr(ga, exact[1]));
                assertTrue(relErr(gd, exact[2]) < 1e-5, where + " dist vs exact " + relErr(gd, exact[2]));
                assertTrue(relErr(gp, exact[3]) < 1e-5, where + " phase vs exact " + relErr(gp, exact[3]));
            }
        }
    }

    @Test
    void backwardAtBenchmarkLikeShapeMatchesExactGradient() {
        // Many segments, long rows, 60 harmonics with a glide across Nyquist: exercises accumulator flushes.
        Random r = new Random(6);
        int B = 3, F = 25, K = 60, T = 1601;
        double sr = 16000;
        float[] f0 = uniform(r, B * F, 80, 400);
        float[] amp = uniform(r, B * F, 0, 1), dist = uniform(r, B * F * K, 0, 0.05);
        float[] g = uniform(r, B * T, -1, 1);
        float[] gf = new float[B * F], ga = new float[B * F], gd = new float[B * F * K];
        HarmonicKernel.backward(B, F, K, T, sr, f0, amp, dist, null, g, gf, ga, gd, null);
        double[][] exact = naiveGrad(B, F, K, T, sr, toDouble(f0), toDouble(amp), toDouble(dist), null, toDouble(g));
        assertTrue(relErr(gf, exact[0]) < 1e-5, "f0 " + relErr(gf, exact[0]));
        assertTrue(relErr(ga, exact[1]) < 1e-5, "amp " + relErr(ga, exact[1]));
        assertTrue(relErr(gd, exact[2]) < 1e-5, "dist " + relErr(gd, exact[2]));
    }

    @Test
    void backwardAddsIntoGradients() {
        Random r = new Random(7);
        int B = 1, F = 3, K = 2, T = 20;
        float[] f0 = uniform(r, F, 100, 500), amp = uniform(r, F, 0, 1), dist = uniform(r, F * K, 0, 1);
        float[] g = uniform(r, T, -1, 1);
        float[] once = new float[F], twice = new float[F];
        HarmonicKernel.backward(B, F, K, T, 8000, f0, amp, dist, null, g, null, once, null, null);
        HarmonicKernel.backward(B, F, K, T, 8000, f0, amp, dist, null, g, null, twice, null, null);
        HarmonicKernel.backward(B, F, K, T, 8000, f0, amp, dist, null, g, null, twice, null, null);
        for (int f = 0; f < F; f++) assertEquals(2 * once[f], twice[f], 1e-6);
    }

    @Test
    void badShapesAreRejectedWithSizes() {
        float[] x = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HarmonicKernel.forward(2, 3, 1, 10, 16000, x, x, new float[5], null, new float[20], null));
        assertTrue(e.getMessage().contains("harmonicDistribution") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HarmonicKernel.forward(2, 3, 1, 10, 0, x, x, x, null, new float[20], null));
    }

    /** The gate is exact at the boundary: k*f0 == sr/2 is silenced, just below it sounds. */
    @Test
    void nyquistGateIsExactAtTheBoundary() {
        int K = 10, T = 40;
        double sr = 16000;
        float[] dist = new float[2 * K];
        for (int k = 0; k < K; k++) dist[k] = dist[K + k] = 1f / (k + 1);
        for (float f : new float[] {2000f, 1999.999f, 0f, 8000f, 10f, -5000f, 1600f, 1e-30f}) {
            float[] f0 = {f, f}, amp = {1, 1};
            float[] y = render(1, 2, K, T, sr, f0, amp, dist, new float[] {1f}, null);
            double[] ref = naive(1, 2, K, T, sr, toDouble(f0), toDouble(amp), toDouble(dist), new double[] {1}, true);
            assertTrue(maxAbsDiff(y, ref) < 1e-6, "f0 " + f + ": " + maxAbsDiff(y, ref));
        }
    }
}
