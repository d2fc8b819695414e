package org.ddsp4j.tensor;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Compares an op's backward with central finite differences.
 *
 * <p>The function's output is reduced to a scalar with fixed random weights
 * {@code L = sum_i w_i y_i}, accumulated in double. The analytic gradient is backward(w); the
 * numeric one is {@code (L(x + h e_j) - L(x - h e_j)) / 2h}, with every difference taken in double.
 * The forward itself runs in float32, so the step {@code h} (relative to |x|) trades truncation
 * error against float rounding; defaults suit O(1) inputs. Every input element is perturbed, so
 * keep sizes small.
 */
public final class GradCheck {
    /** Outcome: the worst element and whether all were within tolerance. */
    public record Result(boolean ok, double maxAbsError, double maxRelError, String worst) {}

    private double step = 1e-3;
    private double absTol = 2e-3;
    private double relTol = 2e-2;
    private long seed = 42;

    public GradCheck step(double h) {
        step = h;
        return this;
    }

    public GradCheck tolerance(double abs, double rel) {
        absTol = abs;
        relTol = rel;
        return this;
    }

    public GradCheck seed(long s) {
        seed = s;
        return this;
    }

    /**
     * Checks d(f(inputs))/d(input) for every input that {@link Tensor#requiresGrad()}. Inputs must
     * be leaves. An element passes when {@code |a - n| <= absTol + relTol * max(|a|, |n|)}.
     */
    public Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (!t.isLeaf()) throw new IllegalArgumentException("gradient check inputs must be leaves");
            t.zeroGrad();
        }
        Tensor y = f.apply(inputs);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[y.size()];
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextDouble() * 2 - 1);
        y.backward(Tensor.of(w.clone(), y.shape()));

        double maxAbs = 0, maxRel = 0;
        boolean ok = true;
        String worst = "none";
        double worstScore = -1;
        try (GradMode g = GradMode.off()) {
            for (int k = 0; k < inputs.length; k++) {
                Tensor x = inputs[k];
                if (!x.requiresGrad()) continue;
                float[] analytic = x.grad() == null ? new float[x.size()] : x.grad().clone();
                for (int j = 0; j < x.size(); j++) {
                    float orig = x.data[j];
                    double h = step * Math.max(1.0, Math.abs(orig));
                    float plus = (float) (orig + h), minus = (float) (orig - h);
                    x.data[j] = plus;
                    double lp = weighted(f.apply(inputs), w);
                    x.data[j] = minus;
                    double lm = weighted(f.apply(inputs), w);
                    x.data[j] = orig;
                    double numeric = (lp - lm) / ((double) plus - (double) minus);
                    double a = analytic[j];
                    double err = Math.abs(a - numeric);
                    double scale = Math.max(Math.abs(a), Math.abs(numeric));
                    double rel = scale > 0 ? err / scale : 0;
                    maxAbs = Math.max(maxAbs, err);
                    if (err > absTol) maxRel = Math.max(maxRel, rel);
                    boolean pass = err <= absTol + relTol * scale;
                    double score = err / (absTol + relTol * scale);
                    if (score > worstScore) {
                        worstScore = score;
                        worst = "input " + k + " element " + j + ": analytic " + a + " numeric " + numeric;
                    }
                    ok &= pass;
                }
            }
        }
        return new Result(ok, maxAbs, maxRel, worst);
    }

    private static double weighted(Tensor y, float[] w) {
        double s = 0;
        float[] d = y.data;
        for (int i = 0; i < d.length; i++) s += (double) w[i] * d[i];
        return s;
    }
}
