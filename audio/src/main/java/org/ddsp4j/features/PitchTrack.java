package org.ddsp4j.features;

/**
 * A monophonic f0 track on a regular frame grid, as produced by {@link PitchTracker}.
 *
 * <p>All arrays have length {@code nFrames}; frame {@code i} is centred at time {@code i / frameRate}
 * seconds (sample {@code i * hop} of the analysed signal).
 *
 * @param f0Hz fundamental frequency in Hz, {@code [nFrames]}; always finite and positive. On unvoiced
 *     frames it holds the pitch of the nearest voiced frame (so an oscillator driven by it never
 *     jumps to 0); when no frame is voiced it is a constant default inside {@code [fMinHz, fMaxHz]}.
 * @param confidence periodicity confidence in {@code [0, 1]}, {@code [nFrames]}: the probability mass
 *     of pitch candidates under the YIN threshold prior; near 1 for clean periodic frames, near 0 in
 *     silence and noise.
 * @param voiced the voicing decision of the Viterbi path, {@code [nFrames]}
 * @param frameRate frames per second
 */
public record PitchTrack(float[] f0Hz, float[] confidence, boolean[] voiced, int frameRate) {
    public PitchTrack {
        if (f0Hz.length != confidence.length || f0Hz.length != voiced.length) {
            throw new IllegalArgumentException("PitchTrack arrays differ in length: f0Hz " + f0Hz.length
                    + ", confidence " + confidence.length + ", voiced " + voiced.length);
        }
        if (frameRate <= 0) {
            throw new IllegalArgumentException("frameRate must be positive, got " + frameRate);
        }
    }

    /** Number of frames. */
    public int nFrames() {
        return f0Hz.length;
    }
}
