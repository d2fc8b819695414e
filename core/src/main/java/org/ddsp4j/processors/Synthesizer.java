package org.ddsp4j.processors;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;

/**
 * A sound source of the model, driven frame by frame by its slice of the decoder's raw outputs. Each
 * stage is written once and has two forms that tests prove equal:
 * <ul>
 *   <li><b>controls</b>: raw outputs to controls in physical units (all squashing, biases, masks and
 *       normalization live here): a tensor form for training ({@link #controls(Tensor, Tensor)}) and a
 *       per-frame {@code float[]} form for streaming ({@link #controls(float[], int, float, float[], int)});</li>
 *   <li><b>signal</b>: controls to audio, offline over a whole clip ({@link #render}) or frame by frame
 *       with state ({@link #newVoice}).</li>
 * </ul>
 * <b>Frame convention</b> (offline and streaming alike): frame {@code k} starts at sample {@code k * hop};
 * controls are linear from frame {@code k} to frame {@code k + 1} across the frame, and the last frame
 * of a clip is held. A clip of {@code F} frames renders {@code F * hop} samples.
 */
public interface Synthesizer {
    /** The name of the synthesizer in the model (its output's key), e.g. {@code harmonic}. */
    String name();

    /** Decoder outputs consumed per frame. */
    int rawSize();

    /** Controls per frame. */
    int controlSize();

    /** Samples per frame. */
    int hop();

    /**
     * Tensor form of the controls (differentiable).
     *
     * @param raw  {@code [B, F, rawSize]} decoder outputs
     * @param f0Hz {@code [B, F, 1]} fundamental in Hz (0 where unvoiced)
     * @return {@code [B, F, controlSize]}
     */
    Tensor controls(Tensor raw, Tensor f0Hz);

    /** Per-frame form of {@link #controls(Tensor, Tensor)}: {@code raw[rawOff ..]} to {@code ctl[ctlOff ..]}; allocates nothing. */
    void controls(float[] raw, int rawOff, float f0Hz, float[] ctl, int ctlOff);

    /**
     * Offline rendering (differentiable in the controls).
     *
     * @param f0Hz     {@code [B, F, 1]}
     * @param controls {@code [B, F, controlSize]}
     * @param rng      noise source (synthesizers without noise ignore it)
     * @return {@code [B, F * hop]}
     */
    Tensor render(Tensor f0Hz, Tensor controls, SplittableRandom rng);

    /** A per-frame renderer with its own state, equal to {@link #render} for batch 1 when its noise is drawn from {@code new SplittableRandom(seed)}. */
    Voice newVoice(long seed);

    /** Frame-by-frame rendering with state (phase, filter overlap, noise generator). Not thread-safe. */
    interface Voice {
        /** Back to the start of a stream: zero state, the seed again. */
        void reset();

        /**
         * Adds the {@code hop} samples of frame {@code k} to {@code out[outOff ..]}, given the
         * controls of frame {@code k} and of frame {@code k + 1}. At the end of a stream pass
         * frame {@code k} as its own successor with {@code last = true} (the last frame is held).
         * Frames arrive in order. Allocates nothing.
         */
        void render(float f0, float[] ctl, int ctlOff, float f0Next, float[] ctlNext, int nextOff, boolean last,
                    float[] out, int outOff);
    }
}
