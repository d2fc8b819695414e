package org.ddsp4j.model;

import org.ddsp4j.processors.ProcessorGraph;

/**
 * Real-time, block-by-block rendering of a trained {@link Autoencoder}: feed the controls of the next
 * {@code N >= 1} frames, get {@code N * hop} samples back. It is the model itself, one frame at a
 * time: the decoder's {@link Decoder.Stepper} (GRU state carried over) feeding the model's own
 * {@link ProcessorGraph} in its streaming form (harmonic phase, noise filter overlap and generator,
 * the room's tail carried over).
 *
 * <p><b>Latency: one frame</b> ({@link #latencySamples()}, 4 ms at 16 kHz / 250 frames/s): frame
 * {@code k} is rendered once frame {@code k + 1} is known (the controls are linear from frame
 * {@code k} to {@code k + 1}, and the noise filters reach back into the previous frame). The output of
 * the call that delivers frame {@code m} ends with the audio of frame {@code m - 1}; the first
 * {@code hop} samples of a stream are silence. {@link #flush} renders the last frame (held), which ends
 * the stream.
 *
 * <p><b>Equal to offline rendering</b>: the frames {@code 0 .. F-1} streamed and flushed give, after the
 * one-frame delay, the samples of {@code Autoencoder.forward} on the same controls with noise from
 * {@code new SplittableRandom(seed)}, up to float rounding (a test holds them to 1e-5 of the peak for
 * every built-in configuration).
 *
 * <p>A model with a z encoder streams when the caller supplies the per-frame {@code z} (computed from
 * the input audio by {@link ZEncoder}; its MFCC windows look ahead, so it is not causal).
 * Single-threaded; nothing is allocated by {@link #process(float[], float[], float[], int, int, float[], int)}.
 */
public final class StreamingSynth {
    private final Decoder.Stepper decoder;
    private final ProcessorGraph.Stream synth;
    private final int hop, sampleRate, zDims;
    private final float[] raw;
    private final org.ddsp4j.dsp.DirectLoudness direct;

    /** A stream with the model's room (if it has one) and noise seed 1. */
    public StreamingSynth(Autoencoder model) {
        this(model, true, 1);
    }

    /**
     * @param model  a model; later training of it reaches the decoder of a running stream but not its room
     * @param reverb apply the model's room; false for the dry signal
     * @param seed   noise seed, as in {@code Autoencoder.forward(..., new SplittableRandom(seed))}
     */
    public StreamingSynth(Autoencoder model, boolean reverb, long seed) {
        ModelConfig cfg = model.config();
        decoder = model.decoder().stepper();
        synth = model.processors().newStream(reverb, seed);
        hop = cfg.hop();
        sampleRate = cfg.sampleRate();
        zDims = model.decoder().zDims();
        raw = new float[model.decoder().outputs()];
        direct = model.directLoudness();
    }

    /** Samples per frame. */
    public int hop() {
        return hop;
    }

    /** Output sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Frames between a control frame going in and its audio coming out. */
    public int latencyFrames() {
        return synth.latencyFrames();
    }

    /** {@link #latencyFrames()} in samples. */
    public int latencySamples() {
        return latencyFrames() * hop;
    }

    /** Size of the per-frame timbre latent the model needs (0: none). */
    public int zDims() {
        return zDims;
    }

    /** Starts a new stream: zero GRU state and phase, silence in the filters and the room, the noise seed again. */
    public void reset() {
        decoder.reset();
        synth.reset();
        if (direct != null) direct.reset();
    }

    /**
     * Renders the next frames (models without a z encoder).
     *
     * @param f0Hz       {@code [N]} fundamental in Hz (0 where unvoiced), N >= 1
     * @param loudnessDb {@code [N]} A-weighted loudness in dB
     * @return {@code [N * hop]} samples (see the class doc for the latency)
     */
    public float[] process(float[] f0Hz, float[] loudnessDb) {
        if (f0Hz == null || loudnessDb == null || f0Hz.length != loudnessDb.length || f0Hz.length < 1) {
            throw new IllegalArgumentException("process needs f0Hz and loudnessDb of the same length >= 1, got "
                    + (f0Hz == null ? "null" : f0Hz.length) + " and " + (loudnessDb == null ? "null" : loudnessDb.length));
        }
        float[] out = new float[f0Hz.length * hop];
        process(f0Hz, loudnessDb, null, 0, f0Hz.length, out, 0);
        return out;
    }

    /** {@link #process(float[], float[], float[], int, int, float[], int)} without z. */
    public void process(float[] f0Hz, float[] loudnessDb, int from, int nFrames, float[] out, int outOff) {
        process(f0Hz, loudnessDb, null, from, nFrames, out, outOff);
    }

    /**
     * Renders the next {@code nFrames} frames without allocating.
     *
     * @param f0Hz       frames {@code [from, from + nFrames)} are read, Hz
     * @param loudnessDb the same frames, dB
     * @param z          {@code [frames, zDims]} timbre latents (the same frame indices), or null for a model without a z encoder
     * @param out        receives {@code nFrames * hop} samples at {@code outOff}
     */
    public void process(float[] f0Hz, float[] loudnessDb, float[] z, int from, int nFrames, float[] out, int outOff) {
        if (nFrames < 1 || from < 0 || from + nFrames > Math.min(f0Hz.length, loudnessDb.length)) {
            throw new IllegalArgumentException("process: frames [" + from + ", " + (from + nFrames) + ") are not inside f0Hz ["
                    + f0Hz.length + "] and loudnessDb [" + loudnessDb.length + "]");
        }
        if (outOff < 0 || outOff + (long) nFrames * hop > out.length) {
            throw new IllegalArgumentException("process: out [" + out.length + "] has no room for " + nFrames + " x " + hop
                    + " samples at offset " + outOff);
        }
        if ((z == null) != (zDims == 0) || (z != null && z.length < (long) (from + nFrames) * zDims)) {
            throw new IllegalArgumentException(zDims == 0 ? "process: this model takes no z"
                    : "process: this model has a z encoder; pass z [frames, " + zDims + "] covering frames [" + from + ", "
                    + (from + nFrames) + ") (compute it from the input audio with the model's ZEncoder)");
        }
        for (int i = 0; i < nFrames; i++) {
            int k = from + i;
            float f = f0Hz[k], l = loudnessDb[k];
            if (!Float.isFinite(f) || !Float.isFinite(l)) {
                throw new IllegalArgumentException("process: frame " + k + " has f0 " + f + " Hz, loudness " + l
                        + " dB; controls must be finite");
            }
            if (direct != null) l = direct.next(l);
            decoder.step(Autoencoder.scaleF0(f), Autoencoder.scaleLoudness(l), z, k * zDims, raw, 0);
            int o = outOff + i * hop;
            if (!synth.push(f, raw, 0, out, o)) java.util.Arrays.fill(out, o, o + hop, 0f);
        }
    }

    /**
     * Renders the last frame received (held: the end of the clip) into {@code out[outOff .. outOff + hop)}
     * and starts a new stream.
     *
     * @return false (nothing written) if no frame is pending
     */
    public boolean flush(float[] out, int outOff) {
        boolean wrote = synth.flush(out, outOff);
        decoder.reset();
        if (direct != null) direct.reset();
        return wrote;
    }
}
