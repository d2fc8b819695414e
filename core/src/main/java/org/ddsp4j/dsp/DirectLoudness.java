package org.ddsp4j.dsp;

/**
 * The loudness of the direct sound: a recording's per-frame loudness with a known room's tail taken out.
 *
 * <p>In a room {@code y = x + conv(x, ir)}, the power envelope of {@code y} per frame is, for a noise-like
 * IR, the power envelope of {@code x} convolved with the IR's energy per frame:
 * {@code P_y[n] = sum_k E[k] P_x[n - k]}, {@code E[0] = 1 + (IR energy in the first hop)}, {@code E[k]} the IR's
 * energy in samples {@code [k hop, (k + 1) hop)}. Inverting that recursion frame by frame (late-reverberation
 * suppression by spectral subtraction, Lebart et al. 2001, on the loudness envelope instead of each bin):
 * <pre>
 *   P_x[n] = max((P_y[n] - sum_{k >= 1} E[k] P_x[n - k]) / E[0], P_y[n] * 10^(-MAX_ATTENUATION_DB / 10))
 * </pre>
 * in the power domain of the loudness in dB ({@code P = 10^(dB / 10)}; the loudness' reference cancels), and
 * never below the loudness floor ({@code -DB_RANGE}). It is causal (no look-ahead), so the offline, the
 * streaming and the live paths run the same {@link #next} one frame at a time and agree exactly.
 *
 * <p>Why the model wants it: a decoder conditioned on a reverberant recording's loudness is told "the level is
 * -30 dB here" in the room's tails and plays them itself, so the room never has to carry them and removing
 * the room removes nothing. Conditioned on the direct sound's loudness (taken out through the model's own
 * room, which training learns at the same time), the tails can only come from the room.
 *
 * <p>Single-threaded; {@link #next} allocates nothing.
 */
public final class DirectLoudness {
    /** The most the tail can take out of a frame, in dB: a guard against a room learned louder than the recording's. */
    public static final float MAX_ATTENUATION_DB = 60f;

    private static final double MIN_GAIN = Math.pow(10, -MAX_ATTENUATION_DB / 10);

    private final double direct;
    private final double[] tail;
    private final double[] history;
    private int newest;

    private DirectLoudness(double direct, double[] tail) {
        this.direct = direct;
        this.tail = tail;
        this.history = new double[Math.max(1, tail.length)];
    }

    /**
     * The direct sound's loudness through a room.
     *
     * @param ir  the room's impulse response without its dry path, {@code [taps]} samples (tap 0 is part of the
     *            direct frame; {@code ReverbEffect.impulseResponse()} has it zeroed)
     * @param hop samples per loudness frame, >= 1
     */
    public static DirectLoudness of(float[] ir, int hop) {
        if (hop < 1) throw new IllegalArgumentException("hop must be >= 1 samples, is " + hop);
        int frames = (ir.length + hop - 1) / hop;
        double[] energy = new double[Math.max(1, frames)];
        for (int i = 0; i < ir.length; i++) {
            float v = ir[i];
            if (!Float.isFinite(v)) throw new IllegalArgumentException("the room's impulse response has " + v + " at tap " + i);
            energy[i / hop] += (double) v * v;
        }
        double[] tail = new double[energy.length - 1];
        System.arraycopy(energy, 1, tail, 0, tail.length);
        return new DirectLoudness(1 + energy[0], tail);
    }

    /** Forgets the past: the next frame is the first of a recording (silence before it). */
    public void reset() {
        java.util.Arrays.fill(history, 0);
        newest = 0;
    }

    /**
     * The direct sound's loudness in the next frame.
     *
     * @param loudnessDb the recording's loudness in this frame, dB (A-weighted, {@code >= -DB_RANGE})
     * @return the direct sound's, dB: at most {@code loudnessDb}, at least {@code MAX_ATTENUATION_DB} below it and
     *         {@code -DB_RANGE}
     */
    public float next(float loudnessDb) {
        double[] h = history, t = tail;
        int len = t.length, at = newest;
        double late = 0;
        // h[at] is the previous frame (k = 1), h[at - 1] the one before, ... wrapping around.
        for (int k = 0; k < len; k++) {
            late += t[k] * h[at];
            at = at == 0 ? h.length - 1 : at - 1;
        }
        double p = Math.pow(10, loudnessDb / 10.0);
        double x = Math.max((p - late) / direct, p * MIN_GAIN);
        newest = newest + 1 == h.length ? 0 : newest + 1;
        h[newest] = x;
        return (float) Math.max(10 * Math.log10(Math.max(x, 1e-30)), -Conversions.DB_RANGE);
    }

    /**
     * The direct sound's loudness of a whole recording (from a fresh start; the state is left at its end).
     *
     * @param loudnessDb {@code [F]} dB
     * @param out        receives the direct loudness in dB at {@code outOff} (may be {@code loudnessDb})
     */
    public float[] apply(float[] loudnessDb, int from, int frames, float[] out, int outOff) {
        reset();
        for (int i = 0; i < frames; i++) out[outOff + i] = next(loudnessDb[from + i]);
        return out;
    }

    /** {@link #apply(float[], int, int, float[], int)} of a whole array into a new one. */
    public float[] apply(float[] loudnessDb) {
        return apply(loudnessDb, 0, loudnessDb.length, new float[loudnessDb.length], 0);
    }
}
