package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OscillatorBankKernelTest {

    /** Naive double reference with explicit loops and Math.sin. */
    static double[] naive(int B, int F, int K, int T, double sr, double[] freq, double[] amp, double[] phi0) {
        double[] y = new double[B * T];
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < K; k++) {
                double phase = phi0 == null ? 0 : phi0[b * K + k];
                for (int t = 0; t < T; t++) {
                    double f = up(freq, b * F * K + k, K, t, F, T), a = up(amp, b * F * K + k, K, t, F, T);
                    phase += 2 * Math.PI * f / sr;
                    if (Math.abs(f) < sr / 2) y[b * T + t] += a * Math.sin(phase);
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesNaive() {
        Random r = new Random(11);
        for (int[] s : new int[][] {{2, 5, 7, 64}, {1, 3, 1, 17}, {2, 1, 9, 5}, {3, 40, 13, 300}, {1, 2, 16, 1}}) {
            int B = s[0], F = s[1], K = s[2], T = s[3];
            double sr = 16000;
            float[] freq = uniform(r, B * F * K, -2000, 12000); // some above Nyquist, glides across it
            float[] amp = uniform(r, B * F * K, 0, 1);
            float[] phi0 = uniform(r, B * K, -7, 7);
            float[] y = new float[B * T];
            OscillatorBankKernel.forward(B, F, K, T, sr, freq, amp, phi0, y, null);
            double[] ref = naive(B, F, K, T, sr, toDouble(freq), toDouble(amp), toDouble(phi0));
            assertTrue(maxAbsDiff(y, ref) < 1e-5, java.util.Arrays.toString(s) + ": " + maxAbsDiff(y, ref));
        }
    }

    @Test
    void blockRenderingWithPhaseStateEqualsOneCall() {
        Random r = new Random(12);
        int B = 2, K = 5, T = 900;
        float[] freq = new float[B * 2 * K], amp = new float[B * 2 * K];
        float[] fk = uniform(r, B * K, 50, 7000), ak = uniform(r, B * K, 0, 1);
        for (int b = 0; b < B; b++) {
            for (int f = 0; f < 2; f++) {
                System.arraycopy(fk, b * K, freq, (b * 2 + f) * K, K);
                System.arraycopy(ak, b * K, amp, (b * 2 + f) * K, K);
            }
        }
        float[] whole = new float[B * T];
        OscillatorBankKernel.forward(B, 2, K, T, 16000, freq, amp, null, whole, null);
        float[] state = new float[B * K];
        int t0 = 0;
        for (int n : new int[] {1, 99, 256, 544}) {
            float[] part = new float[B * n], next = new float[B * K];
            OscillatorBankKernel.forward(B, 2, K, n, 16000, freq, amp, state, part, next);
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < n; i++) assertEquals(whole[b * T + t0 + i], part[b * n + i], 2e-5);
            }
            state = next;
            t0 += n;
        }
    }

    @Test
    void partialsInTuneAndNothingAboveNyquist() {
        double sr = 16000;
        int T = 16000, K = 3;
        float[] freq = {440.25f, 3000.5f, 9000f, 440.25f, 3000.5f, 9000f}; // the 9 kHz partial must vanish
        float[] amp = {1, 1, 1, 1, 1, 1};
        float[] y = new float[T];
        OscillatorBankKernel.forward(1, 2, K, T, sr, freq, amp, null, y, null);
        assertEquals(440.25, peakNear(y, 0, T, sr, 440.25, 0.5, 0.01), 0.1);
        assertEquals(3000.5, peakNear(y, 0, T, sr, 3000.5, 0.5, 0.01), 0.1);
        double db = 20 * Math.log10(hannMagnitude(y, 0, T, sr, sr - 9000) / hannMagnitude(y, 0, T, sr, 440.25));
        assertTrue(db < -100, "alias of 9 kHz at 7 kHz: " + db + " dB");
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(13);
        double sr = 8000;
        int B = 2;
        for (int F : new int[] {3, 5}) {
            for (int[] tk : new int[][] {{17, 1}, {64, 7}, {33, 9}}) {
                int T = tk[0], K = tk[1];
                float[] freq = uniform(r, B * F * K, 100, 5000); // some oscillators above 4 kHz
                float[] amp = uniform(r, B * F * K, 0.1, 1), phi0 = uniform(r, B * K, 0, 6);
                float[] g = uniform(r, B * T, -1, 1);
                float[] gf = new float[freq.length], ga = new float[amp.length], gp = new float[B * K];
                OscillatorBankKernel.backward(B, F, K, T, sr, freq, amp, phi0, g, gf, ga, gp);
                double[] fd = toDouble(freq), ad = toDouble(amp), pd = toDouble(phi0), gd = toDouble(g);
                double[] nf = finiteDiff(fd, 1e-7, x -> dot(gd, naive(B, F, K, T, sr, x, ad, pd)));
                double[] na = finiteDiff(ad, 1e-6, x -> dot(gd, naive(B, F, K, T, sr, fd, x, pd)));
                double[] np = finiteDiff(pd, 1e-6, x -> dot(gd, naive(B, F, K, T, sr, fd, ad, x)));
                String where = "F=" + F + " T=" + T + " K=" + K;
                assertTrue(relErr(gf, nf) < 1e-3, where + " freq " + relErr(gf, nf));
                assertTrue(relErr(ga, na) < 1e-3, where + " amp " + relErr(ga, na));
                assertTrue(relErr(gp, np) < 1e-3, where + " phase " + relErr(gp, np));
            }
        }
    }

    @Test
    void badShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                OscillatorBankKernel.forward(1, 2, 3, 10, 16000, new float[6], new float[5], null, new float[10], null));
        assertTrue(e.getMessage().contains("amplitudes"), e.getMessage());
    }
}
