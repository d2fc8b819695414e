package org.ddsp4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A float32 n-dimensional array, row-major and contiguous, that records the ops producing it so
 * that {@link #backward()} can compute gradients (reverse-mode automatic differentiation).
 *
 * <p>Leaves created by the user have no op; mark the ones to differentiate with
 * {@link #requiresGrad(boolean)}. Gradients of leaves accumulate across backward calls (call
 * {@link #zeroGrad()} between steps); the graph is freed as backward walks it, together with the
 * gradients of intermediate results. Inside {@link GradMode#off()} nothing is recorded.
 *
 * <p>Ops are methods here (e.g. {@code x.mul(w).add(b).tanh()}); their forward and backward rules
 * live together in the op classes of this package ({@link Elementwise}, {@link Reductions},
 * {@link ShapeOps}, {@link Linalg}, {@link SignalOps}, {@link Functional}). Code outside the package
 * defines fused ops with {@link #fromOp}.
 */
public final class Tensor {
    final float[] data;
    final int[] shape;
    float[] grad;
    private boolean requiresGrad;
    private boolean retainGrad;
    private String op;
    private Tensor[] inputs;
    private BackwardFn backwardFn;
    private int visitEpoch;
    private static int epochCounter;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ----------------------------------------------------------------------------- construction

    /** Wraps {@code data} (not copied) with {@code shape}; sizes must match. */
    public static Tensor of(float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("data has " + data.length + " elements but shape "
                    + Shape.str(shape) + " needs " + n);
        }
        return new Tensor(data, shape.clone());
    }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor vector(float... values) {
        return of(values.clone(), values.length);
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shape.numel(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    /** Standard normal samples times {@code std}. */
    public static Tensor randn(SplittableRandom rng, float std, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms.
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            d[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < d.length) d[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
        }
        return new Tensor(d, shape.clone());
    }

    /** Uniform samples in {@code [lo, hi)}. */
    public static Tensor uniform(SplittableRandom rng, float lo, float hi, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return new Tensor(d, shape.clone());
    }

    /**
     * Creates the result of an op. When grad mode is on and some input requires a gradient, the
     * result records {@code backward} (called once during {@link #backward()} with dL/d(result))
     * and requires a gradient itself; otherwise it is a plain tensor and {@code backward} is dropped.
     *
     * @param op       name for messages and debugging
     * @param data     the result's values (owned by the tensor from now on)
     * @param shape    the result's shape
     * @param backward accumulates dL/d(input) into each input that {@link #requiresGrad()}
     */
    public static Tensor fromOp(String op, float[] data, int[] shape, BackwardFn backward, Tensor... inputs) {
        if (OpProfile.enabled()) OpProfile.forward(op);
        FLOATS_MADE.add(data.length);
        Tensor t = of(data, shape);
        if (GradMode.enabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    t.requiresGrad = true;
                    t.op = op;
                    t.inputs = inputs;
                    t.backwardFn = backward;
                    break;
                }
            }
        }
        return t;
    }

    // ----------------------------------------------------------------------------- accessors

    /** The values, row-major. Writing into them bypasses autodiff: only for leaves and outputs. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape.length, "dim")];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) throw new IllegalArgumentException("item() needs one element, shape is " + Shape.str(shape));
        return data[0];
    }

    /** Value at a multi-index. */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length + ", tensor " + Shape.str(shape));
        }
        int f = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IllegalArgumentException("index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            }
            f = f * shape[i] + index[i];
        }
        return f;
    }

    /** The accumulated gradient dL/d(this), or null when none has been computed. */
    public float[] grad() {
        return grad;
    }

    /** The gradient as a tensor of this shape (zeros when none). */
    public Tensor gradTensor() {
        return of(grad == null ? new float[data.length] : grad.clone(), shape);
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a parameter/input to differentiate. Returns this. */
    public Tensor requiresGrad(boolean on) {
        if (backwardFn != null && !on) throw new IllegalStateException("cannot turn off requiresGrad on the result of " + op);
        requiresGrad = on;
        return this;
    }

    /** Keeps this intermediate's gradient after backward (leaves always keep theirs). */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    /** The op that produced this tensor, or null for a leaf (or once backward has freed it). */
    public String op() {
        return op;
    }

    public boolean isLeaf() {
        return backwardFn == null;
    }

    /** Sets the gradient to null (before the next accumulation). */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * The gradient buffer to accumulate into ({@code +=}), allocated as zeros on first use.
     * For use inside {@link BackwardFn}s.
     */
    public float[] gradBuffer() {
        if (grad == null) {
            grad = StepArrays.take(data.length, true);
            FLOATS_MADE.add(data.length);
        }
        return grad;
    }

    private static final java.util.concurrent.atomic.LongAdder FLOATS_MADE = new java.util.concurrent.atomic.LongAdder();

    /**
     * Floats of op results and gradient buffers made so far, by any thread: the size of a computation's tensors
     * whatever the JIT does (kernel scratch not counted). Read it before and after a step to know its memory.
     */
    public static long floatsMade() {
        return FLOATS_MADE.sum();
    }

    /** Adds {@code g} (same size) into this tensor's gradient. */
    public void accumulateGrad(float[] g) {
        if (g.length != data.length) {
            throw new IllegalArgumentException("gradient of size " + g.length + " for tensor of shape " + Shape.str(shape));
        }
        if (grad == null) {
            grad = g.clone();
        } else {
            float[] acc = grad;
            for (int i = 0; i < acc.length; i++) acc[i] += g[i];
        }
    }

    /** A leaf sharing no graph with this tensor (the values are copied). */
    public Tensor detach() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** A deep copy of the values as a new leaf with the same requiresGrad flag. */
    public Tensor copy() {
        Tensor t = detach();
        t.requiresGrad = requiresGrad && backwardFn == null;
        return t;
    }

    // ----------------------------------------------------------------------------- backward

    /** Backward from a one-element tensor (dL/dL = 1). */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalArgumentException("backward() without a gradient needs a one-element tensor, shape is "
                    + Shape.str(shape) + "; pass the output gradient");
        }
        backward(new float[] {1f});
    }

    /** Backward with dL/d(this) = {@code gradOutput} (same shape). */
    public void backward(Tensor gradOutput) {
        Shape.requireSame(shape, gradOutput.shape, "backward");
        backward(gradOutput.data.clone());
    }

    private void backward(float[] seed) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward on a tensor that does not require grad: no input was marked "
                    + "requiresGrad(true), or it was computed inside GradMode.off()");
        }
        List<Tensor> order = topologicalOrder();
        accumulateGrad(seed);
        try (GradMode g = GradMode.off()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                BackwardFn fn = t.backwardFn;
                if (fn == null) continue;
                if (t.grad != null) {
                    if (OpProfile.enabled()) {
                        long t0 = System.nanoTime();
                        fn.apply(t.grad);
                        OpProfile.backward(t.op, System.nanoTime() - t0);
                    } else {
                        fn.apply(t.grad);
                    }
                }
                t.backwardFn = null;
                t.inputs = null;
                t.op = null;
                if (!t.retainGrad && t != this) t.grad = null;
            }
        }
    }

    /** Post-order of the graph below this tensor (inputs before results), iterative for deep graphs. */
    private List<Tensor> topologicalOrder() {
        int epoch;
        synchronized (Tensor.class) {
            epoch = ++epochCounter;
        }
        List<Tensor> order = new ArrayList<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        stack.add(this);
        next.add(0);
        visitEpoch = epoch;
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int i = next.get(top);
            Tensor[] ins = t.inputs;
            if (ins != null && i < ins.length) {
                next.set(top, i + 1);
                Tensor in = ins[i];
                if (in != null && in.requiresGrad && in.visitEpoch != epoch) {
                    in.visitEpoch = epoch;
                    stack.add(in);
                    next.add(0);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape));
        if (op != null) sb.append(" op=").append(op);
        sb.append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(data[i]);
        if (data.length > n) sb.append(", ...");
        return sb.append(']').toString();
    }

    // ----------------------------------------------------------------------------- op methods
    // Thin delegations; rules and docs live in the op classes.

    public Tensor add(Tensor o) { return Elementwise.binary(Elementwise.Binary.ADD, this, o); }
    public Tensor sub(Tensor o) { return Elementwise.binary(Elementwise.Binary.SUB, this, o); }
    public Tensor mul(Tensor o) { return Elementwise.binary(Elementwise.Binary.MUL, this, o); }
    public Tensor div(Tensor o) { return Elementwise.binary(Elementwise.Binary.DIV, this, o); }
    public Tensor pow(Tensor o) { return Elementwise.binary(Elementwise.Binary.POW, this, o); }
    public Tensor maximum(Tensor o) { return Elementwise.binary(Elementwise.Binary.MAX, this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.binary(Elementwise.Binary.MIN, this, o); }
    public Tensor add(float c) { return Elementwise.affine(this, 1f, c); }
    public Tensor sub(float c) { return Elementwise.affine(this, 1f, -c); }
    public Tensor mul(float c) { return Elementwise.affine(this, c, 0f); }
    public Tensor div(float c) { return Elementwise.affine(this, 1f / c, 0f); }
    public Tensor pow(float p) { return Elementwise.pow(this, p); }
    public Tensor neg() { return Elementwise.affine(this, -1f, 0f); }
    public Tensor exp() { return Elementwise.unary(Elementwise.Unary.EXP, this); }
    public Tensor log() { return Elementwise.unary(Elementwise.Unary.LOG, this); }
    public Tensor sqrt() { return Elementwise.unary(Elementwise.Unary.SQRT, this); }
    public Tensor abs() { return Elementwise.unary(Elementwise.Unary.ABS, this); }
    public Tensor sin() { return Elementwise.unary(Elementwise.Unary.SIN, this); }
    public Tensor cos() { return Elementwise.unary(Elementwise.Unary.COS, this); }
    public Tensor tanh() { return Elementwise.unary(Elementwise.Unary.TANH, this); }
    public Tensor sigmoid() { return Elementwise.unary(Elementwise.Unary.SIGMOID, this); }
    public Tensor softplus() { return Elementwise.unary(Elementwise.Unary.SOFTPLUS, this); }
    public Tensor relu() { return Elementwise.unary(Elementwise.Unary.RELU, this); }
    public Tensor square() { return Elementwise.unary(Elementwise.Unary.SQUARE, this); }
    public Tensor leakyRelu(float slope) { return Elementwise.leakyRelu(this, slope); }
    public Tensor clip(float lo, float hi) { return Elementwise.clip(this, lo, hi); }
    /** {@code cond != 0 ? this : other}, broadcasting all three. */
    public Tensor where(Tensor cond, Tensor other) { return Elementwise.where(cond, this, other); }

    public Tensor sum() { return Reductions.sumAll(this); }
    public Tensor mean() { return Reductions.meanAll(this); }
    public Tensor sum(int axis, boolean keepDim) { return Reductions.sum(this, new int[] {axis}, keepDim); }
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.sum(this, axes, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return Reductions.mean(this, new int[] {axis}, keepDim); }
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.mean(this, axes, keepDim); }
    public Tensor max(int axis, boolean keepDim) { return Reductions.max(this, axis, keepDim); }

    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }
    public Tensor permute(int... axes) { return ShapeOps.permute(this, axes); }
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    public Tensor slice(int axis, int from, int to) { return ShapeOps.slice(this, axis, from, to); }
    public Tensor pad(int axis, int before, int after) { return ShapeOps.pad(this, axis, before, after, 0f); }
    public Tensor indexSelect(int axis, int[] indices) { return ShapeOps.indexSelect(this, axis, indices); }
    public Tensor broadcastTo(int... newShape) { return ShapeOps.broadcastTo(this, newShape); }

    public Tensor matmul(Tensor o) { return Linalg.matmul(this, o); }
    public Tensor cumsum(int axis) { return SignalOps.cumsum(this, axis); }
}
