package org.ddsp4j.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.junit.jupiter.api.Test;

class StftKernelTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (2 * r.nextDouble() - 1);
        return a;
    }

    /** The padded signal built independently: numpy.pad(x, nFft/2, mode='reflect' | 'constant'). */
    private static double[] padded(float[] x, int p, Padding mode) {
        int n = x.length;
        double[] y = new double[n + 2 * p];
        for (int i = 0; i < n; i++) y[p + i] = x[i];
        if (mode == Padding.REFLECT) {
            for (int i = 1; i <= p; i++) {
                y[p - i] = x[i];
                y[p + n - 1 + i] = x[n - 1 - i];
            }
        }
        return y;
    }

    /** Naive STFT in double: [frames][2*bins] interleaved. */
    private static double[][] naive(float[] x, int nFft, int hop, Padding mode) {
        double[] y = mode == Padding.NONE ? padded(x, 0, mode) : padded(x, nFft / 2, mode);
        int frames = (y.length - nFft) / hop + 1;
        double[][] out = new double[frames][nFft + 2];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k <= nFft / 2; k++) {
                double re = 0, im = 0;
                for (int t = 0; t < nFft; t++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / nFft);
                    double a = -2 * Math.PI * ((long) k * t % nFft) / nFft;
                    double v = w * y[f * hop + t];
                    re += v * Math.cos(a);
                    im += v * Math.sin(a);
                }
                out[f][2 * k] = re;
                out[f][2 * k + 1] = im;
            }
        }
        return out;
    }

    @Test
    void hannWindowIsPeriodic() {
        float[] w = StftKernel.hannWindow(8);
        double[] want = {0, 0.1464466, 0.5, 0.8535534, 1, 0.8535534, 0.5, 0.1464466}; // torch.hann_window(8)
        for (int i = 0; i < 8; i++) assertEquals(want[i], w[i], 1e-6, "w[" + i + "]");
    }

    @Test
    void frameCounts() {
        assertEquals(1 + 64000 / 64, new StftKernel(512, 64, Padding.ZERO).frames(64000));
        assertEquals(1001, new StftKernel(512, 64, Padding.REFLECT).frames(64000));
        assertEquals(1 + 63, new StftKernel(512, 64, Padding.ZERO).frames(4095));
        assertEquals(1 + (1000 - 256) / 100, new StftKernel(256, 100, Padding.NONE).frames(1000));
        assertThrows(IllegalArgumentException.class, () -> new StftKernel(256, 100, Padding.NONE).frames(255));
        assertThrows(IllegalArgumentException.class, () -> new StftKernel(256, 100, Padding.REFLECT).frames(128));
        assertThrows(IllegalArgumentException.class, () -> new StftKernel(250, 100, Padding.REFLECT));
        assertThrows(IllegalArgumentException.class, () -> new StftKernel(256, 0, Padding.REFLECT));
    }

    @Test
    void complexMatchesNaiveForAllPaddings() {
        for (Padding mode : Padding.values()) {
            for (int[] c : new int[][] {{64, 16, 300}, {128, 50, 333}, {32, 32, 17}, {16, 5, 100}}) {
                int nFft = c[0], hop = c[1];
                if (mode == Padding.NONE && c[2] < nFft) continue; // too short without padding (tested above)
                float[] x = random(c[2], nFft + hop);
                StftKernel s = new StftKernel(nFft, hop, mode);
                double[][] want = naive(x, nFft, hop, mode);
                float[] got = s.complex(x);
                float[] pow = s.power(x), mag = s.magnitude(x);
                assertEquals(want.length, s.frames(x.length), mode + " frames");
                assertEquals(want.length * (nFft + 2), got.length);
                int bins = nFft / 2 + 1;
                for (int f = 0; f < want.length; f++) {
                    for (int i = 0; i < nFft + 2; i++) {
                        assertEquals(want[f][i], got[f * (nFft + 2) + i], 2e-5 * nFft,
                                mode + " nFft " + nFft + " frame " + f + " index " + i);
                    }
                    for (int k = 0; k < bins; k++) {
                        double p = want[f][2 * k] * want[f][2 * k] + want[f][2 * k + 1] * want[f][2 * k + 1];
                        assertEquals(p, pow[f * bins + k], 1e-4 * nFft * (1 + Math.sqrt(p)), mode + " power");
                        assertEquals(Math.sqrt(p), mag[f * bins + k], 2e-5 * nFft, mode + " magnitude");
                    }
                }
            }
        }
    }

    @Test
    void offsetsAndWeightedPower() {
        int nFft = 64, hop = 16, n = 200;
        float[] x = random(n, 5);
        float[] shifted = new float[n + 9];
        System.arraycopy(x, 0, shifted, 9, n);
        StftKernel s = new StftKernel(nFft, hop, Padding.REFLECT);
        int frames = s.frames(n), bins = s.bins();
        float[] p = s.power(x);
        float[] p2 = new float[frames * bins + 3];
        s.power(shifted, 9, n, p2, 3);
        float[] weights = random(bins, 6);
        float[] wp = new float[frames + 1];
        s.weightedPower(shifted, 9, n, weights, wp, 1);
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int k = 0; k < bins; k++) {
                assertEquals(p[f * bins + k], p2[3 + f * bins + k], 0f, "offset power");
                sum += (double) weights[k] * p[f * bins + k];
            }
            assertEquals(sum, wp[1 + f], 1e-5 * (1 + Math.abs(sum)), "weighted power frame " + f);
        }
    }

    @Test
    void firstCentredFrameSeesHalfZeros() {
        // A constant signal with zero padding: frame 0 is centred at sample 0, so only the right
        // half of the window overlaps the signal: DC = sum_{t >= nFft/2} w[t] = nFft/4 + 1/2.
        int nFft = 64;
        float[] x = new float[256];
        java.util.Arrays.fill(x, 1f);
        float[] c = new StftKernel(nFft, 32, Padding.ZERO).complex(x);
        assertEquals(nFft / 4.0 + 0.5, c[0], 1e-4);
        assertEquals(nFft / 2.0, c[2 * (nFft + 2)], 1e-4); // frame 2 is inside: sum of window = nFft/2
    }
}
