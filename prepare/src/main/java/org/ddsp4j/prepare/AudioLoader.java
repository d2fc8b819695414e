package org.ddsp4j.prepare;

import java.io.Serializable;
import java.nio.file.Path;

/** Reads an audio file as mono float samples at a given rate. Serializable: Beam ships it to workers. */
@FunctionalInterface
public interface AudioLoader extends Serializable {
    /**
     * @param file       the audio file (wav, flac, mp3)
     * @param sampleRate the rate to resample to, Hz
     * @return [nSamples] mono samples in [-1, 1] at {@code sampleRate}
     * @throws Exception with a message saying what is wrong with the file
     */
    float[] readMono(Path file, int sampleRate) throws Exception;
}
