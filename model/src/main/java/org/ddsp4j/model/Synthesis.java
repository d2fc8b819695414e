package org.ddsp4j.model;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * Inference with a trained {@link Autoencoder}: renders audio from f0 and loudness curves, and the
 * control adjustments of timbre transfer (magenta/ddsp's {@code colab_utils.auto_adjust}, reduced to
 * moments of the training set).
 */
public final class Synthesis {
    private Synthesis() {}

    /**
     * Renders one recording's worth of controls.
     *
     * @param f0Hz       {@code [F]} Hz
     * @param loudnessDb {@code [F]} dB
     * @param reverb     include the learned reverb
     * @return {@code [F * hop]} audio
     */
    public static float[] render(Autoencoder model, float[] f0Hz, float[] loudnessDb, boolean reverb, long seed) {
        return render(model, f0Hz, loudnessDb, null, reverb, seed);
    }

    /**
     * Renders one recording's worth of controls with the recording itself, which a model with a z
     * encoder needs ({@link Autoencoder#needsAudio}); other models ignore it.
     *
     * @param audio {@code [F * hop]} the recording the controls describe, or null for a model without an encoder
     */
    public static float[] render(Autoencoder model, float[] f0Hz, float[] loudnessDb, float[] audio, boolean reverb, long seed) {
        if (f0Hz.length != loudnessDb.length) {
            throw new IllegalArgumentException("f0 has " + f0Hz.length + " frames but loudness " + loudnessDb.length);
        }
        try (GradMode g = GradMode.off()) {
            Tensor f0 = Tensor.of(f0Hz.clone(), 1, f0Hz.length), ld = Tensor.of(loudnessDb.clone(), 1, loudnessDb.length);
            Tensor au = audio == null ? null : Tensor.of(audio.clone(), 1, audio.length);
            return model.forward(f0, ld, au, reverb, new SplittableRandom(seed)).audio().data();
        }
    }

    /**
     * Timbre-transfer control adjustment.
     *
     * @param f0Hz            {@code [F]} source f0 (modified copy returned in {@code [0]})
     * @param confidence      {@code [F]} source f0 confidence
     * @param loudnessDb      {@code [F]} source loudness (modified copy returned in {@code [1]})
     * @param trainPitchMidi  training set's mean pitch on pitched frames (NaN: no automatic octave shift)
     * @param trainLoudnessDb training set's mean loudness on pitched frames (NaN: no automatic loudness match)
     * @param pitchShift      extra shift in semitones
     * @param loudnessShift   extra shift in dB
     * @param quietDb         attenuation of frames below the confidence threshold (unpitched, between notes)
     * @return {@code {f0, loudness, {octaveShiftSemitones, loudnessShiftDb}}}
     */
    public static float[][] adjust(float[] f0Hz, float[] confidence, float[] loudnessDb, double trainPitchMidi,
                                   double trainLoudnessDb, double pitchShift, double loudnessShift, double quietDb,
                                   float confidenceThreshold) {
        int n = f0Hz.length;
        double sp = 0, sl = 0;
        int on = 0;
        for (int i = 0; i < n; i++) {
            if (confidence[i] >= confidenceThreshold && f0Hz[i] > 0) {
                sp += 12 * Math.log(f0Hz[i] / 440.0) / Math.log(2) + 69;
                sl += loudnessDb[i];
                on++;
            }
        }
        double octave = 0, ldShift = 0;
        if (on > 0 && Double.isFinite(trainPitchMidi)) {
            // Whole octaves only, so the melody keeps its key: the nearest octave to the training range.
            octave = 12 * Math.round((trainPitchMidi - sp / on) / 12);
        }
        if (on > 0 && Double.isFinite(trainLoudnessDb)) ldShift = trainLoudnessDb - sl / on;
        double totalSemis = octave + pitchShift, totalDb = ldShift + loudnessShift;
        double ratio = Math.pow(2, totalSemis / 12);
        float[] f = new float[n], l = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (f0Hz[i] * ratio);
            double v = loudnessDb[i] + totalDb;
            if (confidence[i] < confidenceThreshold) v -= quietDb;
            l[i] = (float) Math.max(-80, Math.min(0, v));
        }
        return new float[][] {f, l, {(float) octave, (float) ldShift}};
    }
}
