package org.ddsp4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.Functional;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Dense, LayerNorm, FcStack and Module bookkeeping against primitive-op references and finite differences. */
class LayersTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    private static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + " element " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void denseMatchesMatmulPlusBiasAndGradChecks() {
        Dense d = new Dense(5, 3, rng);
        System.arraycopy(Tensor.uniform(rng, -1, 1, 3).data(), 0, d.bias().data(), 0, 3);  // non-zero bias
        Tensor x = Tensor.randn(rng, 1f, 2, 4, 5).requiresGrad(true);
        Tensor ref = x.matmul(d.weight()).add(d.bias());
        assertClose(ref.data(), d.forward(x).data(), 1e-6f, "dense forward");
        assertEquals(List.of(2, 4, 3), java.util.Arrays.stream(d.forward(x).shape()).boxed().toList());
        GradCheck.Result r = new GradCheck().check(a -> Dense.linear(a[0], a[1], a[2]), x, d.weight(), d.bias());
        assertTrue(r.ok(), "dense: " + r);
        GradCheck.Result r2 = new GradCheck().check(a -> Dense.linear(a[0], a[1], null), Tensor.randn(rng, 1f, 3, 5).requiresGrad(true), d.weight());
        assertTrue(r2.ok(), "dense without bias: " + r2);
        assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.zeros(2, 4)));
    }

    @Test
    void linearOnPartsMatchesLinearOnTheirConcatenation() {
        Tensor w = Tensor.randn(rng, 1f, 6, 4).requiresGrad(true), b = Tensor.randn(rng, 1f, 4).requiresGrad(true);
        Tensor p0 = Tensor.randn(rng, 1f, 2, 3, 3).requiresGrad(true), p1 = Tensor.randn(rng, 1f, 2, 3, 1).requiresGrad(true);
        Tensor p2 = Tensor.randn(rng, 1f, 2, 3, 2).requiresGrad(true);
        Tensor gy = Tensor.randn(rng, 1f, 2, 3, 4);
        Tensor y = Dense.linear(new Tensor[] {p0, p1, p2}, w, b);
        y.mul(gy).sum().backward();
        List<Tensor> all = List.of(p0, p1, p2, w, b);
        List<float[]> got = new java.util.ArrayList<>();
        for (Tensor t : all) {
            got.add(t.grad().clone());
            t.zeroGrad();
        }
        Tensor ref = org.ddsp4j.tensor.ShapeOps.concat(2, p0, p1, p2).matmul(w).add(b);
        assertClose(ref.data(), y.data(), 1e-5f, "forward");
        ref.mul(gy).sum().backward();
        for (int i = 0; i < all.size(); i++) assertClose(all.get(i).grad(), got.get(i), 1e-5f, "gradient " + i);
        GradCheck.Result r = new GradCheck().check(a -> Dense.linear(new Tensor[] {a[0], a[1], a[2]}, a[3], a[4]), p0, p1, p2, w, b);
        assertTrue(r.ok(), "linear on parts: " + r);
        GradCheck.Result r2 = new GradCheck().check(a -> Dense.linear(new Tensor[] {a[0], a[1]}, a[2], null),
                Tensor.randn(rng, 1f, 3, 2).requiresGrad(true), Tensor.randn(rng, 1f, 3, 4).requiresGrad(true),
                Tensor.randn(rng, 1f, 6, 2).requiresGrad(true));
        assertTrue(r2.ok(), "linear on parts without bias: " + r2);
        assertThrows(IllegalArgumentException.class, () -> Dense.linear(new Tensor[] {p0, p1}, w, b));  // widths 4 != 6
        assertThrows(IllegalArgumentException.class, () -> Dense.linear(new Tensor[] {p0, Tensor.zeros(3, 2, 3)}, w, b));
    }

    @Test
    void layerNormMatchesCompositeAndGradChecks() {
        LayerNorm ln = new LayerNorm(6, 1e-5f);
        System.arraycopy(Tensor.uniform(rng, 0.5f, 1.5f, 6).data(), 0, ln.gamma().data(), 0, 6);
        System.arraycopy(Tensor.uniform(rng, -1, 1, 6).data(), 0, ln.beta().data(), 0, 6);
        Tensor x = Tensor.randn(rng, 2f, 3, 4, 6).add(1.5f).detach().requiresGrad(true);
        Tensor ref = Functional.layerNorm(x, ln.gamma(), ln.beta(), 1e-5f);
        Tensor y = ln.forward(x);
        assertClose(ref.data(), y.data(), 2e-6f, "layer norm forward");
        // Each normalized row has mean 0 and (biased) variance ~1 before gamma/beta: check with identity affine.
        Tensor plain = LayerNorm.layerNorm(x, null, null, 1e-5f);
        for (int r = 0; r < 12; r++) {
            double s = 0, s2 = 0;
            for (int j = 0; j < 6; j++) {
                s += plain.data()[r * 6 + j];
                s2 += plain.data()[r * 6 + j] * plain.data()[r * 6 + j];
            }
            assertEquals(0, s / 6, 1e-6);
            assertEquals(1, s2 / 6, 1e-3);
        }
        GradCheck.Result g = new GradCheck().check(a -> LayerNorm.layerNorm(a[0], a[1], a[2], 1e-5f), x, ln.gamma(), ln.beta());
        assertTrue(g.ok(), "layer norm: " + g);
        GradCheck.Result g2 = new GradCheck().check(a -> LayerNorm.layerNorm(a[0], null, null, 1e-3f), Tensor.randn(rng, 1f, 5, 3).requiresGrad(true));
        assertTrue(g2.ok(), "layer norm without affine: " + g2);
    }

    @Test
    void layerNormBackwardMatchesCompositeOnManyRows() {
        // Enough rows to take the parallel path; composite autodiff as reference.
        int rows = 3000, d = 40;
        Tensor x = Tensor.randn(rng, 1f, rows, d).requiresGrad(true);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, d).requiresGrad(true), beta = Tensor.uniform(rng, -1, 1, d).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 1f, rows, d);
        LayerNorm.layerNorm(x, gamma, beta, 1e-3f).mul(w).sum().backward();
        float[] gx = x.grad().clone(), gg = gamma.grad().clone(), gb = beta.grad().clone();
        x.zeroGrad();
        gamma.zeroGrad();
        beta.zeroGrad();
        Functional.layerNorm(x, gamma, beta, 1e-3f).mul(w).sum().backward();
        assertClose(x.grad(), gx, 1e-4f, "dx");
        assertClose(gamma.grad(), gg, 2e-2f, "dgamma");  // sums of 3000 terms in float
        assertClose(beta.grad(), gb, 2e-2f, "dbeta");
    }

    @Test
    void fusedLayerNormLeakyReluMatchesCompositeOnManyRows() {
        // d = 40: vector lanes plus a scalar tail; enough rows for the parallel path.
        int rows = 3000, d = 40;
        float slope = 0.01f;
        Tensor x = Tensor.randn(rng, 1f, rows, d).add(0.7f).detach().requiresGrad(true);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, d).requiresGrad(true), beta = Tensor.uniform(rng, -1, 1, d).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 1f, rows, d);
        Tensor y = LayerNorm.layerNorm(x, gamma, beta, 1e-5f, slope);
        Tensor ref = Functional.layerNorm(x, gamma, beta, 1e-5f).leakyRelu(slope);
        assertClose(ref.data(), y.data(), 2e-5f, "fused forward");
        y.mul(w).sum().backward();
        float[] gx = x.grad().clone(), gg = gamma.grad().clone(), gb = beta.grad().clone();
        x.zeroGrad();
        gamma.zeroGrad();
        beta.zeroGrad();
        Functional.layerNorm(x, gamma, beta, 1e-5f).leakyRelu(slope).mul(w).sum().backward();
        assertClose(x.grad(), gx, 1e-4f, "dx");
        assertClose(gamma.grad(), gg, 2e-2f, "dgamma");  // sums of 3000 terms in float
        assertClose(beta.grad(), gb, 2e-2f, "dbeta");
    }

    @Test
    void fusedLayerNormLeakyReluGradChecks() {
        int d = 20;  // one vector of 16 lanes (AVX-512) and a tail, or several narrower vectors
        Tensor x = Tensor.randn(rng, 1f, 3, d).requiresGrad(true);
        Tensor gamma = Tensor.uniform(rng, 0.5f, 1.5f, d).requiresGrad(true), beta = Tensor.uniform(rng, -0.5f, 0.5f, d).requiresGrad(true);
        GradCheck.Result g = new GradCheck().check(a -> LayerNorm.layerNorm(a[0], a[1], a[2], 1e-3f, 0.2f), x, gamma, beta);
        assertTrue(g.ok(), "fused layer norm + leaky ReLU: " + g);
        GradCheck.Result g2 = new GradCheck().check(a -> LayerNorm.layerNorm(a[0], null, null, 1e-3f, 0.2f), x);
        assertTrue(g2.ok(), "fused layer norm + leaky ReLU without affine: " + g2);
        assertThrows(IllegalArgumentException.class, () -> LayerNorm.layerNorm(x, gamma, beta, 1e-3f, Float.NaN));
    }

    @Test
    void fcStackIsDenseNormLeakyRelu() {
        FcStack fc = new FcStack(4, 6, 2, rng);
        var p = fc.namedParameters();
        assertEquals(List.of("0.dense.w", "0.dense.b", "0.norm.gamma", "0.norm.beta",
                "1.dense.w", "1.dense.b", "1.norm.gamma", "1.norm.beta"), List.copyOf(p.keySet()));
        assertEquals(4 * 6 + 6 + 12 + 6 * 6 + 6 + 12, fc.parameterCount());
        Tensor x = Tensor.randn(rng, 1f, 3, 4).requiresGrad(true);
        Tensor h = x;
        for (int i = 0; i < 2; i++) {
            h = Functional.layerNorm(h.matmul(p.get(i + ".dense.w")).add(p.get(i + ".dense.b")),
                    p.get(i + ".norm.gamma"), p.get(i + ".norm.beta"), 1e-3f);
            h = h.maximum(h.mul(0.2f));  // leaky ReLU with ddsp's slope 0.2
        }
        assertClose(h.data(), fc.forward(x).data(), 2e-6f, "fc stack");
        GradCheck.Result g = new GradCheck().check(a -> fc.forward(a[0]), x);
        assertTrue(g.ok(), "fc stack: " + g);
    }

    @Test
    void moduleNamesOrderAndZeroGrad() {
        class Net extends Module {
            final FcStack pre = addModule("pre", new FcStack(2, 4, 1, rng));
            final Gru gru = addModule("gru", new Gru(4, 3, rng));
            final Dense out = addModule("out", new Dense(3, 1, rng));
        }
        Net net = new Net();
        assertEquals(List.of("pre.0.dense.w", "pre.0.dense.b", "pre.0.norm.gamma", "pre.0.norm.beta",
                "gru.w_ih", "gru.w_hh", "gru.b_ih", "gru.b_hh", "out.w", "out.b"), List.copyOf(net.namedParameters().keySet()));
        Tensor y = net.out.forward(net.gru.forward(net.pre.forward(Tensor.randn(rng, 1f, 2, 5, 2))).outputs());
        y.sum().backward();
        for (Tensor p : net.parameters()) assertTrue(p.grad() != null);
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertEquals(null, p.grad());
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                addParameter("a.b", Tensor.zeros(1));
            }
        });
    }
}
