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
            if (confidence[i] >= confidenceThreshold && f0Hz[i] > 0) {
                sp += Conversions.hzToMidi(f0Hz[i]);
                sl += loudnessDb[i];
                on++;
            }
        }
        double octave = 0, ldShift = 0;
        if (auto && on > 0 && Double.isFinite(trainPitchMidi)) {
            // Whole octaves only, so the melody keeps its key: the nearest octave to the training range.
            octave = 12 * Math.round((trainPitchMidi - sp / on) / 12);
        }
        if (auto && on > 0 && Double.isFinite(trainLoudnessDb)) ldShift = trainLoudnessDb - sl / on;
        double ratio = Math.pow(2, (octave + pitchShift) / 12), totalDb = ldShift + loudnessShift;
        float[] f = new float[n], l = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (f0Hz[i] * ratio);
            double v = loudnessDb[i] + totalDb;
            if (auto && confidence[i] < confidenceThreshold) v -= quietDb;
            l[i] = (float) Math.max(-Conversions.DB_RANGE, Math.min(0, v));
        }
        return new Adjusted(f, l, octave, ldShift);
    }
}
