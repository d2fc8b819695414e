package org.ddsp4j.tensor;

/**
 * Composite ops built only from primitives, so their backward comes for free (and is checked by
 * the same gradient tests as the primitives).
 */
public final class Functional {
    private Functional() {}

    /** softmax along {@code axis}; the max is subtracted (as a constant) for stability. */
    public static Tensor softmax(Tensor x, int axis) {
        Tensor shifted = x.sub(x.max(axis, true).detach());
        Tensor e = shifted.exp();
        return e.div(e.sum(axis, true));
    }

    /** log(softmax(x)) along {@code axis}, computed as x - max - log(sum(exp(x - max))). */
    public static Tensor logSoftmax(Tensor x, int axis) {
        Tensor shifted = x.sub(x.max(axis, true).detach());
        return shifted.sub(shifted.exp().sum(axis, true).log());
    }

    /**
     * Layer normalization over the last axis: {@code (x - mean) / sqrt(var + eps) * gamma + beta},
     * with the biased variance. {@code gamma} and {@code beta} have the last dimension's size (or are null).
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        Tensor xc = x.sub(x.mean(-1, true));
        Tensor var = xc.square().mean(-1, true);
        Tensor y = xc.div(var.add(eps).sqrt());
        if (gamma != null) y = y.mul(gamma);
        if (beta != null) y = y.add(beta);
        return y;
    }

    /** Mean of squared differences (rank-0). Shapes must be equal. */
    public static Tensor mse(Tensor a, Tensor b) {
        Shape.requireSame(a.shape, b.shape, "mse");
        return a.sub(b).square().mean();
    }

    /** Mean of absolute differences (rank-0). Shapes must be equal. */
    public static Tensor l1(Tensor a, Tensor b) {
        Shape.requireSame(a.shape, b.shape, "l1");
        return a.sub(b).abs().mean();
    }

    /**
     * Magnitude of a complex tensor {@code [..., 2] -> [...]}: {@code sqrt(re^2 + im^2 + eps)}; the
     * eps keeps the gradient finite at zero.
     */
    public static Tensor complexAbs(Tensor z, float eps) {
        int r = z.rank();
        if (r < 1 || z.dim(-1) != 2) throw new IllegalArgumentException("complexAbs needs [..., 2], got " + Shape.str(z.shape));
        return z.square().sum(-1, false).add(eps).sqrt();
    }
}
