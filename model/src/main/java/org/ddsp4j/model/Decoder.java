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
 * GRU as they are).
 *
 * <p>What the output stack sees is configurable ({@code decoder.output_inputs}): {@code stacks}
 * concatenates the input stacks' outputs with the GRU output (magenta/ddsp), {@code raw} the GRU
 * output with the scaled f0 and loudness (ddsp_pytorch), {@code none} only the GRU output.
 */
public final class Decoder extends Module {
    private final FcStack f0Stack, loudStack, outStack;
    private final Gru gru;
    private final Dense out;
    private final String outputInputs;

    /**
     * @param cfg        the configuration (decoder section)
     * @param nOutputs   raw outputs per frame
     * @param rng        initialization
     */
    public Decoder(ModelConfig cfg, int nOutputs, SplittableRandom rng) {
        int hidden = cfg.getInt("decoder.hidden"), layers = cfg.getInt("decoder.layers_per_stack");
        int gruUnits = cfg.getInt("decoder.gru_units");
        float slope = cfg.getFloat("decoder.leaky_slope"), eps = cfg.getFloat("decoder.layer_norm_eps");
        outputInputs = cfg.getString("decoder.output_inputs");
        int inDim = layers > 0 ? hidden : 1;
        f0Stack = layers > 0 ? addModule("f0_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        loudStack = layers > 0 ? addModule("loudness_stack", new FcStack(1, hidden, layers, slope, eps, rng)) : null;
        gru = addModule("gru", new Gru(2 * inDim, gruUnits, rng));
        int outIn = switch (outputInputs) {
            case "stacks" -> gruUnits + 2 * inDim;
            case "raw" -> gruUnits + 2;
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
        Tensor f = f0Stack == null ? f0Scaled : f0Stack.forward(f0Scaled);
        Tensor l = loudStack == null ? loudnessScaled : loudStack.forward(loudnessScaled);
        // Concatenations are never materialized: the GRU and the first output layer multiply each
        // part by its own block of weight rows.
        Tensor h = gru.forwardConcat(f, l).outputs();
        Tensor[] x = switch (outputInputs) {
            case "stacks" -> new Tensor[] {f, l, h};
            case "raw" -> new Tensor[] {h, f0Scaled, loudnessScaled};
            default -> new Tensor[] {h};
        };
        return outStack != null ? out.forward(outStack.forwardConcat(x)) : out.forwardConcat(x);
    }

    /** The GRU, for streaming use ({@link Gru#step}). */
    public Gru gru() {
        return gru;
    }

}
