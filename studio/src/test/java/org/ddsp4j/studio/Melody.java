package org.ddsp4j.studio;

import java.io.IOException;
import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;

/** Test signals: legato harmonic melodies (five harmonics, 1/k amplitudes, continuous phase) and noise. */
final class Melody {
    private Melody() {}

    /**
     * @param midi        the notes, each {@code noteSeconds} long, repeated to fill {@code seconds} when given
     * @param amplitude   peak of the first harmonic
     * @return mono samples at {@code sampleRate}
     */
    static float[] of(double[] midi, double noteSeconds, double amplitude, int sampleRate) {
        return of(midi, noteSeconds, amplitude, sampleRate, midi.length * noteSeconds);
    }

    static float[] of(double[] midi, double noteSeconds, double amplitude, int sampleRate, double seconds) {
        float[] x = new float[(int) Math.round(seconds * sampleRate)];
        int per = (int) Math.round(noteSeconds * sampleRate);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double f = hz(midi[(i / per) % midi.length]);
            phase += 2 * Math.PI * f / sampleRate;
            double s = 0;
            for (int k = 1; k <= 5; k++) s += Math.sin(k * phase) / k;
            x[i] = (float) (amplitude * s / 1.5);
        }
        return x;
    }

    static double hz(double midi) {
        return 440 * Math.pow(2, (midi - 69) / 12);
    }

    /** Uniform white noise in [-amplitude, amplitude], seeded. */
    static float[] noise(double seconds, double amplitude, int sampleRate, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[(int) Math.round(seconds * sampleRate)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (amplitude * (2 * r.nextDouble() - 1));
        return x;
    }

    static Path write(Path file, float[] x, int sampleRate) throws IOException {
        AudioFile.writeWav(file, x, sampleRate, WavEncoding.PCM_16);
        return file;
    }
}
