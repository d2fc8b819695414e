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

    /**
     * The per-frame form of {@link #forward} on flat arrays (streaming): {@code y[yOff ..+out) =
     * x[xOff ..+in) W + b}. Reads the live weights; allocates nothing.
     */
    public void forwardRow(float[] x, int xOff, float[] y, int yOff) {
        org.ddsp4j.kernel.MatVec.affine(x, xOff, inFeatures, w.data(), b.data(), y, yOff, outFeatures);
    }

    /** {@code x [..., in] -> [..., out]}. */
    public Tensor forward(Tensor x) {
        return linear(x, w, b);
    }

    /**
     * The layer applied to the concatenation of {@code parts} along the last axis, without
     * materializing it: {@code parts[i] [..., in_i]} with {@code sum in_i = in} (see
     * {@link #linear(Tensor[], Tensor, Tensor)}).
     */
    public Tensor forwardConcat(Tensor... parts) {
        return linear(parts, w, b);
    }

    /**
     * Fused {@code x [..., k] @ w [k, n] + b [n]} (b may be null). One GEMM forward; backward is
     * {@code dx = dy w^T}, {@code dw = x^T dy}, {@code db = sum over rows of dy}.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(new Tensor[] {x}, w, b);
    }

    /**
     * {@code concat(parts, -1) @ w + b} without the concatenation: part {@code i} ({@code [..., k_i]},
     * all with the same leading shape) multiplies the row block {@code w[o_i : o_i + k_i]} with
     * {@code o_i = k_0 + ... + k_(i-1)}, and the products accumulate into one output (one GEMM per
     * part, the bias copied in first). Backward per part: {@code dx_i = dy w[o_i : o_i + k_i]^T},
     * {@code dw[o_i : o_i + k_i] += x_i^T dy}; {@code db} = column sums of {@code dy}.
     *
     * @param parts {@code [..., k_i]}, {@code sum k_i = k}
     * @param w     {@code [k, n]}
     * @param b     {@code [n]} or null
     * @return {@code [..., n]}
     */
    public static Tensor linear(Tensor[] parts, Tensor w, Tensor b) {
        if (w.rank() != 2) throw new IllegalArgumentException("linear: weight must be [in, out], got " + java.util.Arrays.toString(w.shape()));
        int k = w.dim(0), n = w.dim(1);
        if (parts.length == 0) throw new IllegalArgumentException("linear: no input");
        int[] lead = parts[0].shape();
        if (lead.length < 1) throw new IllegalArgumentException("linear: input must have rank >= 1, got a scalar");
        lead = java.util.Arrays.copyOf(lead, lead.length - 1);
        int[] widths = new int[parts.length];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            int[] s = parts[i].shape();
            if (s.length != lead.length + 1 || !java.util.Arrays.equals(java.util.Arrays.copyOf(s, lead.length), lead)) {
                throw new IllegalArgumentException("linear: input parts must share their leading shape, got "
                        + java.util.Arrays.toString(parts[0].shape()) + " and " + java.util.Arrays.toString(s));
            }
            widths[i] = s[s.length - 1];
            total += widths[i];
        }
        if (total != k) {
            throw new IllegalArgumentException("linear: input " + (parts.length == 1 ? java.util.Arrays.toString(parts[0].shape())
                    : "parts of widths " + java.util.Arrays.toString(widths)) + " must end in " + k
                    + " (the weight is [" + k + ", " + n + "])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != n)) {
            throw new IllegalArgumentException("linear: bias must be [" + n + "], got " + java.util.Arrays.toString(b.shape()));
        }
        int leadCount = 1;
        for (int d : lead) leadCount *= d;
        final int rows = leadCount;
        int[] outShape = java.util.Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = n;
        float[] y = org.ddsp4j.tensor.StepArrays.take(rows * n, b == null);
        float[] wd = w.data();
        if (b != null) {
            float[] bd = b.data();
            for (int r = 0; r < rows; r++) System.arraycopy(bd, 0, y, r * n, n);
        }
        int[] offs = new int[parts.length];
        for (int i = 0, o = 0; i < parts.length; i++) {
            offs[i] = o;
            o += widths[i];
            float beta = b != null || i > 0 ? 1f : 0f;
            if (rows > 0) Gemm.sgemm(false, false, rows, n, widths[i], 1f, parts[i].data(), 0, widths[i], wd, offs[i] * n, n, beta, y, 0, n);
        }
        Tensor[] inputs = java.util.Arrays.copyOf(parts, parts.length + 2);
        inputs[parts.length] = w;
        inputs[parts.length + 1] = b;
        return Tensor.fromOp("linear", y, outShape, gy -> {
            if (rows == 0) return;
            for (int i = 0; i < parts.length; i++) {
                Tensor x = parts[i];
                int ki = widths[i], off = offs[i] * n;
                if (x.requiresGrad()) Gemm.sgemm(false, true, rows, ki, n, 1f, gy, 0, n, wd, off, n, 1f, x.gradBuffer(), 0, ki);
                if (w.requiresGrad()) Gemm.sgemm(true, false, ki, n, rows, 1f, x.data(), 0, ki, gy, 0, n, 1f, w.gradBuffer(), off, n);
            }
            if (b != null && b.requiresGrad()) columnSums(gy, rows, n, b.gradBuffer());
        }, inputs);
    }

    /**
     * {@code out[j] += sum over r of a[r * cols + j]}: per-chunk sums over fixed runs of rows (in
     * parallel), added into {@code out} in chunk order, so the result does not depend on the threads.
     */
    static void columnSums(float[] a, int rows, int cols, float[] out) {
        int chunk = Math.max(1, (1 << 16) / Math.max(1, cols));
        int count = org.ddsp4j.kernel.Parallel.chunkCount(rows, chunk);
        float[] partial = new float[count * cols];
        org.ddsp4j.kernel.Parallel.forChunks(rows, chunk, (c, from, to) -> {
            int p = c * cols;
            for (int r = from; r < to; r++) {
                int o = r * cols;
                for (int j = 0; j < cols; j++) partial[p + j] += a[o + j];
            }
        });
        for (int c = 0; c < count; c++) {
            for (int j = 0; j < cols; j++) out[j] += partial[c * cols + j];
        }
    }
}
