package org.ddsp4j.tensor;

/** Sum, mean and max over axes. Reduced axes are kept as size 1 when {@code keepDim}, else dropped. */
public final class Reductions {
    private Reductions() {}

    /** Sum of all elements (rank-0 result), accumulated in double. */
    static Tensor sumAll(Tensor x) {
        float[] d = x.data;
        double s = 0;
        for (float v : d) s += v;
        return Tensor.fromOp("sum", new float[] {(float) s}, new int[0], gy -> {
            float[] gx = x.gradBuffer();
            float g = gy[0];
            for (int i = 0; i < gx.length; i++) gx[i] += g;
        }, x);
    }

    /** Mean of all elements (rank-0 result). */
    static Tensor meanAll(Tensor x) {
        if (x.data.length == 0) throw new IllegalArgumentException("mean of an empty tensor, shape " + Shape.str(x.shape));
        return sumAll(x).mul(1f / x.data.length);
    }

    /** Shape with {@code axes} set to 1 (the reduction's shape before dropping axes). */
    private static int[] keptShape(int[] shape, boolean[] reduced) {
        int[] k = shape.clone();
        for (int i = 0; i < k.length; i++) if (reduced[i]) k[i] = 1;
        return k;
    }

    private static boolean[] reducedMask(int[] axes, int rank, String op) {
        boolean[] m = new boolean[rank];
        for (int a : axes) {
            int n = Shape.axis(a, rank, op);
            if (m[n]) throw new IllegalArgumentException(op + ": axis " + a + " given twice");
            m[n] = true;
        }
        return m;
    }

    private static int[] dropped(int[] shape, boolean[] reduced) {
        int c = 0;
        for (boolean r : reduced) if (!r) c++;
        int[] s = new int[c];
        for (int i = 0, j = 0; i < shape.length; i++) if (!reduced[i]) s[j++] = shape[i];
        return s;
    }

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        boolean[] red = reducedMask(axes, x.shape.length, "sum");
        int[] kept = keptShape(x.shape, red);
        float[] y = new float[Shape.numel(kept)];
        Broadcast.sumInto(x.data, x.shape, kept, y);
        int[] outShape = keepDim ? kept : dropped(x.shape, red);
        return Tensor.fromOp("sum", y, outShape, gy -> {
            float[] gx = x.gradBuffer();
            Broadcast.rows(x.shape, kept, (o, k, ks, n) -> {
                if (ks == 0) {
                    float g = gy[k];
                    for (int j = 0; j < n; j++) gx[o + j] += g;
                } else {
                    for (int j = 0; j < n; j++) gx[o + j] += gy[k + j];
                }
            });
        }, x);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        boolean[] red = reducedMask(axes, x.shape.length, "mean");
        int count = 1;
        for (int i = 0; i < red.length; i++) if (red[i]) count *= x.shape[i];
        if (count == 0) throw new IllegalArgumentException("mean over empty axes of shape " + Shape.str(x.shape));
        return sum(x, axes, keepDim).mul(1f / count);
    }

    /** Maximum along one axis; the gradient goes to the first maximal element. */
    static Tensor max(Tensor x, int axis, boolean keepDim) {
        int a = Shape.axis(axis, x.shape.length, "max");
        int len = x.shape[a];
        if (len == 0) throw new IllegalArgumentException("max over an empty axis " + axis + " of shape " + Shape.str(x.shape));
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= x.shape[i];
        for (int i = a + 1; i < x.shape.length; i++) inner *= x.shape[i];
        float[] xd = x.data, y = new float[outer * inner];
        int[] arg = new int[y.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float m = xd[base];
                int am = 0;
                for (int k = 1; k < len; k++) {
                    float v = xd[base + k * inner];
                    if (v > m) {
                        m = v;
                        am = k;
                    }
                }
                y[o * inner + i] = m;
                arg[o * inner + i] = base + am * inner;
            }
        }
        boolean[] red = new boolean[x.shape.length];
        red[a] = true;
        int[] outShape = keepDim ? keptShape(x.shape, red) : dropped(x.shape, red);
        return Tensor.fromOp("max", y, outShape, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < arg.length; i++) gx[arg[i]] += gy[i];
        }, x);
    }
}
