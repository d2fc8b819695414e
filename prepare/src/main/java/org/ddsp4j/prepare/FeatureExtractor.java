package org.ddsp4j.prepare;

import org.ddsp4j.features.AudioFeatures;

import java.io.Serializable;

/**
 * Computes the frame-wise controls of a whole file. Serializable: Beam ships it to workers.
 *
 * <p>Frames are centred: frame {@code k} is centred on sample {@code k * hop}, {@code hop =
 * sampleRate / frameRate}, and there are {@code nSamples / hop + 1} frames.
 */
public interface FeatureExtractor extends Serializable {

    /**
     * @param audio      [nSamples] mono audio at {@code sampleRate}
     * @param sampleRate Hz
     * @param frameRate  frames per second; {@code sampleRate % frameRate == 0}
     * @return features with {@code nSamples / (sampleRate / frameRate) + 1} frames each
     */
    AudioFeatures extract(float[] audio, int sampleRate, int frameRate);
}
