package org.ddsp4j.studio;

import java.util.Arrays;
import org.ddsp4j.features.AudioFeatures;

/**
 * Server-side checks of rendered audio against its source, with the project's own pitch tracker
 * ({@link AudioFeatures}): f0 re-extracted from both, compared frame by frame on the source's pitched frames.
 * {@code PitchCheckTest} proves it tells a right answer from the unshifted input and from noise.
 */
final class PitchCheck {
    /** Frames per second of the comparison (the project's). */
    static final int FRAME_RATE = 250;
    /** A source frame counts when its f0 confidence is at least this (the transfer recipe's threshold). */
    static final float CONFIDENCE = 0.5f;

    private PitchCheck() {}

    /**
     * The result of a comparison.
     *
     * @param frames      source frames compared (pitched)
     * @param within      of those, output frames whose f0 is within the tolerance of the expected
     * @param medianShift median of (output - source) in semitones over the compared frames where the output has an f0
     */
    record Result(int frames, int within, double medianShift) {
        double fraction() {
            return frames == 0 ? 0 : within / (double) frames;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d of %d pitched frames (%.1f %%) within tolerance, median shift %+.2f st",
                    within, frames, 100 * fraction(), medianShift);
        }
    }

    /**
     * Compares {@code output} with {@code source} shifted by {@code semitones}.
     *
     * @param offsetSamples output sample {@code n + offset} plays source sample {@code n} (a live engine's latency; 0 offline)
     * @param cents         tolerance of a frame
     */
    static Result compare(float[] source, int sourceRate, float[] output, int outputRate, int offsetSamples, double semitones,
                          double cents) {
        return compare(source, sourceRate, output, outputRate, offsetSamples, frame -> semitones, cents);
    }

    /** {@link #compare} with a shift that changes along the way ({@code semitones} of the source frame's index). */
    static Result compare(float[] source, int sourceRate, float[] output, int outputRate, int offsetSamples,
                          java.util.function.IntToDoubleFunction semitones, double cents) {
        AudioFeatures s = AudioFeatures.compute(source, sourceRate, FRAME_RATE);
        float[] out = Arrays.copyOfRange(output, Math.min(offsetSamples, output.length), output.length);
        AudioFeatures o = AudioFeatures.compute(out, outputRate, FRAME_RATE);
        int n = Math.min(s.nFrames(), o.nFrames()), frames = 0, within = 0, shifts = 0;
        double[] shift = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(s.f0Confidence()[i] >= CONFIDENCE && s.f0Hz()[i] > 0)) continue;
            frames++;
            if (!(o.f0Hz()[i] > 0) || !o.voiced()[i]) continue;
            double st = 12 * Math.log(o.f0Hz()[i] / s.f0Hz()[i]) / Math.log(2);
            shift[shifts++] = st;
            if (Math.abs(st - semitones.applyAsDouble(i)) * 100 <= cents) within++;
        }
        double[] sorted = Arrays.copyOf(shift, shifts);
        Arrays.sort(sorted);
        return new Result(frames, within, shifts == 0 ? Double.NaN : sorted[shifts / 2]);
    }

    /** Mean loudness (dB) of the frames where {@code reference} is pitched, measured on {@code audio}. */
    static double meanLoudnessDb(float[] audio, int sampleRate, float[] reference, int referenceRate) {
        AudioFeatures a = AudioFeatures.compute(audio, sampleRate, FRAME_RATE);
        AudioFeatures r = AudioFeatures.compute(reference, referenceRate, FRAME_RATE);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < Math.min(a.nFrames(), r.nFrames()); i++) {
            if (r.f0Confidence()[i] >= CONFIDENCE && r.f0Hz()[i] > 0) {
                sum += a.loudnessDb()[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
