package org.ddsp4j.model;

import java.util.SplittableRandom;
import org.ddsp4j.nn.Dense;
import org.ddsp4j.nn.FcStack;
import org.ddsp4j.nn.Gru;
import org.ddsp4j.nn.Module;
import org.ddsp4j.tensor.Tensor;

/**
 * magenta/ddsp's {@code RnnFcDecoder}: one fc stack per input ({@code f0_scaled},
 * {@code loudness_scaled}), concatenated, a GRU, an output fc stack and a final Dense to the raw
 * synth parameters. With {@code layers_per_stack = 0} the stacks are skipped (the inputs go to the
 * GRU as they are). With a timbre latent ({@code zDims > 0}, the NSynth model) {@code z} is a third
 * input with its own stack, concatenated after f0 and loudness.
 *
 * <p>What the output stack sees is configurable ({@code decoder.output_inputs}): {@code stacks}
 * concatenates the input stacks' outputs with the GRU output (magenta/ddsp), {@code raw} the GRU
 * output with the scaled f0 and loudness (ddsp_pytorch), {@code none} only the GRU output.
 */
public final class Decoder extends Module {
    private final FcStack f0Stack, loudStack, zStack, outStack;
    private final Gru gru;
    private final Dense out;
    private final ModelConfig.OutputInputs outputInputs;
    private final int zDims, nOutputs;

    /**
     * @param cfg        the configuration (decoder section)
     * @param nOutputs   raw outputs per frame
     * @param rng        initialization
     */
    public Decoder(ModelConfig cfg, int nOutputs, SplittableRandom rng) {
        this(cfg, nOutputs, 0, rng);
    }

    /**
     * With a third input stack for the timbre latent {@code z} (ddsp's {@code input_keys} with
     * {@code z}): its fc stack ({@code z_stack}) runs beside the f0 and loudness stacks and is
     * concatenated after them, before the GRU (and into the output stack with {@code stacks}).
     *
     * @param zDims latent size, 0 for none
     */
    public Decoder(ModelConfig cfg, int nOutputs, int zDims, SplittableRandom rng) {
        if (zDims < 0) throw new IllegalArgumentException("zDims must be >= 0, got " + zDims);
        this.zDims = zDims;
        this.nOutputs = nOutputs;
        ModelConfig.Decoder d = cfg.decoder();
        int hidden = d.hidden(), layers = d.layersPerStack(), gruUnits = d.gruUnits();
        float slope = d.leakySlope(), eps = d.layerNormEps();
        outputInputs = d.outputInputs();
        int inDim = layers > 0 ? hidden : 1;
        f0Stack = layers > 0 ? addModule("f0_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        loudStack = layers > 0 ? addModule("loudness_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        int zIn = zDims == 0 ? 0 : layers > 0 ? hidden : zDims;
        zStack = zDims > 0 && layers > 0 ? addModule("z_stack", new FcStack(zDims, hidden, layers, slope, eps, rng)) : null;
        gru = addModule("gru", new Gru(2 * inDim + zIn, gruUnits, rng));
        int outIn = switch (outputInputs) {
            case STACKS -> gruUnits + 2 * inDim + zIn;
            case RAW -> gruUnits + 2 + zDims;
            case NONE -> gruUnits;
        };
        outStack = layers > 0 ? addModule("out_stack", new FcStack(outIn, hidden, layers, slope, eps, rng)) : null;
        out = addModule("dense_out", new Dense(layers > 0 ? hidden : outIn, nOutputs, rng));
    }

    /**
     * @param f0Scaled       {@code [B, F, 1]} MIDI / 127
     * @param loudnessScaled {@code [B, F, 1]} dB / 80 + 1
     * @return {@code [B, F, nOutputs]} raw outputs
     */
    public Tensor forward(Tensor f0Scaled, Tensor loudnessScaled) {
        return forward(f0Scaled, loudnessScaled, null);
    }

    /**
     * @param z {@code [B, F, zDims]} timbre latent; null exactly when the decoder was built without z
     * @return {@code [B, F, nOutputs]} raw outputs
     */
    public Tensor forward(Tensor f0Scaled, Tensor loudnessScaled, Tensor z) {
        if ((z == null) != (zDims == 0) || (z != null && (z.rank() != 3 || z.dim(2) != zDims))) {
            throw new IllegalArgumentException("Decoder built with zDims " + zDims + " got z "
                    + (z == null ? "null" : java.util.Arrays.toString(z.shape())) + " (need [B, F, " + zDims + "] or null for 0)");
        }
        Tensor f = f0Stack == null ? f0Scaled : f0Stack.forward(f0Scaled);
        Tensor l = loudStack == null ? loudnessScaled : loudStack.forward(loudnessScaled);
        Tensor zs = z == null ? null : zStack == null ? z : zStack.forward(z);
        // Concatenations are never materialized: the GRU and the first output layer multiply each
        // part by its own block of weight rows.
        Tensor h = gru.forwardConcat(zs == null ? new Tensor[] {f, l} : new Tensor[] {f, l, zs}).outputs();
        Tensor[] x = switch (outputInputs) {
            case STACKS -> zs == null ? new Tensor[] {f, l, h} : new Tensor[] {f, l, zs, h};
            case RAW -> z == null ? new Tensor[] {h, f0Scaled, loudnessScaled} : new Tensor[] {h, f0Scaled, loudnessScaled, z};
            case NONE -> new Tensor[] {h};
        };
        return outStack != null ? out.forward(outStack.forwardConcat(x)) : out.forwardConcat(x);
    }

    /** The GRU, for streaming use ({@link Gru#step}). */
    public Gru gru() {
        return gru;
    }

    /** Raw outputs per frame. */
    public int outputs() {
        return nOutputs;
    }

    /** Size of the timbre latent (0: none). */
    public int zDims() {
        return zDims;
    }

    /** A per-frame form of {@link #forward} with its own GRU state (streaming). */
    public Stepper stepper() {
        return new Stepper();
    }

    /**
     * {@link Decoder#forward} one frame at a time on flat arrays, with the GRU state carried between
     * calls: the same layers, the same concatenation order and the same kernels (each layer's
     * {@code forwardRow}), so stepping a sequence gives the sequence's outputs up to float rounding
     * of the matrix products. Reads the decoder's live weights; allocates nothing per step. Not
     * thread-safe: one per stream.
     */
    public final class Stepper {
        private final float[] f0In = new float[1], loudIn = new float[1], mean = new float[1], rstd = new float[1],
                lanes = new float[jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()];
        private final float[] fOut, lOut, zOut, gruIn, gx, gh, h, outX, a, b, c;
        private final int inDim, zIn;

        private Stepper() {
            inDim = f0Stack == null ? 1 : f0Stack.channels();
            zIn = zDims == 0 ? 0 : zStack == null ? zDims : zStack.channels();
            fOut = new float[inDim];
            lOut = new float[inDim];
            zOut = new float[Math.max(1, zIn)];
            gruIn = new float[gru.inputSize()];
            gx = new float[3 * gru.hiddenSize()];
            gh = new float[3 * gru.hiddenSize()];
            h = new float[gru.hiddenSize()];
            outX = new float[outStack != null ? outStack.widest() : out.inFeatures()];
            int widest = Math.max(outX.length, Math.max(zDims, 1));
            for (var s : new org.ddsp4j.nn.FcStack[] {f0Stack, loudStack, zStack, outStack}) {
                if (s != null) widest = Math.max(widest, s.widest());
            }
            a = new float[widest];
            b = new float[widest];
            c = new float[widest];
        }

        /** Zeroes the GRU state (the start of a stream). */
        public void reset() {
            java.util.Arrays.fill(h, 0f);
        }

        /**
         * One frame.
         *
         * @param f0Scaled       MIDI / 127 ({@link Autoencoder#scaleF0(float)})
         * @param loudnessScaled dB / 80 + 1
         * @param z              the frame's timbre latent at {@code z[zOff ..]} ({@code zDims} values), or null without one
         * @param raw            receives {@link #outputs()} raw outputs at {@code raw[rawOff ..]}
         */
        public void step(float f0Scaled, float loudnessScaled, float[] z, int zOff, float[] raw, int rawOff) {
            if ((z == null) != (zDims == 0)) {
                throw new IllegalArgumentException("Decoder.Stepper: the decoder takes a z of " + zDims + " values; got "
                        + (z == null ? "none" : "one"));
            }
            f0In[0] = f0Scaled;
            loudIn[0] = loudnessScaled;
            stack(f0Stack, f0In, fOut);
            stack(loudStack, loudIn, lOut);
            if (z != null) {
                if (zStack == null) System.arraycopy(z, zOff, zOut, 0, zDims);
                else {
                    System.arraycopy(z, zOff, a, 0, zDims);
                    zStack.forwardRow(a, zOut, 0, b, c, mean, rstd, lanes);
                }
            }
            System.arraycopy(fOut, 0, gruIn, 0, inDim);
            System.arraycopy(lOut, 0, gruIn, inDim, inDim);
            if (zIn > 0) System.arraycopy(zOut, 0, gruIn, 2 * inDim, zIn);
            gru.stepRow(gruIn, h, gx, gh);
            int n = 0;
            switch (outputInputs) {
                case STACKS -> {
                    n = put(fOut, inDim, n);
                    n = put(lOut, inDim, n);
                    if (zIn > 0) n = put(zOut, zIn, n);
                    n = put(h, h.length, n);
                }
                case RAW -> {
                    n = put(h, h.length, n);
                    outX[n++] = f0Scaled;
                    outX[n++] = loudnessScaled;
                    if (z != null) {
                        System.arraycopy(z, zOff, outX, n, zDims);
                        n += zDims;
                    }
                }
                case NONE -> n = put(h, h.length, n);
            }
            if (outStack != null) {
                outStack.forwardRow(outX, a, 0, b, c, mean, rstd, lanes);
                out.forwardRow(a, 0, raw, rawOff);
            } else {
                out.forwardRow(outX, 0, raw, rawOff);
            }
        }

        private int put(float[] src, int len, int at) {
            System.arraycopy(src, 0, outX, at, len);
            return at + len;
        }

        private void stack(org.ddsp4j.nn.FcStack s, float[] x, float[] y) {
            if (s == null) y[0] = x[0];
            else s.forwardRow(x, y, 0, b, c, mean, rstd, lanes);
        }
    }

}
