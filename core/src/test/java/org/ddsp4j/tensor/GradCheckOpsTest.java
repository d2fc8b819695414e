package org.ddsp4j.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every tensor op's backward against central finite differences (see {@link GradCheck}). */
class GradCheckOpsTest {
    private final SplittableRandom rng = new SplittableRandom(7);

    private Tensor randn(int... shape) {
        return Tensor.randn(rng, 1f, shape).requiresGrad(true);
    }

    private Tensor uniform(float lo, float hi, int... shape) {
        return Tensor.uniform(rng, lo, hi, shape).requiresGrad(true);
    }

    private static void check(String what, Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = new GradCheck().check(f, in);
        assertTrue(r.ok(), what + ": " + r);
    }

    private static final int[][] SHAPES = {{1}, {5}, {3, 1}, {2, 3, 4}, {1, 7}};

    private void unary(String name, UnaryOperator<Tensor> op, float lo, float hi) {
        for (int[] s : SHAPES) check(name + " " + java.util.Arrays.toString(s), in -> op.apply(in[0]), uniform(lo, hi, s));
    }

    @Test
    void unaryOps() {
        unary("exp", Tensor::exp, -2, 2);
        unary("log", Tensor::log, 0.2f, 3);
        unary("sqrt", Tensor::sqrt, 0.2f, 3);
        unary("abs", Tensor::abs, 0.1f, 2);  // away from the kink
        unary("abs-neg", Tensor::abs, -2, -0.1f);
        unary("sin", Tensor::sin, -4, 4);
        unary("cos", Tensor::cos, -4, 4);
        unary("tanh", Tensor::tanh, -3, 3);
        unary("sigmoid", Tensor::sigmoid, -5, 5);
        unary("softplus", Tensor::softplus, -5, 5);
        unary("relu", Tensor::relu, 0.1f, 2);
        unary("relu-neg", Tensor::relu, -2, -0.1f);
        unary("square", Tensor::square, -2, 2);
        unary("neg", Tensor::neg, -2, 2);
        unary("leakyRelu", t -> t.leakyRelu(0.2f), 0.1f, 2);
        unary("leakyRelu-neg", t -> t.leakyRelu(0.2f), -2, -0.1f);
        unary("powConst", t -> t.pow(2.5f), 0.3f, 2);
        unary("affine", t -> t.mul(3f).add(1f).sub(0.5f).div(2f), -2, 2);
        unary("clip-inside", t -> t.clip(-5, 5), -2, 2);
        unary("clip-outside", t -> t.clip(-0.5f, 0.5f).add(t), 0.7f, 2);
    }

    @Test
    void binaryOpsWithBroadcasting() {
        int[][][] pairs = {{{3}, {3}}, {{2, 3}, {3}}, {{2, 3}, {2, 1}}, {{4, 1, 3}, {1, 5, 1}}, {{1}, {2, 5}}, {{2, 1, 3}, {3}}};
        for (int[][] p : pairs) {
            String s = java.util.Arrays.deepToString(p);
            check("add " + s, in -> in[0].add(in[1]), randn(p[0]), randn(p[1]));
            check("sub " + s, in -> in[0].sub(in[1]), randn(p[0]), randn(p[1]));
            check("mul " + s, in -> in[0].mul(in[1]), randn(p[0]), randn(p[1]));
            check("div " + s, in -> in[0].div(in[1]), randn(p[0]), uniform(0.5f, 2, p[1]));
            check("pow " + s, in -> in[0].pow(in[1]), uniform(0.5f, 2, p[0]), uniform(-1, 2, p[1]));
            check("maximum " + s, in -> in[0].maximum(in[1]), uniform(0, 1, p[0]), uniform(2, 3, p[1]));
            check("minimum " + s, in -> in[0].minimum(in[1]), uniform(0, 1, p[0]), uniform(2, 3, p[1]));
            check("minimum-swap " + s, in -> in[0].minimum(in[1]), uniform(2, 3, p[0]), uniform(0, 1, p[1]));
        }
        Tensor x = randn(3, 4);
        check("same tensor twice", in -> in[0].mul(in[0]).add(in[0]), x);
    }

    @Test
    void whereSelects() {
        Tensor cond = Tensor.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        check("where", in -> in[0].where(cond, in[1]), randn(2, 3), randn(3));
        check("where-bcast-cond", in -> in[0].where(Tensor.of(new float[] {0, 1, 1}, 3), in[1]), randn(4, 3), randn(4, 1));
    }

    @Test
    void reductions() {
        for (int[] s : new int[][] {{5}, {2, 3}, {2, 3, 4}, {1, 1, 3}}) {
            String n = java.util.Arrays.toString(s);
            check("sumAll " + n, in -> in[0].sum(), randn(s));
            check("meanAll " + n, in -> in[0].mean(), randn(s));
            check("sum0 " + n, in -> in[0].sum(0, false), randn(s));
            check("mean-last keep " + n, in -> in[0].mean(-1, true), randn(s));
            check("max-last " + n, in -> in[0].max(-1, false), randn(s));
            check("max0 keep " + n, in -> in[0].max(0, true), randn(s));
        }
        check("sum axes 0,2", in -> in[0].sum(new int[] {0, 2}, false), randn(2, 3, 4));
        check("mean axes 1,2 keep", in -> in[0].mean(new int[] {1, 2}, true), randn(2, 3, 5));
    }

    @Test
    void shapeOps() {
        check("reshape", in -> in[0].reshape(3, -1).mul(in[0].reshape(3, 4)), randn(2, 6));
        check("permute", in -> in[0].permute(2, 0, 1), randn(2, 3, 4));
        check("transpose", in -> in[0].transpose(0, 1), randn(3, 5));
        check("permute-4d", in -> in[0].permute(1, 3, 0, 2), randn(2, 1, 3, 2));
        check("slice mid", in -> in[0].slice(1, 1, 4), randn(2, 5, 3));
        check("slice last", in -> in[0].slice(-1, 2, 3), randn(3, 4));
        check("concat", in -> ShapeOps.concat(1, in[0], in[1], in[0]), randn(2, 3), randn(2, 1));
        check("concat0", in -> ShapeOps.concat(0, in[0], in[1]), randn(1, 4), randn(3, 4));
        check("stack", in -> ShapeOps.stack(1, in[0], in[1]), randn(2, 3), randn(2, 3));
        check("stack-last", in -> ShapeOps.stack(-1, in[0], in[1]), randn(3), randn(3));
        check("pad", in -> in[0].pad(1, 2, 1), randn(2, 3));
        check("indexSelect", in -> in[0].indexSelect(0, new int[] {2, 0, 2}), randn(3, 4));
        check("indexSelect-last", in -> in[0].indexSelect(-1, new int[] {1, 1, 0}), randn(2, 2));
        check("broadcastTo", in -> in[0].broadcastTo(2, 3, 4), randn(3, 1));
    }

    @Test
    void matmul() {
        check("2d", in -> in[0].matmul(in[1]), randn(3, 4), randn(4, 5));
        check("1x1", in -> in[0].matmul(in[1]), randn(1, 1), randn(1, 1));
        check("shared weight", in -> in[0].matmul(in[1]), randn(2, 3, 4), randn(4, 2));
        check("batched", in -> in[0].matmul(in[1]), randn(2, 3, 4), randn(2, 4, 5));
        check("broadcast batch", in -> in[0].matmul(in[1]), randn(3, 4), randn(2, 4, 3));
        check("broadcast batch 4d", in -> in[0].matmul(in[1]), randn(2, 1, 2, 3), randn(1, 3, 3, 2));
    }

    @Test
    void signalOps() {
        check("cumsum last", in -> in[0].cumsum(-1), randn(2, 7));
        check("cumsum 0", in -> in[0].cumsum(0), randn(5, 3));
        check("frame", in -> SignalOps.frame(in[0], 4, 3), randn(2, 11));
        check("frame hop1", in -> SignalOps.frame(in[0], 3, 1), randn(5));
        check("overlapAdd", in -> SignalOps.overlapAdd(in[0], 2), randn(2, 4, 3));
        check("rfft", in -> SignalOps.rfft(in[0], 8), randn(2, 8));
        check("rfft padded", in -> SignalOps.rfft(in[0], 16), randn(3, 5));
        check("irfft", in -> SignalOps.irfft(in[0], 8), randn(2, 5, 2));
        check("rfft->irfft", in -> SignalOps.irfft(SignalOps.rfft(in[0], 16).mul(in[1]), 16), randn(2, 16), randn(9, 1));
    }

    @Test
    void composites() {
        check("softmax", in -> Functional.softmax(in[0], -1), randn(3, 5));
        check("softmax0", in -> Functional.softmax(in[0], 0), randn(4, 2));
        check("logSoftmax", in -> Functional.logSoftmax(in[0], -1), randn(2, 6));
        check("layerNorm", in -> Functional.layerNorm(in[0], in[1], in[2], 1e-5f), randn(3, 6), randn(6), randn(6));
        check("mse", in -> Functional.mse(in[0], in[1]), randn(4, 3), randn(4, 3));
        check("l1", in -> Functional.l1(in[0], in[1]), uniform(0, 1, 4, 3), uniform(2, 3, 4, 3));
        check("complexAbs", in -> Functional.complexAbs(in[0], 1e-6f), randn(3, 4, 2));
    }
}
