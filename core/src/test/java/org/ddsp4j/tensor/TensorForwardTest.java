package org.ddsp4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Forward values against naive references, graph behaviour, and error messages. */
class TensorForwardTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    @Test
    void broadcastingValues() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26}, a.add(col).data());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.sub(Tensor.scalar(1)).data());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.mul(Tensor.full(2, 1, 1)).data());
        Tensor outer = Tensor.of(new float[] {1, 2}, 2, 1).mul(Tensor.of(new float[] {1, 10, 100}, 1, 3));
        assertArrayEquals(new float[] {1, 10, 100, 2, 20, 200}, outer.data());
        assertArrayEquals(new int[] {2, 3}, outer.shape());
    }

    @Test
    void shapeErrorsNameBothShapesAndOp() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]") && e.getMessage().contains("add"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.slice(1, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> ShapeOps.concat(0, a, Tensor.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        // 2^30 * 2^30 * 16 = 2^64 wraps a long to 0: must be refused, not taken for an empty tensor
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 1 << 30, 1 << 30, 16));
        assertTrue(e.getMessage().contains("more than 2^31-1 elements"), e.getMessage());
        assertEquals(0, Shape.numel(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}));
    }

    @Test
    void matmulMatchesNaive() {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 2}, {17, 33, 9}, {64, 70, 31}}) {
            int m = s[0], k = s[1], n = s[2];
            Tensor a = Tensor.randn(rng, 1, 2, m, k), b = Tensor.randn(rng, 1, 2, k, n);
            float[] y = a.matmul(b).data();
            for (int bt = 0; bt < 2; bt++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double acc = 0;
                        for (int p = 0; p < k; p++) acc += (double) a.data()[bt * m * k + i * k + p] * b.data()[bt * k * n + p * n + j];
                        assertEquals(acc, y[bt * m * n + i * n + j], 1e-4 * (1 + Math.sqrt(k)));
                    }
                }
            }
        }
    }

    @Test
    void permuteAndSliceValues() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {2, 2, 3}, p.shape());
        assertEquals(x.get(1, 2, 0), p.get(0, 1, 2));
        assertEquals(x.get(0, 1, 1), p.get(1, 0, 1));
        assertArrayEquals(new float[] {2, 3, 4, 5, 8, 9, 10, 11}, x.slice(1, 1, 3).data());
        assertArrayEquals(new float[] {0, 0, 1, 2, 0}, Tensor.vector(1, 2).pad(0, 2, 1).data());
        assertArrayEquals(new float[] {4, 5, 0, 1}, Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 3, 2).indexSelect(0, new int[] {2, 0}).data());
    }

    @Test
    void cumsumIsDriftFreeOverLongSignals() {
        int n = 2_000_000;
        float[] d = new float[n];
        java.util.Arrays.fill(d, 0.1f);
        float[] c = Tensor.of(d, n).cumsum(0).data();
        assertEquals(0.1f * (double) n, c[n - 1], 1e-6 * n * 0.1);  // a float accumulator would be off by ~1%
    }

    @Test
    void rfftMatchesNaiveDft() {
        int n = 16;
        Tensor x = Tensor.randn(rng, 1, 3, 11);
        float[] z = SignalOps.rfft(x, n).data();
        for (int b = 0; b < 3; b++) {
            for (int k = 0; k <= n / 2; k++) {
                double re = 0, im = 0;
                for (int t = 0; t < 11; t++) {
                    double v = x.data()[b * 11 + t];
                    re += v * Math.cos(2 * Math.PI * k * t / n);
                    im -= v * Math.sin(2 * Math.PI * k * t / n);
                }
                assertEquals(re, z[(b * 9 + k) * 2], 1e-5);
                assertEquals(im, z[(b * 9 + k) * 2 + 1], 1e-5);
            }
        }
        Tensor full = Tensor.randn(rng, 1, 2, 32);
        assertArrayEquals(full.data(), SignalOps.irfft(SignalOps.rfft(full, 32), 32).data(), 1e-5f);
    }

    @Test
    void frameAndOverlapAddAreAdjoint() {
        Tensor x = Tensor.randn(rng, 1, 2, 13);
        Tensor f = SignalOps.frame(x, 4, 3);
        assertArrayEquals(new int[] {2, 4, 4}, f.shape());
        assertEquals(x.get(1, 6), f.get(1, 2, 0));
        Tensor g = Tensor.randn(rng, 1, 2, 4, 4);
        // <frame(x), g> == <x, overlapAdd(g)> over the covered samples.
        double lhs = 0, rhs = 0;
        for (int i = 0; i < f.size(); i++) lhs += f.data()[i] * g.data()[i];
        Tensor ola = SignalOps.overlapAdd(g, 3);
        assertArrayEquals(new int[] {2, 13}, ola.shape());
        for (int b = 0; b < 2; b++) for (int t = 0; t < 13; t++) rhs += x.get(b, t) * ola.get(b, t);
        assertEquals(lhs, rhs, 1e-4);
    }

    @Test
    void compositesValues() {
        Tensor s = Functional.softmax(Tensor.of(new float[] {1000, 1001, 1002, 0, 0, 0}, 2, 3), -1);
        assertEquals(1.0, s.data()[0] + s.data()[1] + s.data()[2], 1e-6);
        assertEquals(1 / 3.0, s.data()[4], 1e-6);
        Tensor ln = Functional.layerNorm(Tensor.randn(rng, 3, 4, 64), null, null, 1e-6f);
        for (int r = 0; r < 4; r++) {
            double m = 0, v = 0;
            for (int j = 0; j < 64; j++) m += ln.get(r, j);
            m /= 64;
            for (int j = 0; j < 64; j++) v += Math.pow(ln.get(r, j) - m, 2);
            assertEquals(0, m, 1e-5);
            assertEquals(1, v / 64, 1e-3);
        }
        assertEquals(2.5f, Functional.mse(Tensor.vector(1, 2), Tensor.vector(2, 4)).item(), 1e-6);
    }

    @Test
    void gradientsAccumulateAndGraphIsFreed() {
        Tensor w = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor y = w.mul(w).sum();
        y.backward();
        assertArrayEquals(new float[] {2, 4, 6}, w.grad());
        w.mul(Tensor.scalar(3)).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, w.grad());
        assertNull(y.op(), "graph freed after backward");
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor w = Tensor.vector(1, 2).requiresGrad(true);
        Tensor y;
        try (GradMode g = GradMode.off()) {
            y = w.mul(w).sum();
        }
        assertFalse(y.requiresGrad());
        assertTrue(GradMode.enabled());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 200_000; i++) y = y.mul(1.0f);
        y.backward();
        assertEquals(1f, x.grad()[0]);
    }

    @Test
    void gradCheckCatchesAWrongBackward() {
        // A deliberately wrong rule (d/dx x^2 claimed to be x) must fail the check.
        java.util.function.Function<Tensor[], Tensor> wrong = in -> {
            Tensor x = in[0];
            float[] y = new float[x.size()];
            for (int i = 0; i < y.length; i++) y[i] = x.data()[i] * x.data()[i];
            return Tensor.fromOp("bad_square", y, x.shape(), gy -> {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < gx.length; i++) gx[i] += gy[i] * x.data()[i];
            }, x);
        };
        GradCheck.Result r = new GradCheck().check(wrong, Tensor.uniform(rng, 0.5f, 2, 4).requiresGrad(true));
        assertFalse(r.ok(), r.toString());
    }
}
