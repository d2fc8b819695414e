package org.ddsp4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused GRU against a naive GRU built from primitive tensor ops, finite differences and itself step by step. */
class GruTest {
    /** The PyTorch GRU equations written with primitive ops, one step at a time. */
    static Tensor naive(Tensor x, Tensor h0, Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        int b = x.dim(0), t = x.dim(1), in = x.dim(2), h = whh.dim(0);
        Tensor state = h0 == null ? Tensor.zeros(b, h) : h0;
        List<Tensor> outs = new ArrayList<>();
        for (int s = 0; s < t; s++) {
            Tensor xt = x.slice(1, s, s + 1).reshape(b, in);
            Tensor gx = xt.matmul(wih).add(bih), gh = state.matmul(whh).add(bhh);
            Tensor r = gx.slice(1, 0, h).add(gh.slice(1, 0, h)).sigmoid();
            Tensor z = gx.slice(1, h, 2 * h).add(gh.slice(1, h, 2 * h)).sigmoid();
            Tensor n = gx.slice(1, 2 * h, 3 * h).add(r.mul(gh.slice(1, 2 * h, 3 * h))).tanh();
            state = z.neg().add(1f).mul(n).add(z.mul(state));
            outs.add(state.reshape(b, 1, h));
        }
        Tensor y = outs.get(0);
        for (int s = 1; s < t; s++) y = concat1(y, outs.get(s));
        return y;
    }

    private static Tensor concat1(Tensor a, Tensor b) {  // along axis 1 via padding + add
        int ta = a.dim(1), tb = b.dim(1);
        return a.pad(1, 0, tb).add(b.pad(1, ta, 0));
    }

    private static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= tol, what + ": max abs difference " + worst + " > " + tol);
    }

    @Test
    void forwardMatchesNaiveImplementation() {
        SplittableRandom rng = new SplittableRandom(1);
        Gru gru = new Gru(3, 5, rng);
        var p = gru.namedParameters();
        Tensor x = Tensor.randn(rng, 1f, 2, 7, 3), h0 = Tensor.randn(rng, 0.5f, 2, 5);
        Gru.Output out = gru.forward(x, h0);
        Tensor ref = naive(x, h0, p.get("w_ih"), p.get("w_hh"), p.get("b_ih"), p.get("b_hh"));
        assertClose(ref.data(), out.outputs().data(), 2e-6f, "outputs");
        assertArrayEquals(new int[] {2, 5}, out.finalState().shape());
        assertClose(ref.slice(1, 6, 7).reshape(2, 5).data(), out.finalState().data(), 2e-6f, "final state");
        // From a zero state, and with vector-width hidden sizes (vector loop plus tail).
        Gru wide = new Gru(4, 37, rng);
        var q = wide.namedParameters();
        Tensor x2 = Tensor.randn(rng, 1f, 3, 6, 4);
        assertClose(naive(x2, null, q.get("w_ih"), q.get("w_hh"), q.get("b_ih"), q.get("b_hh")).data(),
                wide.forward(x2).outputs().data(), 2e-6f, "wide outputs");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        Gru gru = new Gru(3, 4, rng);
        var p = gru.namedParameters();
        Tensor x = Tensor.randn(rng, 1f, 2, 5, 3).requiresGrad(true);
        Tensor h0 = Tensor.randn(rng, 0.5f, 2, 4).requiresGrad(true);
        Tensor[] in = {x, h0, p.get("w_ih"), p.get("w_hh"), p.get("b_ih"), p.get("b_hh")};
        GradCheck.Result r = new GradCheck().step(1e-2).tolerance(1e-3, 1e-2)
                .check(a -> Gru.sequence(a[0], a[1], a[2], a[3], a[4], a[5]), in);
        assertTrue(r.ok(), "GRU sequence: " + r);
        // The final state alone (gradient enters only at the last step), from a zero state.
        Tensor[] in2 = {x, p.get("w_ih"), p.get("w_hh"), p.get("b_ih"), p.get("b_hh")};
        GradCheck.Result r2 = new GradCheck().step(1e-2).tolerance(1e-3, 1e-2)
                .check(a -> Gru.sequence(a[0], null, a[1], a[2], a[3], a[4]).slice(1, 4, 5), in2);
        assertTrue(r2.ok(), "GRU final state: " + r2);
    }

    @Test
    void fusedGradientsMatchNaiveAutodiff() {
        // A second, tighter reference for backward: autodiff through the naive graph, at H = 20.
        SplittableRandom rng = new SplittableRandom(3);
        Gru gru = new Gru(6, 20, rng);
        var p = gru.namedParameters();
        Tensor x = Tensor.randn(rng, 1f, 3, 9, 6).requiresGrad(true), h0 = Tensor.randn(rng, 0.5f, 3, 20).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 1f, 3, 9, 20);
        List<Tensor> all = new ArrayList<>(List.of(x, h0));
        all.addAll(p.values());
        gru.forward(x, h0).outputs().mul(w).sum().backward();
        List<float[]> fused = new ArrayList<>();
        for (Tensor t : all) {
            fused.add(t.grad().clone());
            t.zeroGrad();
        }
        naive(x, h0, p.get("w_ih"), p.get("w_hh"), p.get("b_ih"), p.get("b_hh")).mul(w).sum().backward();
        String[] names = {"x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"};
        for (int i = 0; i < all.size(); i++) assertClose(all.get(i).grad(), fused.get(i), 2e-5f, "d" + names[i]);
    }

    @Test
    void concatenatedPartsMatchTheMaterializedConcatenation() {
        // Reference: the same GRU on ShapeOps.concat of the parts (forward and every gradient).
        SplittableRandom rng = new SplittableRandom(7);
        Gru gru = new Gru(7, 12, rng);
        var p = gru.namedParameters();
        Tensor a = Tensor.randn(rng, 1f, 2, 6, 4).requiresGrad(true), b = Tensor.randn(rng, 1f, 2, 6, 3).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 1f, 2, 6, 12);
        List<Tensor> all = new ArrayList<>(List.of(a, b));
        all.addAll(p.values());
        Tensor y = gru.forwardConcat(a, b).outputs();
        y.mul(w).sum().backward();
        List<float[]> parts = new ArrayList<>();
        for (Tensor t : all) {
            parts.add(t.grad().clone());
            t.zeroGrad();
        }
        Tensor ref = gru.forward(org.ddsp4j.tensor.ShapeOps.concat(2, a, b)).outputs();
        assertClose(ref.data(), y.data(), 1e-6f, "outputs");
        ref.mul(w).sum().backward();
        String[] names = {"a", "b", "w_ih", "w_hh", "b_ih", "b_hh"};
        for (int i = 0; i < all.size(); i++) assertClose(all.get(i).grad(), parts.get(i), 1e-5f, "d" + names[i]);
        GradCheck.Result r = new GradCheck().step(1e-2).tolerance(1e-3, 1e-2)
                .check(t -> Gru.sequence(new Tensor[] {t[0], t[1]}, null, t[2], t[3], t[4], t[5]),
                        a, b, p.get("w_ih"), p.get("w_hh"), p.get("b_ih"), p.get("b_hh"));
        assertTrue(r.ok(), "GRU on concatenated parts: " + r);
        assertThrows(IllegalArgumentException.class, () -> gru.forwardConcat(a, Tensor.zeros(2, 5, 3)));
        assertThrows(IllegalArgumentException.class, () -> gru.forwardConcat(a, Tensor.zeros(2, 6, 2)));
    }

    @Test
    void stepByStepEqualsSequence() {
        SplittableRandom rng = new SplittableRandom(4);
        Gru gru = new Gru(8, 24, rng);
        int b = 3, t = 50;
        Tensor x = Tensor.randn(rng, 1f, b, t, 8);
        try (GradMode g = GradMode.off()) {
            Tensor y = gru.forward(x).outputs();
            Tensor h = null;
            float worst = 0;
            for (int s = 0; s < t; s++) {
                h = gru.step(x.slice(1, s, s + 1).reshape(b, 8), h);
                float[] ys = y.slice(1, s, s + 1).reshape(b, 24).data();
                for (int i = 0; i < ys.length; i++) worst = Math.max(worst, Math.abs(ys[i] - h.data()[i]));
            }
            assertTrue(worst <= 1e-6f, "step vs sequence max difference " + worst);
        }
    }

    @Test
    void longSequencesRunAndStayBounded() {
        SplittableRandom rng = new SplittableRandom(5);
        Gru gru = new Gru(4, 16, rng);
        Tensor x = Tensor.randn(rng, 1f, 2, 1500, 4).requiresGrad(true);
        Tensor y = gru.forward(x).outputs();
        y.sum().backward();
        for (float v : y.data()) assertTrue(Math.abs(v) <= 1f, "GRU state must stay in [-1, 1], got " + v);
        for (float v : x.grad()) assertTrue(Float.isFinite(v));
        for (Tensor p : gru.parameters()) for (float v : p.grad()) assertTrue(Float.isFinite(v));
    }

    @Test
    void rejectsBadShapes() {
        Gru gru = new Gru(3, 4, new SplittableRandom(6));
        assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 5, 2)));
        assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 5)));
        assertThrows(IllegalArgumentException.class, () -> gru.forward(Tensor.zeros(2, 5, 3), Tensor.zeros(3, 4)));
        assertEquals(3 * 12 + 4 * 12 + 24, gru.parameterCount());
    }
}
