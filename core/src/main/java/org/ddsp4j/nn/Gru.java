package org.ddsp4j.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddsp4j.kernel.Gemm;
import org.ddsp4j.kernel.GruGates;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * Gated recurrent unit, batch first: {@code x [B, T, in] -> outputs [B, T, H]} plus the final state
 * {@code [B, H]}. The equations are PyTorch's / cuDNN's (also Keras' {@code reset_after=True}),
 * gate order r, z, n:
 * <pre>
 *   r = sigmoid(x W_ir + b_ir + h W_hr + b_hr)
 *   z = sigmoid(x W_iz + b_iz + h W_hz + b_hz)
 *   n = tanh(x W_in + b_in + r * (h W_hn + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * Parameters: {@code w_ih [in, 3H]}, {@code w_hh [H, 3H]}, {@code b_ih [3H]}, {@code b_hh [3H]}
 * (columns {@code [r | z | n]}; PyTorch's {@code weight_ih_l0} is the transpose), all initialized
 * uniform in {@code ±1/sqrt(H)} like PyTorch.
 *
 * <p>The whole sequence is one fused op: the input projections of all steps are one GEMM, each step
 * is one {@code [B, H] x [H, 3H]} GEMM plus {@link GruGates}; backward (through time) runs the steps
 * in reverse with one GEMM each and builds the weight gradients with large GEMMs at the end. Saved
 * for backward: the outputs, {@code [r | z | n]} and {@code h W_hn + b_hn} of every step.
 */
public final class Gru extends Module {
    /** Outputs of a sequence: every step's state {@code [B, T, H]} and the last one {@code [B, H]}. */
    public record Output(Tensor outputs, Tensor finalState) {}

    private final int inputSize, hiddenSize;
    private final Tensor wIh, wHh, bIh, bHh;

    public Gru(int inputSize, int hiddenSize, SplittableRandom rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("Gru sizes must be >= 1, got input " + inputSize + ", hidden " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        float k = (float) (1.0 / Math.sqrt(hiddenSize));
        wIh = addParameter("w_ih", Tensor.uniform(rng, -k, k, inputSize, 3 * hiddenSize));
        wHh = addParameter("w_hh", Tensor.uniform(rng, -k, k, hiddenSize, 3 * hiddenSize));
        bIh = addParameter("b_ih", Tensor.uniform(rng, -k, k, 3 * hiddenSize));
        bHh = addParameter("b_hh", Tensor.uniform(rng, -k, k, 3 * hiddenSize));
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** Runs the sequence {@code x [B, T, in]} from {@code h0 [B, H]} (null: zeros). */
    public Output forward(Tensor x, Tensor h0) {
        Tensor y = sequence(x, h0, wIh, wHh, bIh, bHh);
        int b = y.dim(0), t = y.dim(1);
        return new Output(y, y.slice(1, t - 1, t).reshape(b, hiddenSize));
    }

    /** {@link #forward(Tensor, Tensor)} from a zero state. */
    public Output forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * Runs the sequence whose input is the concatenation of {@code parts} along the last axis
     * ({@code [B, T, in_i]}, {@code sum in_i = in}) from a zero state, without materializing the
     * concatenation: each part multiplies its own block of {@code w_ih} rows.
     */
    public Output forwardConcat(Tensor... parts) {
        Tensor y = sequence(parts, null, wIh, wHh, bIh, bHh);
        int b = y.dim(0), t = y.dim(1);
        return new Output(y, y.slice(1, t - 1, t).reshape(b, hiddenSize));
    }

    /**
     * The per-frame form of the sequence op on flat arrays: {@code h[0 .. H)} becomes the state after
     * input {@code x[0 .. in)}. The same gate kernel as the sequence form; allocates nothing.
     *
     * @param gx, gh scratch of {@code 3 H} floats
     */
    public void stepRow(float[] x, float[] h, float[] gx, float[] gh) {
        org.ddsp4j.kernel.MatVec.affine(x, 0, inputSize, wIh.data(), bIh.data(), gx, 0, 3 * hiddenSize);
        org.ddsp4j.kernel.MatVec.affine(h, 0, hiddenSize, wHh.data(), bHh.data(), gh, 0, 3 * hiddenSize);
        org.ddsp4j.kernel.GruGates.forwardRow(hiddenSize, gx, 0, gh, 0, h, 0, h, 0, null, 0);
    }

    /**
     * One step with explicit state, for streaming: {@code xt [B, in]}, {@code h [B, H]} (null:
     * zeros) {@code -> h' [B, H]}. Runs the same kernel as the sequence form, so feeding a sequence
     * step by step gives the sequence's outputs.
     */
    public Tensor step(Tensor xt, Tensor h) {
        if (xt.rank() != 2) throw new IllegalArgumentException("Gru.step: xt must be [B, " + inputSize + "], got " + Arrays.toString(xt.shape()));
        int b = xt.dim(0);
        return sequence(xt.reshape(b, 1, xt.dim(1)), h, wIh, wHh, bIh, bHh).reshape(b, hiddenSize);
    }

    /**
     * The fused GRU over a sequence; see the class doc. {@code x [B, T, in]}, {@code h0 [B, H]} or
     * null, {@code wIh [in, 3H]}, {@code wHh [H, 3H]}, {@code bIh}, {@code bHh [3H]} -> {@code [B, T, H]}.
     */
    public static Tensor sequence(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return sequence(new Tensor[] {x}, h0, wIh, wHh, bIh, bHh);
    }

    /**
     * {@link #sequence(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} on the concatenation of
     * {@code parts} ({@code [B, T, in_i]}) along the last axis, which is never materialized: part
     * {@code i} multiplies rows {@code [o_i, o_i + in_i)} of {@code w_ih} in the input projection, and
     * its gradient comes from the same block.
     */
    public static Tensor sequence(Tensor[] parts, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        if (wHh.rank() != 2 || wHh.dim(1) != 3 * wHh.dim(0)) {
            throw new IllegalArgumentException("w_hh must be [H, 3H], got " + Arrays.toString(wHh.shape()));
        }
        final int H = wHh.dim(0), G = 3 * H;
        if (parts.length == 0) throw new IllegalArgumentException("GRU input: no tensors");
        Tensor x = parts[0];
        if (x.rank() != 3) throw new IllegalArgumentException("GRU input must be [B, T, in], got " + Arrays.toString(x.shape()));
        final int B = x.dim(0), T = x.dim(1);
        final int[] widths = new int[parts.length], rowOffs = new int[parts.length];
        int iTotal = 0;
        for (int p = 0; p < parts.length; p++) {
            Tensor xp = parts[p];
            if (xp.rank() != 3 || xp.dim(0) != B || xp.dim(1) != T) {
                throw new IllegalArgumentException("GRU input parts must all be [" + B + ", " + T + ", in_i], got "
                        + Arrays.toString(x.shape()) + " and " + Arrays.toString(xp.shape()));
            }
            widths[p] = xp.dim(2);
            rowOffs[p] = iTotal;
            iTotal += widths[p];
        }
        final int I = iTotal;
        if (T < 1 || B < 1) throw new IllegalArgumentException("GRU input needs B >= 1 and T >= 1, got " + Arrays.toString(x.shape()));
        if (wIh.rank() != 2 || wIh.dim(0) != I || wIh.dim(1) != G) {
            throw new IllegalArgumentException("w_ih must be [" + I + ", " + G + "] for input " + Arrays.toString(x.shape())
                    + (parts.length > 1 ? " (parts of widths " + Arrays.toString(widths) + ")" : "")
                    + ", got " + Arrays.toString(wIh.shape()));
        }
        for (Tensor bias : new Tensor[] {bIh, bHh}) {
            if (bias.rank() != 1 || bias.dim(0) != G) throw new IllegalArgumentException("GRU biases must be [" + G + "], got " + Arrays.toString(bias.shape()));
        }
        if (h0 != null && (h0.rank() != 2 || h0.dim(0) != B || h0.dim(1) != H)) {
            throw new IllegalArgumentException("initial state must be [" + B + ", " + H + "], got " + Arrays.toString(h0.shape()));
        }
        if ((long) B * T * G > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("GRU sequence too large for one array: B*T*3H = " + ((long) B * T * G)
                    + " (B " + B + ", T " + T + ", H " + H + "); split the sequence and carry the state");
        }
        boolean anyPartGrad = false;
        for (Tensor xp : parts) anyPartGrad |= xp.requiresGrad();
        boolean training = GradMode.enabled() && (anyPartGrad || (h0 != null && h0.requiresGrad())
                || wIh.requiresGrad() || wHh.requiresGrad() || bIh.requiresGrad() || bHh.requiresGrad());
        float[] wih = wIh.data(), whh = wHh.data(), bih = bIh.data(), bhh = bHh.data();
        float[] h0d = h0 == null ? new float[B * H] : h0.data();
        int rows = B * T;
        // Input projections for every (b, t) at once: gates[b, t, :] = x[b, t, :] W_ih + b_ih.
        float[] gates = org.ddsp4j.tensor.StepArrays.take(rows * G, false);   // every row starts as the bias
        for (int r = 0; r < rows; r++) System.arraycopy(bih, 0, gates, r * G, G);
        for (int p = 0; p < parts.length; p++) {
            Gemm.sgemm(false, false, rows, G, widths[p], 1f, parts[p].data(), 0, widths[p], wih, rowOffs[p] * G, G, 1f, gates, 0, G);
        }
        float[] y = org.ddsp4j.tensor.StepArrays.take(rows * H, true);
        float[] ghn = training ? org.ddsp4j.tensor.StepArrays.take(rows * H, true) : null;
        float[] gh = new float[B * G];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) System.arraycopy(bhh, 0, gh, b * G, G);
            // hPrev rows are h0 (stride H) or the previous outputs inside y (stride T*H): no copies.
            float[] hp = t == 0 ? h0d : y;
            int hpOff = t == 0 ? 0 : (t - 1) * H, hpLd = t == 0 ? H : T * H;
            Gemm.sgemm(false, false, B, G, H, 1f, hp, hpOff, hpLd, whh, 0, G, 1f, gh, 0, G);
            for (int b = 0; b < B; b++) {
                int row = b * T + t;
                GruGates.forwardRow(H, gates, row * G, gh, b * G, hp, hpOff + b * hpLd, y, row * H, ghn, row * H);
            }
        }
        if (!training) return Tensor.of(y, B, T, H);
        return Tensor.fromOp("gru", y, new int[] {B, T, H}, dy -> {
            float[] dh = new float[B * H];
            float[] dgh = new float[B * G];
            // W_hh^T [3H, H], once: the per-step GEMM then reads it in place instead of packing a
            // transposed W_hh every step (small m makes packing cost as much as the product).
            float[] whhT = new float[G * H];
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < G; j++) whhT[j * H + i] = whh[i * G + j];
            }
            for (int t = T - 1; t >= 0; t--) {
                float[] hp = t == 0 ? h0d : y;
                int hpOff = t == 0 ? 0 : (t - 1) * H, hpLd = t == 0 ? H : T * H;
                for (int b = 0; b < B; b++) {
                    int row = b * T + t;
                    GruGates.backwardRow(H, dy, row * H, dh, b * H, gates, row * G, ghn, row * H, hp, hpOff + b * hpLd, dgh, b * G);
                }
                // dL/dhPrev = dh * z (already in dh) + dGh W_hh^T.
                Gemm.sgemm(false, false, B, H, G, 1f, dgh, 0, G, whhT, 0, H, 1f, dh, 0, H);
            }
            // Now gates holds dL/dgx [B*T, 3H] and ghn holds the n part of dL/dgh [B*T, H].
            for (int p = 0; p < parts.length; p++) {
                Tensor xp = parts[p];
                int ip = widths[p], wOff = rowOffs[p] * G;
                if (xp.requiresGrad()) Gemm.sgemm(false, true, rows, ip, G, 1f, gates, 0, G, wih, wOff, G, 1f, xp.gradBuffer(), 0, ip);
                if (wIh.requiresGrad()) Gemm.sgemm(true, false, ip, G, rows, 1f, xp.data(), 0, ip, gates, 0, G, 1f, wIh.gradBuffer(), wOff, G);
            }
            if (bIh.requiresGrad()) columnSums(gates, rows, G, 0, G, bIh.gradBuffer(), 0);
            if (bHh.requiresGrad()) {
                float[] gb = bHh.gradBuffer();
                columnSums(gates, rows, 2 * H, 0, G, gb, 0);
                columnSums(ghn, rows, H, 0, H, gb, 2 * H);
            }
            if (wHh.requiresGrad()) {
                float[] gw = wHh.gradBuffer();
                // dW_hh = sum over (b, t) of hPrev^T dGh; hPrev is h0 at t = 0 and y[b, t-1] after.
                if (T > 1) {
                    for (int b = 0; b < B; b++) {
                        int yOff = b * T * H, rowOff = b * T + 1;
                        Gemm.sgemm(true, false, H, 2 * H, T - 1, 1f, y, yOff, H, gates, rowOff * G, G, 1f, gw, 0, G);
                        Gemm.sgemm(true, false, H, H, T - 1, 1f, y, yOff, H, ghn, rowOff * H, H, 1f, gw, 2 * H, G);
                    }
                }
                if (h0 != null) {
                    Gemm.sgemm(true, false, H, 2 * H, B, 1f, h0d, 0, H, gates, 0, T * G, 1f, gw, 0, G);
                    Gemm.sgemm(true, false, H, H, B, 1f, h0d, 0, H, ghn, 0, T * H, 1f, gw, 2 * H, G);
                }
            }
            if (h0 != null && h0.requiresGrad()) {
                float[] g0 = h0.gradBuffer();
                for (int i = 0; i < g0.length; i++) g0[i] += dh[i];
            }
        }, inputs(parts, h0, wIh, wHh, bIh, bHh));
    }

    private static Tensor[] inputs(Tensor[] parts, Tensor... rest) {
        Tensor[] all = Arrays.copyOf(parts, parts.length + rest.length);
        System.arraycopy(rest, 0, all, parts.length, rest.length);
        return all;
    }

    /** out[outOff + j] += sum over r of a[aOff + r * lda + j], for j < cols. */
    private static void columnSums(float[] a, int rows, int cols, int aOff, int lda, float[] out, int outOff) {
        float[] acc = new float[cols];
        for (int r = 0; r < rows; r++) {
            int o = aOff + r * lda;
            for (int j = 0; j < cols; j++) acc[j] += a[o + j];
        }
        for (int j = 0; j < cols; j++) out[outOff + j] += acc[j];
    }
}
