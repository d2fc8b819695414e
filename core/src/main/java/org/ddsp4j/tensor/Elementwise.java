package org.ddsp4j.tensor;

import java.util.Arrays;

/**
 * Elementwise ops with numpy broadcasting. Each op's forward loop and derivative sit side by side
 * in one enum constant; shapes are checked once, loops run per row of the last dimension.
 */
public final class Elementwise {
    private Elementwise() {}

    // ------------------------------------------------------------------------------ unary ops

    /** y = f(x); backward gx += gy * f'(x) (using y where it is cheaper). */
    enum Unary {
        EXP {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.exp(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * y[i]; }
        },
        LOG {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.log(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] / x[i]; }
        },
        SQRT {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.sqrt(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * 0.5f / y[i]; }
        },
        ABS {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * Math.signum(x[i]); }
        },
        SIN {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.sin(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * (float) Math.cos(x[i]); }
        },
        COS {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.cos(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] -= gy[i] * (float) Math.sin(x[i]); }
        },
        TANH {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = (float) Math.tanh(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * (1 - y[i] * y[i]); }
        },
        SIGMOID {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = sigmoid(x[i]); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * y[i] * (1 - y[i]); }
        },
        SOFTPLUS {
            // log(1 + e^x) computed as max(x, 0) + log1p(e^-|x|) so large |x| neither overflows nor loses precision.
            void forward(float[] x, float[] y) {
                for (int i = 0; i < x.length; i++) y[i] = (float) (Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i]))));
            }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += gy[i] * sigmoid(x[i]); }
        },
        RELU {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0f); }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) if (x[i] > 0) gx[i] += gy[i]; }
        },
        SQUARE {
            void forward(float[] x, float[] y) { for (int i = 0; i < x.length; i++) y[i] = x[i] * x[i]; }
            void backward(float[] x, float[] y, float[] gy, float[] gx) { for (int i = 0; i < x.length; i++) gx[i] += 2 * gy[i] * x[i]; }
        };

        abstract void forward(float[] x, float[] y);

        abstract void backward(float[] x, float[] y, float[] gy, float[] gx);
    }

    static float sigmoid(float x) {
        // Branch on sign so exp never overflows.
        if (x >= 0) return (float) (1 / (1 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }

    static Tensor unary(Unary f, Tensor x) {
        float[] y = new float[x.data.length];
        f.forward(x.data, y);
        return Tensor.fromOp(f.name().toLowerCase(), y, x.shape, gy -> f.backward(x.data, y, gy, x.gradBuffer()), x);
    }

    /** y = scale * x + shift. */
    static Tensor affine(Tensor x, float scale, float shift) {
        float[] xd = x.data, y = new float[xd.length];
        for (int i = 0; i < y.length; i++) y[i] = scale * xd[i] + shift;
        return Tensor.fromOp("affine", y, x.shape, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += scale * gy[i];
        }, x);
    }

    /** y = x^p for a constant exponent; dy/dx = p x^(p-1). */
    static Tensor pow(Tensor x, float p) {
        float[] xd = x.data, y = new float[xd.length];
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.pow(xd[i], p);
        return Tensor.fromOp("pow", y, x.shape, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i] * p * (float) Math.pow(xd[i], p - 1);
        }, x);
    }

    /** y = x for x > 0, slope * x otherwise. */
    static Tensor leakyRelu(Tensor x, float slope) {
        float[] xd = x.data, y = new float[xd.length];
        for (int i = 0; i < y.length; i++) y[i] = xd[i] > 0 ? xd[i] : slope * xd[i];
        return Tensor.fromOp("leaky_relu", y, x.shape, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += xd[i] > 0 ? gy[i] : slope * gy[i];
        }, x);
    }

    /** y = min(max(x, lo), hi); the gradient passes only where lo < x < hi. */
    static Tensor clip(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clip: lo " + lo + " must be <= hi " + hi);
        float[] xd = x.data, y = new float[xd.length];
        for (int i = 0; i < y.length; i++) y[i] = Math.min(Math.max(xd[i], lo), hi);
        return Tensor.fromOp("clip", y, x.shape, gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) if (xd[i] > lo && xd[i] < hi) gx[i] += gy[i];
        }, x);
    }

    // ----------------------------------------------------------------------------- binary ops

    /**
     * y = f(a, b) over rows: a[aOff + j*as], b[bOff + j*bs] for j < n. The gradient rules write the
     * full-size (output-shaped) gradient of each operand into {@code g} at {@code o}.
     */
    enum Binary {
        ADD {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = a[ao + j * as] + b[bo + j * bs];
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                System.arraycopy(gy, o, g, o, n);
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                System.arraycopy(gy, o, g, o, n);
            }
        },
        SUB {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = a[ao + j * as] - b[bo + j * bs];
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                System.arraycopy(gy, o, g, o, n);
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = -gy[o + j];
            }
        },
        MUL {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = a[ao + j * as] * b[bo + j * bs];
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = gy[o + j] * b[bo + j * bs];
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = gy[o + j] * a[ao + j * as];
            }
        },
        DIV {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = a[ao + j * as] / b[bo + j * bs];
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = gy[o + j] / b[bo + j * bs];
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = -gy[o + j] * y[o + j] / b[bo + j * bs];
            }
        },
        POW {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = (float) Math.pow(a[ao + j * as], b[bo + j * bs]);
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) {
                    float e = b[bo + j * bs];
                    g[o + j] = gy[o + j] * e * (float) Math.pow(a[ao + j * as], e - 1);
                }
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                // d(a^b)/db = a^b ln a, defined for a > 0; 0 elsewhere (as in PyTorch for a == 0).
                for (int j = 0; j < n; j++) {
                    float base = a[ao + j * as];
                    g[o + j] = base > 0 ? gy[o + j] * y[o + j] * (float) Math.log(base) : 0f;
                }
            }
        },
        MAX {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = Math.max(a[ao + j * as], b[bo + j * bs]);
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = a[ao + j * as] >= b[bo + j * bs] ? gy[o + j] : 0f;
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = a[ao + j * as] >= b[bo + j * bs] ? 0f : gy[o + j];
            }
        },
        MIN {
            void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n) {
                for (int j = 0; j < n; j++) y[o + j] = Math.min(a[ao + j * as], b[bo + j * bs]);
            }
            void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = a[ao + j * as] <= b[bo + j * bs] ? gy[o + j] : 0f;
            }
            void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n) {
                for (int j = 0; j < n; j++) g[o + j] = a[ao + j * as] <= b[bo + j * bs] ? 0f : gy[o + j];
            }
        };

        abstract void forward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int o, int n);

        abstract void gradA(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n);

        abstract void gradB(float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, float[] gy, float[] g, int o, int n);
    }

    static Tensor binary(Binary f, Tensor a, Tensor b) {
        String name = f.name().toLowerCase();
        int[] outShape = Shape.broadcast(a.shape, b.shape, name);
        float[] ad = a.data, bd = b.data;
        float[] y = StepArrays.take(Shape.numel(outShape), false);   // every element is written below
        boolean same = Arrays.equals(a.shape, b.shape);
        if (same) f.forward(ad, 0, 1, bd, 0, 1, y, 0, y.length);
        else Broadcast.rows(outShape, a.shape, b.shape, (o, ao, as, bo, bs, n) -> f.forward(ad, ao, as, bd, bo, bs, y, o, n));
        return Tensor.fromOp(name, y, outShape, gy -> {
            if (same && (f == Binary.ADD || f == Binary.SUB)) {
                // The common residual/mix case: accumulate straight into the gradients, no temporary.
                if (a.requiresGrad()) addScaled(gy, 1f, a.gradBuffer());
                if (b.requiresGrad()) addScaled(gy, f == Binary.ADD ? 1f : -1f, b.gradBuffer());
                return;
            }
            float[] g = StepArrays.take(y.length, true);
            if (a.requiresGrad()) {
                if (same) f.gradA(ad, 0, 1, bd, 0, 1, y, gy, g, 0, y.length);
                else Broadcast.rows(outShape, a.shape, b.shape, (o, ao, as, bo, bs, n) -> f.gradA(ad, ao, as, bd, bo, bs, y, gy, g, o, n));
                Broadcast.sumInto(g, outShape, a.shape, a.gradBuffer());
            }
            if (b.requiresGrad()) {
                if (same) f.gradB(ad, 0, 1, bd, 0, 1, y, gy, g, 0, y.length);
                else Broadcast.rows(outShape, a.shape, b.shape, (o, ao, as, bo, bs, n) -> f.gradB(ad, ao, as, bd, bo, bs, y, gy, g, o, n));
                Broadcast.sumInto(g, outShape, b.shape, b.gradBuffer());
            }
        }, a, b);
    }

    /** {@code out[i] += s * g[i]}. */
    private static void addScaled(float[] g, float s, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] += s * g[i];
    }

    /** {@code cond != 0 ? a : b} with broadcasting of all three; cond gets no gradient. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] ab = Shape.broadcast(a.shape, b.shape, "where");
        int[] outShape = Shape.broadcast(cond.shape, ab, "where");
        float[] c = Broadcast.expand(cond.data, cond.shape, outShape);
        float[] ae = Broadcast.expand(a.data, a.shape, outShape);
        float[] be = Broadcast.expand(b.data, b.shape, outShape);
        float[] y = new float[c.length];
        for (int i = 0; i < y.length; i++) y[i] = c[i] != 0 ? ae[i] : be[i];
        return Tensor.fromOp("where", y, outShape, gy -> {
            float[] g = StepArrays.take(y.length, true);
            if (a.requiresGrad()) {
                for (int i = 0; i < g.length; i++) g[i] = c[i] != 0 ? gy[i] : 0f;
                Broadcast.sumInto(g, outShape, a.shape, a.gradBuffer());
            }
            if (b.requiresGrad()) {
                for (int i = 0; i < g.length; i++) g[i] = c[i] != 0 ? 0f : gy[i];
                Broadcast.sumInto(g, outShape, b.shape, b.gradBuffer());
            }
        }, a, b);
    }
}
