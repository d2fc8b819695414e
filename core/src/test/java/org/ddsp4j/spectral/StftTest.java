package org.ddsp4j.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Differentiable STFT: forward against a naive DFT in double, backward against finite differences. */
class StftTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    /** numpy.pad(x, p, 'reflect' | 'constant') in double. */
    private static double[] padded(float[] x, int off, int n, int p, Padding mode) {
        double[] y = new double[n + 2 * p];
        for (int i = 0; i < n; i++) y[p + i] = x[off + i];
        if (mode == Padding.REFLECT) {
            for (int i = 1; i <= p; i++) {
                y[p - i] = x[off + i];
                y[p + n - 1 + i] = x[off + n - 1 - i];
            }
        }
        return y;
    }

    /** Naive STFT of row b: [frames][nFft+2] interleaved, periodic Hann, written out from the definition. */
    static double[][] naive(float[] x, int off, int n, int nFft, int hop, Padding mode) {
        double[] y = padded(x, off, n, mode == Padding.NONE ? 0 : nFft / 2, mode);
        int frames = (y.length - nFft) / hop + 1;
        double[][] out = new double[frames][nFft + 2];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k <= nFft / 2; k++) {
                double re = 0, im = 0;
                for (int t = 0; t < nFft; t++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / nFft);
                    double v = w * y[f * hop + t], a = 2 * Math.PI * k * t / nFft;
                    re += v * Math.cos(a);
                    im -= v * Math.sin(a);
                }
                out[f][2 * k] = re;
                out[f][2 * k + 1] = im;
            }
        }
        return out;
    }

    @Test
    void complexMatchesNaiveDft() {
        int[][] cases = {{16, 4, 37}, {32, 8, 100}, {64, 16, 257}, {8, 3, 11}};
        for (Padding p : Padding.values()) {
            for (int[] c : cases) {
                int nFft = c[0], hop = c[1], n = c[2], batch = 3;
                Tensor x = Tensor.uniform(rng, -1, 1, batch, n);
                Tensor s = Stft.complex(x, nFft, hop, p);
                Tensor m = Stft.magnitude(x, nFft, hop, p);
                for (int b = 0; b < batch; b++) {
                    double[][] ref = naive(x.data(), b * n, n, nFft, hop, p);
                    assertEquals(ref.length, s.dim(1), "frames " + p);
                    assertArrayEquals(new int[] {batch, ref.length, nFft / 2 + 1, 2}, s.shape());
                    for (int f = 0; f < ref.length; f++) {
                        for (int k = 0; k <= nFft / 2; k++) {
                            String at = p + " nFft " + nFft + " b " + b + " f " + f + " k " + k;
                            assertEquals(ref[f][2 * k], s.get(b, f, k, 0), 1e-4 * nFft, at);
                            assertEquals(ref[f][2 * k + 1], s.get(b, f, k, 1), 1e-4 * nFft, at);
                            assertEquals(Math.hypot(ref[f][2 * k], ref[f][2 * k + 1]), m.get(b, f, k), 1e-4 * nFft, at);
                        }
                    }
                }
            }
        }
    }

    @Test
    void complexGradient() {
        int[][] cases = {{8, 2, 13}, {16, 4, 37}, {16, 5, 30}, {8, 3, 8}};
        for (Padding p : Padding.values()) {
            for (int[] c : cases) {
                Tensor x = Tensor.uniform(rng, -1, 1, 2, c[2]).requiresGrad(true);
                GradCheck.Result r = new GradCheck().check(in -> Stft.complex(in[0], c[0], c[1], p), x);
                assertTrue(r.ok(), p + " " + java.util.Arrays.toString(c) + ": " + r);
            }
        }
    }

    @Test
    void magnitudeGradient() {
        int[][] cases = {{8, 2, 13}, {16, 4, 37}, {16, 3, 21}};
        for (Padding p : Padding.values()) {
            for (int[] c : cases) {
                Tensor x = Tensor.uniform(rng, -1, 1, 2, c[2]).requiresGrad(true);
                // Smaller step: |X| is only piecewise smooth where bins approach 0.
                GradCheck.Result r = new GradCheck().step(1e-3).tolerance(3e-3, 3e-2)
                        .check(in -> Stft.magnitude(in[0], c[0], c[1], p), x);
                assertTrue(r.ok(), p + " " + java.util.Arrays.toString(c) + ": " + r);
            }
        }
    }

    @Test
    void magnitudeGradientIsZeroAtSilence() {
        Tensor x = Tensor.zeros(1, 32).requiresGrad(true);
        Stft.magnitude(x, 16, 4, Padding.REFLECT).sum().backward();
        for (float g : x.grad()) assertEquals(0f, g);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Stft.complex(Tensor.zeros(32), 16, 4, Padding.REFLECT));
        assertThrows(IllegalArgumentException.class, () -> Stft.complex(Tensor.zeros(1, 8), 16, 4, Padding.REFLECT));
        assertThrows(IllegalArgumentException.class, () -> Stft.complex(Tensor.zeros(1, 8), 12, 4, Padding.ZERO));
    }
}
