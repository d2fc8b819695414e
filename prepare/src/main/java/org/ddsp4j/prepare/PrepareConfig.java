package org.ddsp4j.prepare;

import java.io.Serializable;

/**
 * Settings of a dataset preparation run.
 *
 * @param sampleRate          model sample rate, Hz (audio is resampled to it)
 * @param frameRate           feature frames per second; must divide {@code sampleRate}
 * @param exampleSeconds      length of one example, s; {@code exampleSeconds * frameRate} must be whole
 * @param hopSeconds          hop between consecutive examples of a file, s (same constraint)
 * @param evalFraction        fraction of files (by hash of their relative path) put in the eval split, [0, 1)
 * @param shards              number of train shards; eval gets {@code max(1, round(shards * evalFraction))}
 * @param minSeconds          files shorter than this are skipped; files between this and one example are
 *                            zero-padded to one example
 * @param padTail             if true, the audio after the last full window is kept as one more window,
 *                            zero-padded; if false (default, as magenta's {@code _split_example}) it is dropped
 * @param confidenceThreshold frames with f0 confidence at or above this count as pitched in the statistics
 */
public record PrepareConfig(int sampleRate, int frameRate, double exampleSeconds, double hopSeconds,
                            double evalFraction, int shards, double minSeconds, boolean padTail,
                            double confidenceThreshold) implements Serializable {
    /** magenta/ddsp's defaults: 16 kHz, 250 frames/s, 4 s examples with 1 s hop, 10 % eval, 8 shards. */
    public static PrepareConfig defaults() {
        return new PrepareConfig(16000, 250, 4, 1, 0.1, 8, 1.0, false, 0.5);
    }

    public PrepareConfig {
        if (sampleRate <= 0 || frameRate <= 0 || sampleRate % frameRate != 0) {
            throw new IllegalArgumentException("frame rate " + frameRate + " must divide the sample rate " + sampleRate
                    + " (e.g. 250 for 16000 Hz)");
        }
        int hop = sampleRate / frameRate;
        checkWhole("example seconds", exampleSeconds, frameRate);
        checkWhole("hop seconds", hopSeconds, frameRate);
        if (exampleSeconds <= 0 || hopSeconds <= 0) {
            throw new IllegalArgumentException("example seconds " + exampleSeconds + " and hop seconds " + hopSeconds + " must be > 0");
        }
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("eval fraction " + evalFraction + " must be in [0, 1)");
        }
        if (shards < 1) throw new IllegalArgumentException("shards " + shards + " must be >= 1");
        if (!(minSeconds > 0) || minSeconds > exampleSeconds) {
            throw new IllegalArgumentException("min seconds " + minSeconds + " must be in (0, example seconds " + exampleSeconds + "]");
        }
        if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
            throw new IllegalArgumentException("confidence threshold " + confidenceThreshold + " must be in [0, 1]");
        }
        assert hop > 0;
    }

    private static void checkWhole(String what, double seconds, int frameRate) {
        double frames = seconds * frameRate;
        if (Math.abs(frames - Math.rint(frames)) > 1e-9) {
            throw new IllegalArgumentException(what + " " + seconds + " is not a whole number of frames at " + frameRate
                    + " frames/s (" + frames + ")");
        }
    }

    /** Samples per frame. */
    public int hopSamples() {
        return sampleRate / frameRate;
    }

    /** Samples per example (64000 for 4 s at 16 kHz). */
    public int exampleSamples() {
        return (int) Math.rint(exampleSeconds * frameRate) * hopSamples();
    }

    /** Frames per example, centred: {@code exampleSamples / hop + 1} (1001 for 4 s at 250 frames/s). */
    public int exampleFrames() {
        return exampleSamples() / hopSamples() + 1;
    }

    /** Samples between the starts of consecutive examples. */
    public int strideSamples() {
        return (int) Math.rint(hopSeconds * frameRate) * hopSamples();
    }

    /** Shortest file kept, in samples. */
    public int minSamples() {
        return (int) Math.ceil(minSeconds * sampleRate);
    }

    /** Number of eval shards. */
    public int evalShards() {
        return Math.max(1, (int) Math.round(shards * evalFraction));
    }
}
