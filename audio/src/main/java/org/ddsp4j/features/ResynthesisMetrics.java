package org.ddsp4j.features;

import java.util.Locale;

/**
 * Resynthesis quality as in the DDSP paper (Engel et al. 2020, table 2) and magenta/ddsp's
 * {@code ddsp/training/metrics.py}: how well the features of a resynthesis (re-extracted from its
 * audio) follow the features of the input they were conditioned on.
 *
 * <p>Frames: both feature sets must share the frame rate; when the counts differ the first
 * {@code min(nInput, nResynthesis)} frames are compared (magenta truncates to the shorter the same
 * way). "Confident" frames are those where the <em>input's</em> f0 confidence is at least the
 * threshold (magenta's {@code MIN_F0_CONFIDENCE = 0.85}); the f0 metrics use only those. f0 is
 * compared in MIDI semitones, {@code 69 + 12 log2(f / 440)}, with f0 {@code <= 0} read as MIDI 0
 * (magenta's replacement of {@code -inf}).
 *
 * @param frames              frames compared
 * @param confidentFrames     of those, frames with input confidence {@code >= confidenceThreshold}
 * @param confidenceThreshold the input confidence threshold used
 * @param loudnessL1Db        mean {@code |loudness_in - loudness_out|} over all frames, dB
 * @param loudnessL1VoicedDb  the same over the confident frames only (the notes, not the silences
 *                            between them), dB; NaN without confident frames
 * @param f0L1Semitones       mean {@code |midi(f0_in) - midi(f0_out)|} over confident frames,
 *                            semitones (NaN without confident frames)
 * @param f0OutlierRatio      share of confident frames where that error exceeds
 *                            {@value #OUTLIER_SEMITONES} semitones or the resynthesis frame is not
 *                            voiced / has no f0 (untrackable); NaN without confident frames.
 *                            (magenta counts outliers per clip, see {@link #isOutlierClip()})
 * @param rawPitchAccuracy    share of confident frames where both f0s are positive and within
 *                            {@value #RPA_CENTS} cents (strictly), ignoring the resynthesis'
 *                            voicing, like {@code mir_eval.melody.raw_pitch_accuracy} as magenta
 *                            calls it; NaN without confident frames
 */
public record ResynthesisMetrics(int frames, int confidentFrames, double confidenceThreshold, double loudnessL1Db,
                                 double loudnessL1VoicedDb, double f0L1Semitones, double f0OutlierRatio, double rawPitchAccuracy) {
    /** Default input-confidence threshold for the f0 metrics (magenta's {@code MIN_F0_CONFIDENCE}). */
    public static final double MIN_F0_CONFIDENCE = 0.85;
    /** f0 error beyond which a frame (or, in magenta, a clip) is an outlier, semitones. */
    public static final double OUTLIER_SEMITONES = 12;
    /** Tolerance of the raw pitch accuracy, cents. */
    public static final double RPA_CENTS = 50;

    /** Metrics with the default confidence threshold {@value #MIN_F0_CONFIDENCE}. */
    public static ResynthesisMetrics compute(AudioFeatures input, AudioFeatures resynthesis) {
        return compute(input, resynthesis, MIN_F0_CONFIDENCE);
    }

    /**
     * Metrics of {@code resynthesis} against {@code input}.
     *
     * @throws IllegalArgumentException on different frame rates, no frames, a threshold outside
     *                                  [0, 1], or non-finite loudness / f0 values
     */
    public static ResynthesisMetrics compute(AudioFeatures input, AudioFeatures resynthesis, double confidenceThreshold) {
        if (input.frameRate() != resynthesis.frameRate()) {
            throw new IllegalArgumentException("frame rates differ: input " + input.frameRate() + " vs resynthesis "
                    + resynthesis.frameRate() + " frames/s; extract both at the same rate");
        }
        if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
            throw new IllegalArgumentException("confidence threshold must be in [0, 1], got " + confidenceThreshold);
        }
        int n = Math.min(input.nFrames(), resynthesis.nFrames());
        if (n == 0) {
            throw new IllegalArgumentException("nothing to compare: input has " + input.nFrames() + " frames, resynthesis " + resynthesis.nFrames());
        }
        double loudSum = 0, voicedLoudSum = 0, f0Sum = 0;
        int confident = 0, outliers = 0, hits = 0;
        for (int i = 0; i < n; i++) {
            float lIn = input.loudnessDb()[i], lOut = resynthesis.loudnessDb()[i];
            if (!Float.isFinite(lIn) || !Float.isFinite(lOut)) {
                throw new IllegalArgumentException("loudness at frame " + i + " is not finite (input " + lIn + ", resynthesis " + lOut + " dB)");
            }
            loudSum += Math.abs(lIn - lOut);
            if (!(input.f0Confidence()[i] >= confidenceThreshold)) continue;
            float fIn = input.f0Hz()[i], fOut = resynthesis.f0Hz()[i];
            if (Float.isNaN(fIn) || Float.isNaN(fOut) || Float.isInfinite(fIn) || Float.isInfinite(fOut)) {
                throw new IllegalArgumentException("f0 at frame " + i + " is not finite (input " + fIn + ", resynthesis " + fOut + " Hz)");
            }
            confident++;
            voicedLoudSum += Math.abs(lIn - lOut);
            double err = Math.abs(midi(fIn) - midi(fOut));
            f0Sum += err;
            if (err > OUTLIER_SEMITONES || !resynthesis.voiced()[i] || !(fOut > 0)) outliers++;
            if (fIn > 0 && fOut > 0 && err * 100 < RPA_CENTS) hits++;
        }
        double none = Double.NaN;
        return new ResynthesisMetrics(n, confident, confidenceThreshold, loudSum / n, confident == 0 ? none : voicedLoudSum / confident,
                confident == 0 ? none : f0Sum / confident,
                confident == 0 ? none : outliers / (double) confident,
                confident == 0 ? none : hits / (double) confident);
    }

    /** MIDI note number of {@code hz}; 0 for {@code hz <= 0}. */
    static double midi(double hz) {
        return org.ddsp4j.dsp.Conversions.hzToMidi(hz);
    }

    /**
     * magenta's per-clip outlier rule ({@code F0CrepeMetrics}): the clip's mean f0 error exceeds
     * {@value #OUTLIER_SEMITONES} semitones. A clip without confident input frames is not scored
     * (false here; magenta discards it).
     */
    public boolean isOutlierClip() {
        return f0L1Semitones > OUTLIER_SEMITONES;
    }

    /** One JSON object, snake_case keys, NaN written as {@code null}. */
    public String toJson() {
        return "{\"frames\": " + frames
                + ", \"confident_frames\": " + confidentFrames
                + ", \"confidence_threshold\": " + num(confidenceThreshold)
                + ", \"loudness_l1_db\": " + num(loudnessL1Db)
                + ", \"loudness_l1_voiced_db\": " + num(loudnessL1VoicedDb)
                + ", \"f0_l1_semitones\": " + num(f0L1Semitones)
                + ", \"f0_outlier_ratio\": " + num(f0OutlierRatio)
                + ", \"raw_pitch_accuracy\": " + num(rawPitchAccuracy) + "}";
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        String s = String.format(Locale.ROOT, "%.6g", v);
        // %g pads with zeros ("1.00000"); trim them, but keep one digit after the point.
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
        return s;
    }

    /** A small aligned table for a terminal, one metric per line. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        row(sb, "frames compared", String.valueOf(frames), "");
        row(sb, "confident frames", confidentFrames + String.format(Locale.ROOT, " (confidence >= %.2f)", confidenceThreshold), "");
        row(sb, "loudness L1", fmt(loudnessL1Db, "%.3f"), "dB");
        row(sb, "loudness L1 voiced", fmt(loudnessL1VoicedDb, "%.3f"), "dB (confident frames)");
        row(sb, "f0 L1", fmt(f0L1Semitones, "%.3f"), "semitones");
        row(sb, "f0 outlier ratio", fmt(f0OutlierRatio, "%.4f"), "(> 12 semitones or unvoiced)");
        row(sb, "raw pitch accuracy", fmt(rawPitchAccuracy, "%.4f"), "(within 50 cents)");
        return sb.toString();
    }

    private static String fmt(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
    }

    private static void row(StringBuilder sb, String name, String value, String unit) {
        sb.append(String.format(Locale.ROOT, "%-20s %s%s%n", name, value, unit.isEmpty() ? "" : " " + unit));
    }
}
