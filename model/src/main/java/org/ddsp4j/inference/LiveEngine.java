package org.ddsp4j.inference;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.ddsp4j.features.LiveTracker;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.StreamingSynth;

/**
 * Live timbre transfer: audio in, the instrument's audio out, sample for sample with a fixed delay. Per frame
 * ({@code hop} samples) the input goes through the causal {@link LiveTracker} (f0, confidence, loudness), the
 * causal form of the transfer recipe ({@link TransferRecipe.Live}: octaves and gain toward the training set,
 * decided between notes, plus the manual shifts) and the model's {@link StreamingSynth} (decoder step, then its
 * synthesizers and room, one frame of latency, equal to offline rendering).
 *
 * <h2>Latency</h2>
 * {@link #latencySamples()} = the tracker's look-ahead + the synthesizer's one frame - 1 sample: output sample
 * {@code n + latency} is the instrument playing input sample {@code n}, and it leaves {@link #process} in the
 * same call that brings input sample {@code n + latency} in, whatever the block size. At 16 kHz and 250
 * frames/s: 256 + 64 - 1 = 319 samples = 19.9 ms; a model with longer frames gets a shorter look-ahead
 * ({@link #MAX_LATENCY_SECONDS}). Nothing else is buffered: a block of {@code B} samples
 * returns {@code B} samples at once (the device's own buffers come on top).
 *
 * <h2>Threads</h2>
 * One audio thread calls {@link #process} (and {@link #reset}); any other thread may change the recipe at any
 * time with {@link #setRecipe} (or {@link #setShifts}, {@link #setAuto}): the new recipe is published through
 * an {@link AtomicReference} and the audio thread reads it once per {@link #process} call, at the block
 * boundary; no lock is taken on either side. What the audio thread decided (the automatic shifts held, the
 * last frame played) is published back through volatile fields for display. {@link #process} allocates
 * nothing (tested with the thread's allocation counter).
 */
public final class LiveEngine {
    /**
     * The latency aimed at: the tracker's look-ahead is 16 ms, or shorter for models whose frame is longer than
     * 4 ms (10 ms at 100 frames/s: 10 ms of look-ahead, the loudness window ending there), so that look-ahead + frame
     * stays within it.
     */
    public static final double MAX_LATENCY_SECONDS = 0.020;
    /** Time constant of the running estimates of the input's pitch and loudness. */
    public static final double ESTIMATE_SECONDS = 10;
    /**
     * The first note's first pitched seconds, over which the automatic shifts are re-decided each frame
     * ({@link TransferRecipe.Live}): the onset frame alone put a fifth of a legato session an octave off.
     */
    public static final double SETTLE_SECONDS = 0.1;

    private final LiveTracker tracker;
    private final StreamingSynth synth;
    private final TransferRecipe.Live adjust;
    private final AtomicReference<TransferRecipe> recipe;
    private final int sampleRate, hop, latency;

    // Tracker output for one chunk, the frame played, the synthesizer's block.
    private final float[] f0, confidence, loudness, playF0 = new float[1], playLd = new float[1], block;
    private final boolean[] voiced;
    // Output FIFO: the synthesized samples not yet returned.
    private final float[] fifo;
    private int head, size;
    private long frames;

    private volatile double octaveShift, loudnessShift;
    private volatile float playedF0Hz, playedLoudnessDb;

    /**
     * @param model           a model without a z encoder (its timbre latent would need look-ahead)
     * @param trainPitchMidi  the training set's mean pitch (NaN: no automatic octave shift)
     * @param trainLoudnessDb the training set's mean loudness (NaN: no automatic loudness match)
     * @param recipe          the recipe to start with
     * @param reverb          play the model's room
     * @param seed            noise seed of the synthesizer
     */
    LiveEngine(Autoencoder model, double trainPitchMidi, double trainLoudnessDb, TransferRecipe recipe, boolean reverb, long seed) {
        if (model.needsAudio()) {
            throw new IllegalArgumentException("model '" + model.config().name() + "' has a z encoder (encoder.type mfcc_gru), "
                    + "whose MFCC windows look ahead of the frame: it cannot play live; use a model without one");
        }
        if (recipe == null) throw new IllegalArgumentException("recipe must not be null");
        sampleRate = model.config().sampleRate();
        synth = model.stream(reverb, seed);
        hop = synth.hop();
        // The tracker's look-ahead: 16 ms, or less where the frame is longer than 4 ms, so the latency stays within 20 ms.
        int maxLook = (int) Math.floor(LiveTracker.MAX_LOOK_AHEAD_SECONDS * sampleRate + 1e-9);
        int look = Math.max(0, Math.min(maxLook, (int) Math.round(MAX_LATENCY_SECONDS * sampleRate) + 1 - synth.latencySamples()));
        tracker = LiveTracker.builder(sampleRate).frameRate(model.config().frameRate()).lookAheadSamples(look).build();
        if (tracker.hop() != hop) throw new IllegalStateException("tracker hop " + tracker.hop() + " vs model hop " + hop);
        adjust = new TransferRecipe.Live(trainPitchMidi, trainLoudnessDb,
                (int) Math.max(1, Math.round(ESTIMATE_SECONDS * model.config().frameRate())),
                (int) Math.max(1, Math.round(SETTLE_SECONDS * model.config().frameRate())));
        this.recipe = new AtomicReference<>(recipe);
        latency = tracker.lookAheadSamples() + synth.latencySamples() - 1;
        int cap = tracker.maxFrames(hop);
        f0 = new float[cap];
        confidence = new float[cap];
        loudness = new float[cap];
        voiced = new boolean[cap];
        block = new float[hop];
        fifo = new float[latency + 3 * hop];
        reset();
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples per control frame. */
    public int hop() {
        return hop;
    }

    /** Output sample {@code n + latencySamples()} plays input sample {@code n}; see the class doc. */
    public int latencySamples() {
        return latency;
    }

    /** {@link #latencySamples()} in milliseconds. */
    public double latencyMs() {
        return 1000.0 * latency / sampleRate;
    }

    /** The causal tracker's look-ahead in samples (part of the latency). */
    public int lookAheadSamples() {
        return tracker.lookAheadSamples();
    }

    /** The synthesizer's latency in samples (one frame; part of the latency). */
    public int synthLatencySamples() {
        return synth.latencySamples();
    }

    /** The recipe in force (the last one set). */
    public TransferRecipe recipe() {
        return recipe.get();
    }

    /** Replaces the recipe; any thread, any time; the audio thread takes it at its next block. */
    public void setRecipe(TransferRecipe r) {
        if (r == null) throw new IllegalArgumentException("recipe must not be null");
        recipe.set(r);
    }

    /** Sets the manual pitch (semitones) and loudness (dB) shifts, keeping the rest of the recipe; any thread. */
    public void setShifts(double semitones, double db) {
        recipe.getAndUpdate(r -> r.withShifts(semitones, db));
    }

    /** Turns the automatic octave and loudness adjustment on or off; any thread. */
    public void setAuto(boolean on) {
        recipe.getAndUpdate(r -> r.withAuto(on));
    }

    /** The automatic octave shift held now (semitones), as last decided between notes. */
    public double octaveShiftSemitones() {
        return octaveShift;
    }

    /** The automatic loudness shift held now (dB). */
    public double loudnessShiftDb() {
        return loudnessShift;
    }

    /** f0 (Hz) and loudness (dB) the instrument played on the last frame. */
    public float playedF0Hz() {
        return playedF0Hz;
    }

    public float playedLoudnessDb() {
        return playedLoudnessDb;
    }

    /** Control frames played since the start (or the last {@link #reset}). */
    public long frames() {
        return frames;
    }

    /** Starts over: silence in and out, a fresh tracker, source estimates, GRU state, phase and room. Audio thread. */
    public void reset() {
        tracker.reset();
        synth.reset();
        adjust.reset();
        Arrays.fill(fifo, 0f);
        head = 0;
        size = Math.max(0, tracker.lookAheadSamples() - 1); // with the synthesizer's silent first frame: the latency
        frames = 0;
    }

    /**
     * Plays {@code n} input samples: reads {@code in[inOff .. inOff + n)}, writes {@code n} samples to
     * {@code out[outOff ..]} (the instrument, {@link #latencySamples()} behind). Audio thread; allocates nothing.
     * {@code in} and {@code out} may be the same array.
     */
    public void process(float[] in, int inOff, float[] out, int outOff, int n) {
        if (n < 0 || inOff < 0 || outOff < 0 || inOff + n > in.length || outOff + n > out.length) {
            throw new IllegalArgumentException("process: " + n + " samples at " + inOff + " of in [" + in.length + "] / at "
                    + outOff + " of out [" + out.length + "]");
        }
        TransferRecipe r = recipe.get(); // once per block: a change lands at a block boundary
        while (n > 0) {
            int chunk = Math.min(n, hop);
            int got = tracker.push(in, inOff, chunk, f0, confidence, voiced, loudness, 0);
            for (int i = 0; i < got; i++) play(r, i);
            // The latency keeps the FIFO ahead of the output (see the class doc).
            if (size < chunk) throw new IllegalStateException("live engine FIFO ran dry: " + size + " < " + chunk);
            int cap = fifo.length;
            for (int j = 0; j < chunk; j++) {
                out[outOff + j] = fifo[head];
                head = head + 1 == cap ? 0 : head + 1;
            }
            size -= chunk;
            inOff += chunk;
            outOff += chunk;
            n -= chunk;
        }
    }

    /** Adjusts tracker frame {@code i}, renders it and queues its audio. */
    private void play(TransferRecipe r, int i) {
        adjust.frame(r, f0[i], confidence[i], loudness[i]);
        playF0[0] = adjust.f0Hz();
        playLd[0] = adjust.loudnessDb();
        synth.process(playF0, playLd, 0, 1, block, 0);
        int cap = fifo.length, tail = head + size;
        for (int j = 0; j < hop; j++) fifo[(tail + j) % cap] = block[j];
        size += hop;
        frames++;
        octaveShift = adjust.octaveShiftSemitones();
        loudnessShift = adjust.loudnessShiftDb();
        playedF0Hz = playF0[0];
        playedLoudnessDb = playLd[0];
    }
}
