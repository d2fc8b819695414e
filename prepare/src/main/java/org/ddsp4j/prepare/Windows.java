package org.ddsp4j.prepare;

import java.util.Arrays;

/**
 * Cuts a file's audio and features into examples. Pure functions on flat arrays.
 *
 * <p>Conventions: features are computed on the whole (padded) file, frame {@code k} centred on sample
 * {@code k * hop}; example {@code i} starts at sample {@code s = i * stride} (a multiple of hop) and
 * holds audio {@code [s, s + L)} and frames {@code [s / hop, s / hop + L / hop]}, so its first frame is
 * centred on its first sample and its last frame on the sample just after its end, with the real
 * neighbouring audio as context rather than padding.
 */
public final class Windows {
    private Windows() {}

    /**
     * The audio to compute features on: a file shorter than one example is zero-padded to one example;
     * with {@code padTail}, a file whose last full window leaves samples uncovered is zero-padded so one
     * more window fits. Returns {@code audio} itself when nothing is padded.
     *
     * @param audio [nSamples]
     */
    public static float[] pad(float[] audio, int exampleSamples, int strideSamples, boolean padTail) {
        int n = audio.length;
        if (n < exampleSamples) return Arrays.copyOf(audio, exampleSamples);
        if (!padTail) return audio;
        long covered = exampleSamples + (long) (n - exampleSamples) / strideSamples * strideSamples;
        if (covered == n) return audio;
        return Arrays.copyOf(audio, Math.toIntExact(covered + strideSamples));
    }

    /** Number of full windows in {@code nSamples} (0 if shorter than one example). */
    public static int count(int nSamples, int exampleSamples, int strideSamples) {
        return nSamples < exampleSamples ? 0 : (nSamples - exampleSamples) / strideSamples + 1;
    }

    /** Copies {@code n} values of {@code src} from {@code from}. */
    public static float[] slice(float[] src, int from, int n) {
        if (from < 0 || from + n > src.length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") outside [0, " + src.length + ")");
        }
        return Arrays.copyOfRange(src, from, from + n);
    }
}
