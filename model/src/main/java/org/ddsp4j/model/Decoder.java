package org.ddsp4j.model;

import java.util.SplittableRandom;
import org.ddsp4j.nn.Dense;
import org.ddsp4j.nn.FcStack;
import org.ddsp4j.nn.Gru;
import org.ddsp4j.nn.Module;
import org.ddsp4j.tensor.ShapeOps;
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
    private final String outputInputs;
    private final int zDims;

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
        int hidden = cfg.getInt("decoder.hidden"), layers = cfg.getInt("decoder.layers_per_stack");
        int gruUnits = cfg.getInt("decoder.gru_units");
        float slope = cfg.getFloat("decoder.leaky_slope"), eps = cfg.getFloat("decoder.layer_norm_eps");
        outputInputs = cfg.getString("decoder.output_inputs");
        int inDim = layers > 0 ? hidden : 1;
        f0Stack = layers > 0 ? addModule("f0_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        loudStack = layers > 0 ? addModule("loudness_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        int zIn = zDims == 0 ? 0 : layers > 0 ? hidden : zDims;
        zStack = zDims > 0 && layers > 0 ? addModule("z_stack", new FcStack(zDims, hidden, layers, slope, eps, rng)) : null;
        gru = addModule("gru", new Gru(2 * inDim + zIn, gruUnits, rng));
        int outIn = switch (outputInputs) {
            case "stacks" -> gruUnits + 2 * inDim + zIn;
            case "raw" -> gruUnits + 2 + zDims;
            case "none" -> gruUnits;
            default -> throw new IllegalArgumentException("decoder.output_inputs must be stacks, raw or none, is '" + outputInputs + "'");
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
        Tensor h = gru.forward(zs == null ? ShapeOps.concat(2, f, l) : ShapeOps.concat(2, f, l, zs)).outputs();
        Tensor x = switch (outputInputs) {
            case "stacks" -> zs == null ? ShapeOps.concat(2, f, l, h) : ShapeOps.concat(2, f, l, zs, h);
            case "raw" -> z == null ? ShapeOps.concat(2, h, f0Scaled, loudnessScaled) : ShapeOps.concat(2, h, f0Scaled, loudnessScaled, z);
            default -> h;
        };
        if (outStack != null) x = outStack.forward(x);
        return out.forward(x);
    }

    /** The GRU, for streaming use ({@link Gru#step}). */
    public Gru gru() {
        return gru;
    }

}
