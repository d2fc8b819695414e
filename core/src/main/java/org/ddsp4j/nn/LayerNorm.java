package org.ddsp4j.nn;

import java.util.Arrays;
import org.ddsp4j.kernel.LayerNormKernel;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Tensor;

/**
 * Layer normalization over the last axis with learnable scale and shift:
 * {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, biased variance, {@code x [..., d]}.
 * {@code gamma [d]} starts at ones and {@code beta [d]} at zeros. The default eps is 1e-3, the
 * Keras {@code LayerNormalization} default used by magenta/ddsp (PyTorch uses 1e-5).
 *
 * <p>Forward and backward are one fused op over flat rows; forward saves only the per-row mean and
 * reciprocal standard deviation.
 */
public final class LayerNorm extends Module {
    /** magenta/ddsp's (Keras') default. */
    public static final float DEFAULT_EPS = 1e-3f;
    private static final int ROWS_PER_TASK = 256;

    private final int features;
    private final float eps;
    private final Tensor gamma, beta;

    public LayerNorm(int features) {
        this(features, DEFAULT_EPS);
    }

    public LayerNorm(int features, float eps) {
        if (features < 1) throw new IllegalArgumentException("LayerNorm features must be >= 1, got " + features);
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm eps must be > 0, got " + eps);
        this.features = features;
        this.eps = eps;
        gamma = addParameter("gamma", Tensor.ones(features));
        beta = addParameter("beta", Tensor.zeros(features));
    }

    public Tensor gamma() {
        return gamma;
    }

    public Tensor beta() {
        return beta;
    }

    /**
     * The per-frame form of {@link #forwardLeakyRelu} on one row {@code x[0 .. features)}, in place
     * (slope 1: plain LayerNorm). The same kernel as the tensor form.
     *
     * @param mean  {@code [1]} scratch for the row's mean
     * @param rstd  {@code [1]} scratch for the row's 1/std
     * @param lanes scratch of {@code FloatVector.SPECIES_PREFERRED.length()} floats
     */
    public void forwardRow(float[] x, float slope, float[] mean, float[] rstd, float[] lanes) {
        org.ddsp4j.kernel.LayerNormKernel.forward(x, features, 0, 1, eps, gamma.data(), beta.data(), slope, x, mean, rstd, lanes);
    }

    /** {@code x [..., features] -> [..., features]}. */
    public Tensor forward(Tensor x) {
        return layerNorm(x, gamma, beta, eps);
    }

    /**
     * {@code leakyRelu(layerNorm(x), slope)} as one fused op (what {@link FcStack} applies after
     * each Dense): no intermediate tensor; each row is normalized, scaled and activated while in cache.
     */
    public Tensor forwardLeakyRelu(Tensor x, float slope) {
        return layerNorm(x, gamma, beta, eps, slope);
    }

    /**
     * Fused layer norm over the last axis; {@code gamma}/{@code beta} are {@code [d]} or null.
     * Backward per row, with {@code xh} the normalized input and {@code g = dy * gamma}:
     * {@code dx = rstd * (g - mean(g) - xh * mean(g * xh))}, {@code dgamma += dy * xh}, {@code dbeta += dy}.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return layerNorm(x, gamma, beta, eps, 1f);
    }

    /**
     * Fused layer norm over the last axis followed by a leaky ReLU of slope {@code slope}
     * ({@code z > 0 ? z : slope * z} of the normalized, scaled and shifted {@code z}); slope 1 is
     * the plain layer norm. Saved for backward: the per-row mean and reciprocal standard
     * deviation; the activation's derivative is recomputed from {@code z}. Rows are split over
     * {@link Parallel} threads (gamma/beta gradients summed per fixed chunk of rows, then in chunk
     * order, so the thread count does not change them); the row loops are {@link LayerNormKernel}'s.
     *
     * @param x     {@code [..., d]}
     * @param gamma {@code [d]} scale, or null (ones)
     * @param beta  {@code [d]} shift, or null (zeros)
     * @param eps   added to the variance, {@code > 0}
     * @param slope leaky-ReLU slope for negative inputs (1: no activation)
     * @return {@code [..., d]}
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, float slope) {
        if (x.rank() < 1) throw new IllegalArgumentException("layerNorm needs rank >= 1, got a scalar");
        if (!Float.isFinite(slope)) throw new IllegalArgumentException("layerNorm: leaky ReLU slope must be finite, got " + slope);
        int d = x.dim(-1);
        for (Tensor p : new Tensor[] {gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.dim(0) != d)) {
                throw new IllegalArgumentException("layerNorm: gamma/beta must be [" + d + "], got " + Arrays.toString(p.shape()));
            }
        }
        int rows = d == 0 ? 0 : x.size() / d;
        float[] xd = x.data(), y = org.ddsp4j.tensor.StepArrays.take(x.size(), false);   // written whole by the kernel
        float[] mean = new float[rows], rstd = new float[rows];
        float[] gd = gamma == null ? ones(d) : gamma.data(), bd = beta == null ? new float[d] : beta.data();
        Parallel.forRange(rows, Math.max(1, ROWS_PER_TASK * 64 / Math.max(1, d)),
                (from, to) -> LayerNormKernel.forward(xd, d, from, to, eps, gd, bd, slope, y, mean, rstd));
        return Tensor.fromOp(slope == 1f ? "layerNorm" : "layerNorm_leakyRelu", y, x.shape(), gy -> {
            boolean needX = x.requiresGrad();
            boolean needG = gamma != null && gamma.requiresGrad(), needB = beta != null && beta.requiresGrad();
            float[] gx = needX ? x.gradBuffer() : null;
            float[] dGamma = needG ? gamma.gradBuffer() : null, dBeta = needB ? beta.gradBuffer() : null;
            // Per-chunk partial sums for gamma/beta over fixed runs of rows, added in chunk order:
            // no races, no per-row allocation, and the same bits on any number of threads.
            int chunk = Math.max(1, ROWS_PER_TASK * 64 / Math.max(1, d)), count = Parallel.chunkCount(rows, chunk);
            float[][] pg = new float[count][], pb = new float[count][];
            Parallel.forChunks(rows, chunk, (c, from, to) -> {
                if (needG) pg[c] = new float[d];
                if (needB) pb[c] = new float[d];
                LayerNormKernel.backward(xd, gy, d, from, to, mean, rstd, gd, bd, slope, gx, pg[c], pb[c]);
            });
            for (int c = 0; c < count; c++) {
                if (needG) for (int j = 0; j < d; j++) dGamma[j] += pg[c][j];
                if (needB) for (int j = 0; j < d; j++) dBeta[j] += pb[c][j];
            }
        }, x, gamma, beta);
    }

    private static float[] ones(int d) {
        float[] o = new float[d];
        Arrays.fill(o, 1f);
        return o;
    }
}
