package org.ddsp4j.nn;

import java.util.SplittableRandom;
import org.ddsp4j.kernel.Gemm;
import org.ddsp4j.tensor.Tensor;

/**
 * Fully connected layer {@code y = x W + b}: {@code x [..., in] -> y [..., out]}, with
 * {@code w [in, out]} and {@code b [out]}. Initialized like Keras' Dense (Glorot-uniform weights,
 * zero bias). The product and the bias add run as one fused op on the GEMM kernel.
 */
public final class Dense extends Module {
    private final int inFeatures, outFeatures;
    private final Tensor w, b;

    public Dense(int inFeatures, int outFeatures, SplittableRandom rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Dense sizes must be >= 1, got in " + inFeatures + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float limit = (float) Math.sqrt(6.0 / (inFeatures + outFeatures));
        w = addParameter("w", Tensor.uniform(rng, -limit, limit, inFeatures, outFeatures));
        b = addParameter("b", Tensor.zeros(outFeatures));
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public Tensor weight() {
        return w;
    }

    public Tensor bias() {
        return b;
    }

    /** {@code x [..., in] -> [..., out]}. */
    public Tensor forward(Tensor x) {
        return linear(x, w, b);
    }

    /**
     * Fused {@code x [..., k] @ w [k, n] + b [n]} (b may be null). One GEMM forward; backward is
     * {@code dx = dy w^T}, {@code dw = x^T dy}, {@code db = sum over rows of dy}.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2) throw new IllegalArgumentException("linear: weight must be [in, out], got " + java.util.Arrays.toString(w.shape()));
        int k = w.dim(0), n = w.dim(1);
        if (x.rank() < 1 || x.dim(-1) != k) {
            throw new IllegalArgumentException("linear: input " + java.util.Arrays.toString(x.shape()) + " must end in " + k
                    + " (the weight is [" + k + ", " + n + "])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != n)) {
            throw new IllegalArgumentException("linear: bias must be [" + n + "], got " + java.util.Arrays.toString(b.shape()));
        }
        int rows = x.size() / k;
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = n;
        float[] y = new float[rows * n];
        float[] xd = x.data(), wd = w.data();
        if (b != null) {
            float[] bd = b.data();
            for (int r = 0; r < rows; r++) System.arraycopy(bd, 0, y, r * n, n);
        }
        if (rows > 0) Gemm.sgemm(false, false, rows, n, k, 1f, xd, 0, k, wd, 0, n, b != null ? 1f : 0f, y, 0, n);
        return Tensor.fromOp("linear", y, outShape, gy -> {
            if (rows == 0) return;
            if (x.requiresGrad()) Gemm.sgemm(false, true, rows, k, n, 1f, gy, 0, n, wd, 0, n, 1f, x.gradBuffer(), 0, k);
            if (w.requiresGrad()) Gemm.sgemm(true, false, k, n, rows, 1f, xd, 0, k, gy, 0, n, 1f, w.gradBuffer(), 0, n);
            if (b != null && b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    for (int j = 0; j < n; j++) gb[j] += gy[o + j];
                }
            }
        }, x, w, b);
    }
}
