package org.ddsp4j.prepare;

import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.PitchTracker;

/**
 * The production features: f0 and confidence from {@link PitchTracker} (pYIN + Viterbi), loudness from
 * {@link org.ddsp4j.spectral.Loudness#loudnessDb} (A-weighted, magenta v2 convention). Both use the centred framing,
 * {@code nSamples / hop + 1} frames. The tracker is built lazily on the worker (it is not
 * serializable) and shared by threads (it is immutable).
 */
public final class DdspFeatures implements FeatureExtractor {
    private transient volatile PitchTracker tracker;

    @Override
    public AudioFeatures extract(float[] audio, int sampleRate, int frameRate) {
        return AudioFeatures.compute(audio, tracker(sampleRate, frameRate));
    }

    private PitchTracker tracker(int sampleRate, int frameRate) {
        PitchTracker t = tracker;
        if (t == null || t.sampleRate() != sampleRate || t.frameRate() != frameRate) {
            t = PitchTracker.builder(sampleRate).frameRate(frameRate).build();
            tracker = t;
        }
        return t;
    }
}
