package org.ddsp4j.model;

import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.GruGates;
import org.ddsp4j.nn.Gru;
import org.ddsp4j.tensor.Tensor;

/**
 * {@link Decoder} one frame at a time on flat arrays, with the GRU state carried between calls: the
 * per-frame form of {@code Decoder.forward} (same layers, same concatenation order, the same
 * {@link GruGates} as {@link Gru#step}) without tensors, so a step allocates nothing. Matrix-vector
 * products are row-broadcast multiply-adds over {@code W [in, out]} rows (contiguous, vectorized);
 * the weights are copied at construction, so later training of the model does not reach a running
 * stream. Only decoders without a timbre latent (no z encoder).
 */
final class StreamingDecoder {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Dense + LayerNorm + leaky ReLU. */
    private record FcLayer(int in, int out, float[] w, float[] b, float[] gamma, float[] beta) {}

    private final FcLayer[] f0Stack, loudStack, outStack;
    private final float[] wIh, wHh, bIh, bHh, wOut, bOut;
    private final int hidden, units, nOutputs, outIn;
    private final float slope, eps;
    private final String outputInputs;
    // Scratch and state.
    private final float[] f0In = new float[1], loudIn = new float[1];
    private final float[] gruIn, gx, gh, h, outX, tmpA, tmpB;

    StreamingDecoder(ModelConfig cfg, Decoder decoder) {
        Map<String, Tensor> p = decoder.namedParameters();
        if (p.keySet().stream().anyMatch(k -> k.startsWith("z_stack."))) {
            throw new IllegalArgumentException("StreamingDecoder: the decoder takes a timbre latent z (a z_stack); not streamable");
        }
        int layers = cfg.getInt("decoder.layers_per_stack");
        hidden = cfg.getInt("decoder.hidden");
        units = cfg.getInt("decoder.gru_units");
        slope = cfg.getFloat("decoder.leaky_slope");
        eps = cfg.getFloat("decoder.layer_norm_eps");
        outputInputs = cfg.getString("decoder.output_inputs");
        f0Stack = stack(p, "f0_stack", layers);
        loudStack = stack(p, "loudness_stack", layers);
        outStack = stack(p, "out_stack", layers);
        wIh = data(p, "gru.w_ih");
        wHh = data(p, "gru.w_hh");
        bIh = data(p, "gru.b_ih");
        bHh = data(p, "gru.b_hh");
        wOut = data(p, "dense_out.w");
        bOut = data(p, "dense_out.b");
        nOutputs = bOut.length;
        int inDim = layers > 0 ? hidden : 1;
        outIn = switch (outputInputs) {
            case "stacks" -> units + 2 * inDim;
            case "raw" -> units + 2;
            default -> units;
        };
        gruIn = new float[2 * inDim];
        gx = new float[3 * units];
        gh = new float[3 * units];
        h = new float[units];
        outX = new float[outIn];
        int widest = Math.max(Math.max(hidden, outIn), Math.max(nOutputs, 2 * inDim));
        tmpA = new float[widest];
        tmpB = new float[widest];
        if (wIh.length != 2 * inDim * 3 * units || wOut.length != (layers > 0 ? hidden : outIn) * nOutputs) {
            throw new IllegalArgumentException("StreamingDecoder: decoder weights do not match the configuration (w_ih "
                    + wIh.length + " values, dense_out.w " + wOut.length + ")");
        }
    }

    private static float[] data(Map<String, Tensor> p, String name) {
        Tensor t = p.get(name);
        if (t == null) throw new IllegalArgumentException("StreamingDecoder: the decoder has no parameter '" + name + "'; it has " + p.keySet());
        return t.data().clone();
    }

    private static FcLayer[] stack(Map<String, Tensor> p, String name, int layers) {
        FcLayer[] s = new FcLayer[layers];
        for (int i = 0; i < layers; i++) {
            String pre = name + "." + i + ".";
            Tensor w = p.get(pre + "dense.w");
            if (w == null) throw new IllegalArgumentException("StreamingDecoder: the decoder has no parameter '" + pre + "dense.w'");
            s[i] = new FcLayer(w.dim(0), w.dim(1), w.data().clone(), data(p, pre + "dense.b"),
                    data(p, pre + "norm.gamma"), data(p, pre + "norm.beta"));
        }
        return s;
    }

    /** Outputs per frame ({@code 1 + nHarmonics + nBands}). */
    int outputs() {
        return nOutputs;
    }

    /** Zeroes the GRU state (the start of a new stream). */
    void reset() {
        java.util.Arrays.fill(h, 0f);
    }

    /**
     * One frame.
     *
     * @param f0Scaled       MIDI / 127
     * @param loudnessScaled dB / 80 + 1
     * @param raw            receives {@code [nOutputs]} raw outputs
     */
    void step(float f0Scaled, float loudnessScaled, float[] raw) {
        int inDim = gruIn.length / 2;
        f0In[0] = f0Scaled;
        loudIn[0] = loudnessScaled;
        runStack(f0Stack, f0In, gruIn, 0);
        runStack(loudStack, loudIn, gruIn, inDim);
        // GRU step: gx = x W_ih + b_ih, gh = h W_hh + b_hh, then the gates (in place on h: element-wise).
        affine(gruIn, 0, gruIn.length, wIh, bIh, gx, 3 * units);
        affine(h, 0, units, wHh, bHh, gh, 3 * units);
        GruGates.forwardRow(units, gx, 0, gh, 0, h, 0, h, 0, null, 0);
        switch (outputInputs) {
            case "stacks" -> {
                System.arraycopy(gruIn, 0, outX, 0, 2 * inDim);
                System.arraycopy(h, 0, outX, 2 * inDim, units);
            }
            case "raw" -> {
                System.arraycopy(h, 0, outX, 0, units);
                outX[units] = f0Scaled;
                outX[units + 1] = loudnessScaled;
            }
            default -> System.arraycopy(h, 0, outX, 0, units);
        }
        float[] x = outX;
        int n = outIn;
        for (int i = 0; i < outStack.length; i++) {
            float[] y = (i & 1) == 0 ? tmpA : tmpB;
            layer(outStack[i], x, y, 0);
            x = y;
            n = outStack[i].out;
        }
        affine(x, 0, n, wOut, bOut, raw, nOutputs);
    }

    /** Runs an fc stack on {@code x} (or copies x through when the stack is empty) into {@code dst[off ..]}. */
    private void runStack(FcLayer[] stack, float[] x, float[] dst, int off) {
        if (stack.length == 0) {
            dst[off] = x[0];
            return;
        }
        float[] cur = x;
        for (int i = 0; i < stack.length - 1; i++) {
            float[] y = (i & 1) == 0 ? tmpA : tmpB;
            layer(stack[i], cur, y, 0);
            cur = y;
        }
        layer(stack[stack.length - 1], cur, dst, off);
    }

    /** Dense -> LayerNorm -> leaky ReLU into {@code y[off .. off + out)}. */
    private void layer(FcLayer l, float[] x, float[] y, int off) {
        affine(x, 0, l.in, l.w, l.b, y, off, l.out);
        double s = 0;
        for (int j = 0; j < l.out; j++) s += y[off + j];
        float mean = (float) (s / l.out);
        double v = 0;
        for (int j = 0; j < l.out; j++) {
            float c = y[off + j] - mean;
            v += c * c;
        }
        float rs = (float) (1.0 / Math.sqrt(v / l.out + eps));
        for (int j = 0; j < l.out; j++) {
            float z = (y[off + j] - mean) * rs * l.gamma[j] + l.beta[j];
            y[off + j] = z > 0 ? z : slope * z;
        }
    }

    private static void affine(float[] x, int xOff, int in, float[] w, float[] b, float[] y, int out) {
        affine(x, xOff, in, w, b, y, 0, out);
    }

    /** {@code y[yOff + j] = b[j] + sum_i x[xOff + i] w[i, j]} for {@code w [in, out]}. */
    private static void affine(float[] x, int xOff, int in, float[] w, float[] b, float[] y, int yOff, int out) {
        System.arraycopy(b, 0, y, yOff, out);
        int vl = S.length(), bound = S.loopBound(out), i = 0;
        // Four rows of W per pass: y is loaded and stored once per four multiply-adds.
        for (; i + 3 < in; i += 4) {
            float x0 = x[xOff + i], x1 = x[xOff + i + 1], x2 = x[xOff + i + 2], x3 = x[xOff + i + 3];
            FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
            FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
            int w0 = i * out, w1 = w0 + out, w2 = w1 + out, w3 = w2 + out, j = 0;
            for (; j < bound; j += vl) {
                FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                acc = v0.fma(FloatVector.fromArray(S, w, w0 + j), acc);
                acc = v1.fma(FloatVector.fromArray(S, w, w1 + j), acc);
                acc = v2.fma(FloatVector.fromArray(S, w, w2 + j), acc);
                acc = v3.fma(FloatVector.fromArray(S, w, w3 + j), acc);
                acc.intoArray(y, yOff + j);
            }
            for (; j < out; j++) {
                float a = y[yOff + j];
                a = Math.fma(x0, w[w0 + j], a);
                a = Math.fma(x1, w[w1 + j], a);
                a = Math.fma(x2, w[w2 + j], a);
                y[yOff + j] = Math.fma(x3, w[w3 + j], a);
            }
        }
        for (; i < in; i++) {
            float xi = x[xOff + i];
            FloatVector xv = FloatVector.broadcast(S, xi);
            int wo = i * out, j = 0;
            for (; j < bound; j += vl) {
                xv.fma(FloatVector.fromArray(S, w, wo + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
            }
            for (; j < out; j++) y[yOff + j] = Math.fma(xi, w[wo + j], y[yOff + j]);
        }
    }
}
