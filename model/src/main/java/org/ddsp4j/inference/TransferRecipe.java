package org.ddsp4j.inference;

import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.features.AudioFeatures;

/**
 * Timbre transfer's control adjustment (magenta/ddsp's {@code colab_utils.auto_adjust}, reduced to the
 * moments of the training set): the source's confident frames are moved by whole octaves to the
 * training set's mean pitch and by a gain to its mean loudness, then the manual shifts are added;
 * frames below the confidence threshold (between notes, unpitched) are made quieter so the instrument
 * does not fill the gaps. The one place this recipe is written: {@code transfer}, the demo, the
 * studio and the quality benchmark all use it.
 *
 * @param pitchShift          extra shift in semitones
 * @param loudnessShift       extra shift in dB
 * @param auto                apply the automatic octave and loudness adjustment (needs the training statistics)
 * @param quietDb             attenuation of unconfident frames when {@code auto}
 * @param confidenceThreshold f0 confidence at and above which a frame counts as pitched
 */
public record TransferRecipe(double pitchShift, double loudnessShift, boolean auto, double quietDb, float confidenceThreshold) {
    /** The defaults of {@code ./ddsp transfer}: automatic, no manual shift, 20 dB quieter gaps, confidence 0.5. */
    public static TransferRecipe defaults() {
        return new TransferRecipe(0, 0, true, 20, 0.5f);
    }

    public TransferRecipe withShifts(double semitones, double db) {
        return new TransferRecipe(semitones, db, auto, quietDb, confidenceThreshold);
    }

    public TransferRecipe withAuto(boolean on) {
        return new TransferRecipe(pitchShift, loudnessShift, on, quietDb, confidenceThreshold);
    }

    /** Adjusted controls and the automatic shifts that were applied. */
    public record Adjusted(float[] f0Hz, float[] loudnessDb, double octaveShiftSemitones, double loudnessShiftDb) {}

    /**
     * Applies the recipe.
     *
     * @param source          the source's controls (f0, confidence, loudness)
     * @param trainPitchMidi  training set's mean pitch on pitched frames (NaN: no automatic octave shift)
     * @param trainLoudnessDb training set's mean loudness on pitched frames (NaN: no automatic loudness match)
     */
    public Adjusted apply(AudioFeatures source, double trainPitchMidi, double trainLoudnessDb) {
        float[] f0Hz = source.f0Hz(), confidence = source.f0Confidence(), loudnessDb = source.loudnessDb();
        int n = f0Hz.length;
        double sp = 0, sl = 0;
        int on = 0;
        for (int i = 0; i < n; i++) {
            if (pitched(f0Hz[i], confidence[i])) {
                sp += Conversions.hzToMidi(f0Hz[i]);
                sl += loudnessDb[i];
                on++;
            }
        }
        double octave = on > 0 ? octaveShift(trainPitchMidi, sp / on) : 0;
        double ldShift = on > 0 ? loudnessShift(trainLoudnessDb, sl / on) : 0;
        float[] f = new float[n], l = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = f0(f0Hz[i], octave);
            l[i] = loudness(loudnessDb[i], confidence[i], ldShift);
        }
        return new Adjusted(f, l, octave, ldShift);
    }

    /** Whether a frame counts as pitched: confidence at or above the threshold and a positive f0. */
    public boolean pitched(float f0Hz, float confidence) {
        return confidence >= confidenceThreshold && f0Hz > 0;
    }

    /**
     * The automatic octave shift in semitones: whole octaves only, so the melody keeps its key, the nearest to
     * the training range ({@code 12 round((train - source) / 12)}); 0 when not {@code auto} or the training
     * pitch is unknown (NaN).
     */
    public double octaveShift(double trainPitchMidi, double sourcePitchMidi) {
        return auto ? wholeOctaves(trainPitchMidi, sourcePitchMidi) : 0;
    }

    /** The automatic loudness shift in dB ({@code train - source}); 0 when not {@code auto} or either is unknown. */
    public double loudnessShift(double trainLoudnessDb, double sourceLoudnessDb) {
        return auto ? gain(trainLoudnessDb, sourceLoudnessDb) : 0;
    }

    private static double wholeOctaves(double trainPitchMidi, double sourcePitchMidi) {
        if (!Double.isFinite(trainPitchMidi) || !Double.isFinite(sourcePitchMidi)) return 0;
        return 12 * Math.round((trainPitchMidi - sourcePitchMidi) / 12);
    }

    private static double gain(double trainLoudnessDb, double sourceLoudnessDb) {
        if (!Double.isFinite(trainLoudnessDb) || !Double.isFinite(sourceLoudnessDb)) return 0;
        return trainLoudnessDb - sourceLoudnessDb;
    }

    /** One frame's f0 played: moved by the automatic octave and the manual shift. */
    public float f0(float f0Hz, double octaveShift) {
        return (float) (f0Hz * Math.pow(2, (octaveShift + pitchShift) / 12));
    }

    /**
     * One frame's loudness played: moved by the automatic and manual shifts, {@code quietDb} lower where the
     * frame is not confident (with {@code auto}), clamped to {@code [-DB_RANGE, 0]} dB.
     */
    public float loudness(float loudnessDb, float confidence, double loudnessShift) {
        double v = loudnessDb + loudnessShift + this.loudnessShift;
        if (auto && confidence < confidenceThreshold) v -= quietDb;
        return (float) Math.max(-Conversions.DB_RANGE, Math.min(0, v));
    }

    /**
     * The recipe in causal form, for live input ({@link LiveEngine}): the source's mean pitch and loudness are
     * running estimates over its pitched frames so far (a plain mean over the first {@code windowFrames}, then
     * an exponential one with that time constant, so a new player is followed), and the automatic octave and
     * loudness shifts taken from them change only between notes (on a frame that is not pitched) or at the
     * first note, never inside one. The recipe itself (manual shifts, auto, quiet gaps) is passed with each
     * frame, so it can change at any time. Allocates nothing per frame; one instance per stream.
     */
    public static final class Live {
        private final double trainPitchMidi, trainLoudnessDb;
        private final int windowFrames, settleFrames;
        private long pitchedFrames;
        private double meanPitchMidi, meanLoudnessDb;
        private double octave, loudnessShift;
        private float f0Hz, loudnessDb;

        /**
         * @param trainPitchMidi  training set's mean pitch (NaN: no automatic octave shift)
         * @param trainLoudnessDb training set's mean loudness (NaN: no automatic loudness match)
         * @param windowFrames    frames the running estimates look back over (time constant), {@code >= 1}
         */
        public Live(double trainPitchMidi, double trainLoudnessDb, int windowFrames) {
            this(trainPitchMidi, trainLoudnessDb, windowFrames, 1);
        }

        /**
         * @param settleFrames the first note's first pitched frames over which the shifts are still re-decided from
         *                     the running estimates ({@code >= 1}): a note's onset is where a causal tracker errs most
         *                     (an octave, a fifth), and a shift decided on one frame would hold until the first pause
         */
        public Live(double trainPitchMidi, double trainLoudnessDb, int windowFrames, int settleFrames) {
            if (windowFrames < 1) throw new IllegalArgumentException("windowFrames must be >= 1, got " + windowFrames);
            if (settleFrames < 1) throw new IllegalArgumentException("settleFrames must be >= 1, got " + settleFrames);
            this.trainPitchMidi = trainPitchMidi;
            this.trainLoudnessDb = trainLoudnessDb;
            this.windowFrames = windowFrames;
            this.settleFrames = settleFrames;
        }

        /** Forgets the source: the next note decides the shifts afresh. */
        public void reset() {
            pitchedFrames = 0;
            meanPitchMidi = meanLoudnessDb = 0;
            octave = loudnessShift = 0;
        }

        /**
         * Adjusts the next frame; read the result with {@link #f0Hz()} and {@link #loudnessDb()}.
         *
         * @param recipe the recipe now in force (its manual shifts and switches)
         */
        public void frame(TransferRecipe recipe, float sourceF0Hz, float confidence, float sourceLoudnessDb) {
            boolean pitched = recipe.pitched(sourceF0Hz, confidence);
            if (pitched) {
                pitchedFrames++;
                double w = 1.0 / Math.min(pitchedFrames, windowFrames);
                meanPitchMidi += w * (Conversions.hzToMidi((double) sourceF0Hz) - meanPitchMidi);
                meanLoudnessDb += w * (sourceLoudnessDb - meanLoudnessDb);
            }
            if (pitchedFrames > 0 && (!pitched || pitchedFrames <= settleFrames)) { // between notes, or settling on the first
                octave = wholeOctaves(trainPitchMidi, meanPitchMidi);
                loudnessShift = gain(trainLoudnessDb, meanLoudnessDb);
            }
            double oct = recipe.auto() ? octave : 0, ld = recipe.auto() ? loudnessShift : 0;
            f0Hz = recipe.f0(sourceF0Hz, oct);
            loudnessDb = recipe.loudness(sourceLoudnessDb, confidence, ld);
        }

        /** The adjusted f0 of the last frame, Hz. */
        public float f0Hz() {
            return f0Hz;
        }

        /** The adjusted loudness of the last frame, dB. */
        public float loudnessDb() {
            return loudnessDb;
        }

        /** The automatic octave shift now held (semitones; applied only with {@code auto}). */
        public double octaveShiftSemitones() {
            return octave;
        }

        /** The automatic loudness shift now held (dB; applied only with {@code auto}). */
        public double loudnessShiftDb() {
            return loudnessShift;
        }

        /** The running estimate of the source's pitch (MIDI) over its pitched frames, NaN before the first. */
        public double sourcePitchMidi() {
            return pitchedFrames > 0 ? meanPitchMidi : Double.NaN;
        }
    }
}
