package org.ddsp4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;

/**
 * The DDSP "fc stack": {@code layers} times [Dense -> LayerNorm -> leaky ReLU], {@code x [..., in]
 * -> [..., ch]}. Submodules are named {@code 0.dense}, {@code 0.norm}, {@code 1.dense}, ...
 *
 * <p>The leaky-ReLU slope defaults to 0.2, the default of {@code tf.nn.leaky_relu} that
 * magenta/ddsp's {@code FcStack} uses (ddsp_pytorch's {@code nn.LeakyReLU()} uses 0.01).
 */
public final class FcStack extends Module {
    /** magenta/ddsp's slope ({@code tf.nn.leaky_relu} default alpha). */
    public static final float DEFAULT_SLOPE = 0.2f;

    private final List<Dense> dense = new ArrayList<>();
    private final List<LayerNorm> norms = new ArrayList<>();
    private final float slope;

    /** magenta/ddsp defaults: slope 0.2, LayerNorm eps 1e-3. */
    public FcStack(int in, int ch, int layers, SplittableRandom rng) {
        this(in, ch, layers, DEFAULT_SLOPE, LayerNorm.DEFAULT_EPS, rng);
    }

    public FcStack(int in, int ch, int layers, float slope, float eps, SplittableRandom rng) {
        if (layers < 1) throw new IllegalArgumentException("FcStack needs >= 1 layer, got " + layers);
        this.slope = slope;
        for (int i = 0; i < layers; i++) {
            Layer l = addModule(String.valueOf(i), new Layer(i == 0 ? in : ch, ch, eps, rng));
            dense.add(l.dense);
            norms.add(l.norm);
        }
    }

    /** One Dense + LayerNorm pair, so names read {@code 0.dense.w}, {@code 0.norm.gamma}. */
    private static final class Layer extends Module {
        final Dense dense;
        final LayerNorm norm;

        Layer(int in, int out, float eps, SplittableRandom rng) {
            dense = addModule("dense", new Dense(in, out, rng));
            norm = addModule("norm", new LayerNorm(out, eps));
        }
    }

    /** Output channels. */
    public int channels() {
        return dense.get(dense.size() - 1).outFeatures();
    }

    /** Widest layer (input or output), the scratch size {@link #forwardRow} needs. */
    public int widest() {
        int m = dense.get(0).inFeatures();
        for (Dense d : dense) m = Math.max(m, d.outFeatures());
        return m;
    }

    /**
     * The per-frame form of {@link #forward} on flat arrays: {@code x[0 .. in)} in, the result in
     * {@code y[yOff .. yOff + ch)}. The same kernels as the tensor form; allocates nothing.
     *
     * @param a, b  scratch rows of at least {@link #widest()} floats (not x, not y)
     * @param mean, rstd {@code [1]} scratch; lanes: one vector's lanes
     */
    public void forwardRow(float[] x, float[] y, int yOff, float[] a, float[] b, float[] mean, float[] rstd, float[] lanes) {
        float[] cur = x;
        for (int i = 0; i < dense.size(); i++) {
            float[] next = (i & 1) == 0 ? a : b;
            dense.get(i).forwardRow(cur, 0, next, 0);
            norms.get(i).forwardRow(next, slope, mean, rstd, lanes);
            cur = next;
        }
        System.arraycopy(cur, 0, y, yOff, channels());
    }

    /** {@code x [..., in] -> [..., ch]}; LayerNorm and leaky ReLU run as one fused op. */
    public Tensor forward(Tensor x) {
        return forwardConcat(x);
    }

    /**
     * The stack applied to the concatenation of {@code parts} along the last axis
     * ({@code [..., in_i]}, {@code sum in_i = in}), without materializing it: the first Dense
     * multiplies each part by its block of weight rows ({@link Dense#linear(Tensor[], Tensor, Tensor)}).
     */
    public Tensor forwardConcat(Tensor... parts) {
        Tensor x = norms.get(0).forwardLeakyRelu(dense.get(0).forwardConcat(parts), slope);
        for (int i = 1; i < dense.size(); i++) x = norms.get(i).forwardLeakyRelu(dense.get(i).forward(x), slope);
        return x;
    }
}
