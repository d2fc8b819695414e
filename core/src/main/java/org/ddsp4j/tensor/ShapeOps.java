package org.ddsp4j.tensor;

import java.util.Arrays;

/** Ops that move elements without arithmetic: reshape, permute, slice, concat, stack, pad, gather. */
public final class ShapeOps {
    private ShapeOps() {}

    /** Same elements, new shape (one dimension may be -1 = inferred). Shares the data array. */
    static Tensor reshape(Tensor x, int... newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one -1 allowed in " + Shape.str(newShape));
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.data.length % known != 0) {
                throw new IllegalArgumentException("reshape: cannot infer -1 reshaping " + Shape.str(x.shape) + " to " + Shape.str(newShape));
            }
            s[infer] = x.data.length / known;
        }
        if (Shape.numel(s) != x.data.length) {
            throw new IllegalArgumentException("reshape: shape " + Shape.str(x.shape) + " (" + x.data.length
                    + " elements) cannot become " + Shape.str(newShape));
        }
        return Tensor.fromOp("reshape", x.data, s, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i];
        }, x);
    }

    /** Reorders axes: result axis i is input axis {@code axes[i]}. */
    static Tensor permute(Tensor x, int... axes) {
        int r = x.shape.length;
        if (axes.length != r) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(axes) + " for shape " + Shape.str(x.shape));
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = Shape.axis(axes[i], r, "permute");
            if (seen[perm[i]]) throw new IllegalArgumentException("permute: axis repeated in " + Arrays.toString(axes));
            seen[perm[i]] = true;
        }
        int[] outShape = new int[r];
        for (int i = 0; i < r; i++) outShape[i] = x.shape[perm[i]];
        int[] inStrides = Shape.strides(x.shape);
        int[] src = new int[r];
        for (int i = 0; i < r; i++) src[i] = inStrides[perm[i]];
        float[] y = new float[x.data.length];
        gatherStrided(x.data, src, outShape, y, false);
        return Tensor.fromOp("permute", y, outShape, gy -> gatherStrided(x.gradBuffer(), src, outShape, gy, true), x);
    }

    /**
     * For each element of a tensor of {@code outShape} (row-major index o), with input offset
     * {@code sum(idx[d] * srcStrides[d])}: copies in[off] to out[o], or when {@code scatter}
     * adds out[o] back into in[off].
     */
    private static void gatherStrided(float[] in, int[] srcStrides, int[] outShape, float[] out, boolean scatter) {
        int r = outShape.length;
        int total = Shape.numel(outShape);
        if (total == 0) return;
        if (r == 0) {
            if (scatter) in[0] += out[0]; else out[0] = in[0];
            return;
        }
        int n = outShape[r - 1], s = srcStrides[r - 1];
        int[] idx = new int[r];
        int off = 0;
        for (int o = 0; o < total; o += n) {
            if (scatter) for (int j = 0; j < n; j++) in[off + j * s] += out[o + j];
            else for (int j = 0; j < n; j++) out[o + j] = in[off + j * s];
            for (int d = r - 2; d >= 0; d--) {
                idx[d]++;
                off += srcStrides[d];
                if (idx[d] < outShape[d]) break;
                off -= srcStrides[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int r = x.shape.length;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int na = Shape.axis(a, r, "transpose"), nb = Shape.axis(b, r, "transpose");
        perm[na] = nb;
        perm[nb] = na;
        return permute(x, perm);
    }

    private static int[] outerLenInner(int[] shape, int axis) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        return new int[] {outer, shape[axis], inner};
    }

    /** Elements {@code [from, to)} along {@code axis}. */
    static Tensor slice(Tensor x, int axis, int from, int to) {
        int a = Shape.axis(axis, x.shape.length, "slice");
        int len = x.shape[a];
        if (from < 0 || to > len || from > to) {
            throw new IllegalArgumentException("slice: range [" + from + ", " + to + ") out of bounds for axis " + axis
                    + " of shape " + Shape.str(x.shape));
        }
        int[] oli = outerLenInner(x.shape, a);
        int outer = oli[0], inner = oli[2], w = (to - from) * inner;
        int[] outShape = x.shape.clone();
        outShape[a] = to - from;
        float[] y = new float[outer * w];
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, (o * len + from) * inner, y, o * w, w);
        return Tensor.fromOp("slice", y, outShape, gy -> {
            float[] gx = x.gradBuffer();
            for (int o = 0; o < outer; o++) {
                int base = (o * len + from) * inner;
                for (int j = 0; j < w; j++) gx[base + j] += gy[o * w + j];
            }
        }, x);
    }

    /** Joins tensors along {@code axis}; all other dimensions must match. */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat of no tensors");
        int r = xs[0].shape.length;
        int a = Shape.axis(axis, r, "concat");
        int[] outShape = xs[0].shape.clone();
        outShape[a] = 0;
        for (Tensor t : xs) {
            if (t.shape.length != r) throw new IllegalArgumentException("concat: shapes " + Shape.str(xs[0].shape) + " and " + Shape.str(t.shape));
            for (int i = 0; i < r; i++) {
                if (i != a && t.shape[i] != xs[0].shape[i]) {
                    throw new IllegalArgumentException("concat along axis " + axis + ": shapes " + Shape.str(xs[0].shape) + " and " + Shape.str(t.shape));
                }
            }
            outShape[a] += t.shape[a];
        }
        int[] oli = outerLenInner(outShape, a);
        int outer = oli[0], inner = oli[2], rowW = outShape[a] * inner;
        float[] y = new float[Shape.numel(outShape)];
        int[] offs = new int[xs.length];
        for (int k = 0, off = 0; k < xs.length; k++) {
            offs[k] = off;
            int w = xs[k].shape[a] * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(xs[k].data, o * w, y, o * rowW + off, w);
            off += w;
        }
        return Tensor.fromOp("concat", y, outShape, gy -> {
            for (int k = 0; k < xs.length; k++) {
                if (!xs[k].requiresGrad()) continue;
                float[] gx = xs[k].gradBuffer();
                int w = xs[k].shape[a] * inner;
                for (int o = 0; o < outer; o++) {
                    int src = o * rowW + offs[k], dst = o * w;
                    for (int j = 0; j < w; j++) gx[dst + j] += gy[src + j];
                }
            }
        }, xs);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("stack of no tensors");
        int r = xs[0].shape.length;
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) throw new IllegalArgumentException("stack: axis " + axis + " out of range for rank " + r);
        Tensor[] ex = new Tensor[xs.length];
        for (int k = 0; k < xs.length; k++) {
            Shape.requireSame(xs[0].shape, xs[k].shape, "stack");
            int[] s = new int[r + 1];
            for (int i = 0, j = 0; i <= r; i++) s[i] = i == a ? 1 : xs[k].shape[j++];
            ex[k] = reshape(xs[k], s);
        }
        return concat(a, ex);
    }

    /** Pads {@code before} and {@code after} elements of {@code value} along {@code axis}. */
    static Tensor pad(Tensor x, int axis, int before, int after, float value) {
        int a = Shape.axis(axis, x.shape.length, "pad");
        if (before < 0 || after < 0) throw new IllegalArgumentException("pad: negative padding " + before + ", " + after);
        int[] oli = outerLenInner(x.shape, a);
        int outer = oli[0], len = oli[1], inner = oli[2];
        int[] outShape = x.shape.clone();
        outShape[a] = len + before + after;
        int w = len * inner, ow = outShape[a] * inner;
        float[] y = new float[outer * ow];
        if (value != 0) Arrays.fill(y, value);
        for (int o = 0; o < outer; o++) System.arraycopy(x.data, o * w, y, o * ow + before * inner, w);
        return Tensor.fromOp("pad", y, outShape, gy -> {
            float[] gx = x.gradBuffer();
            for (int o = 0; o < outer; o++) {
                int src = o * ow + before * inner, dst = o * w;
                for (int j = 0; j < w; j++) gx[dst + j] += gy[src + j];
            }
        }, x);
    }

    /** Selects {@code indices} along {@code axis} (repeats allowed; gradients add up). */
    static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        int a = Shape.axis(axis, x.shape.length, "indexSelect");
        int[] oli = outerLenInner(x.shape, a);
        int outer = oli[0], len = oli[1], inner = oli[2];
        for (int i : indices) {
            if (i < 0 || i >= len) {
                throw new IllegalArgumentException("indexSelect: index " + i + " out of bounds for axis " + axis + " of shape " + Shape.str(x.shape));
            }
        }
        int[] idx = indices.clone();
        int[] outShape = x.shape.clone();
        outShape[a] = idx.length;
        float[] y = new float[outer * idx.length * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < idx.length; k++) {
                System.arraycopy(x.data, (o * len + idx[k]) * inner, y, (o * idx.length + k) * inner, inner);
            }
        }
        return Tensor.fromOp("index_select", y, outShape, gy -> {
            float[] gx = x.gradBuffer();
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < idx.length; k++) {
                    int src = (o * idx.length + k) * inner, dst = (o * len + idx[k]) * inner;
                    for (int j = 0; j < inner; j++) gx[dst + j] += gy[src + j];
                }
            }
        }, x);
    }

    /** Materializes x at a broadcast-compatible larger shape. */
    static Tensor broadcastTo(Tensor x, int... newShape) {
        int[] s = newShape.clone();
        int[] check = Shape.broadcast(x.shape, s, "broadcastTo");
        if (!Arrays.equals(check, s)) {
            throw new IllegalArgumentException("broadcastTo: " + Shape.str(x.shape) + " cannot broadcast to " + Shape.str(s));
        }
        float[] y = Broadcast.expand(x.data, x.shape, s);
        return Tensor.fromOp("broadcast_to", y, s, gy -> Broadcast.sumInto(gy, s, x.shape, x.gradBuffer()), x);
    }
}
