package org.ddsp4j.nn;

import java.util.Arrays;
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

    /** {@code x [..., features] -> [..., features]}. */
    public Tensor forward(Tensor x) {
        return layerNorm(x, gamma, beta, eps);
    }

    /**
     * Fused layer norm over the last axis; {@code gamma}/{@code beta} are {@code [d]} or null.
     * Backward per row, with {@code xh} the normalized input and {@code g = dy * gamma}:
     * {@code dx = rstd * (g - mean(g) - xh * mean(g * xh))}, {@code dgamma += dy * xh}, {@code dbeta += dy}.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        if (x.rank() < 1) throw new IllegalArgumentException("layerNorm needs rank >= 1, got a scalar");
        int d = x.dim(-1);
        for (Tensor p : new Tensor[] {gamma, beta}) {
            if (p != null && (p.rank() != 1 || p.dim(0) != d)) {
                throw new IllegalArgumentException("layerNorm: gamma/beta must be [" + d + "], got " + Arrays.toString(p.shape()));
            }
        }
        int rows = d == 0 ? 0 : x.size() / d;
        float[] xd = x.data(), y = new float[x.size()];
        float[] mean = new float[rows], rstd = new float[rows];
        float[] gd = gamma == null ? null : gamma.data(), bd = beta == null ? null : beta.data();
        Parallel.forRange(rows, Math.max(1, ROWS_PER_TASK * 64 / Math.max(1, d)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) s += xd[o + j];
                float m = (float) (s / d);
                double v = 0;
                for (int j = 0; j < d; j++) {
                    float c = xd[o + j] - m;
                    v += c * c;
                }
                float rs = (float) (1.0 / Math.sqrt(v / d + eps));
                mean[r] = m;
                rstd[r] = rs;
                for (int j = 0; j < d; j++) {
                    float h = (xd[o + j] - m) * rs;
                    y[o + j] = (gd == null ? h : h * gd[j]) + (bd == null ? 0f : bd[j]);
                }
            }
        });
        return Tensor.fromOp("layerNorm", y, x.shape(), gy -> backward(x, gamma, beta, gy, mean, rstd, rows, d), x, gamma, beta);
    }

    private static void backward(Tensor x, Tensor gamma, Tensor beta, float[] gy, float[] mean, float[] rstd, int rows, int d) {
        float[] xd = x.data(), gd = gamma == null ? null : gamma.data();
        boolean needX = x.requiresGrad();
        boolean needG = gamma != null && gamma.requiresGrad(), needB = beta != null && beta.requiresGrad();
        float[] gx = needX ? x.gradBuffer() : null;
        float[] dGamma = needG ? gamma.gradBuffer() : null, dBeta = needB ? beta.gradBuffer() : null;
        Object lock = new Object();
        Parallel.forRange(rows, Math.max(1, ROWS_PER_TASK * 64 / Math.max(1, d)), (from, to) -> {
            // Per-chunk partial sums for gamma/beta, merged under a lock: no races, no per-row allocation.
            float[] pg = needG ? new float[d] : null, pb = needB ? new float[d] : null;
            for (int r = from; r < to; r++) {
                int o = r * d;
                float m = mean[r], rs = rstd[r];
                if (needX) {
                    double sg = 0, sgx = 0;
                    for (int j = 0; j < d; j++) {
                        float g = gd == null ? gy[o + j] : gy[o + j] * gd[j];
                        float h = (xd[o + j] - m) * rs;
                        sg += g;
                        sgx += g * h;
                    }
                    float mg = (float) (sg / d), mgx = (float) (sgx / d);
                    for (int j = 0; j < d; j++) {
                        float g = gd == null ? gy[o + j] : gy[o + j] * gd[j];
                        float h = (xd[o + j] - m) * rs;
                        gx[o + j] += rs * (g - mg - h * mgx);
                    }
                }
                if (needG) for (int j = 0; j < d; j++) pg[j] += gy[o + j] * (xd[o + j] - m) * rs;
                if (needB) for (int j = 0; j < d; j++) pb[j] += gy[o + j];
            }
            if (needG || needB) {
                synchronized (lock) {
                    if (needG) for (int j = 0; j < d; j++) dGamma[j] += pg[j];
                    if (needB) for (int j = 0; j < d; j++) dBeta[j] += pb[j];
                }
            }
        });
    }
}
