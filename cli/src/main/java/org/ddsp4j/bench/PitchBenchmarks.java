package org.ddsp4j.bench;

import java.util.List;
import java.util.Random;
import org.ddsp4j.features.PitchTracker;

/**
 * f0 tracking: {@code pitch_track} runs {@link PitchTracker} (defaults: 250 frames/s, 40..2100 Hz)
 * over 60 s of a harmonic signal at 16 kHz in one thread (the tracker is single-threaded).
 * Real-time factor = 60 000 / median ms.
 */
public final class PitchBenchmarks {
    private PitchBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new PitchTrack60s());
    }

    static final class PitchTrack60s implements Benchmark {
        static final int SR = 16000, SECONDS = 60;
        private PitchTracker tracker;
        private float[] audio;

        @Override
        public String name() {
            return "pitch_track";
        }


        /**
         * Notes of 0.5 s on a random walk over 80..1000 Hz with 5.5 Hz vibrato, 6 decaying harmonics,
         * a 50 ms gap between notes and noise at -40 dB: every stage (candidates, Viterbi, gating) runs.
         */
        @Override
        public void setup() {
            tracker = new PitchTracker(SR);
            int n = SR * SECONDS;
            audio = new float[n];
            Random r = new Random(3);
            double phase = 0, midi = 60;
            int noteLen = SR / 2;
            for (int i = 0; i < n; i++) {
                int pos = i % noteLen;
                if (pos == 0) midi = Math.max(40, Math.min(83, midi + r.nextInt(13) - 6));
                double t = (double) i / SR;
                double f = 440 * Math.pow(2, (midi - 69) / 12 + 0.3 / 12 * Math.sin(2 * Math.PI * 5.5 * t));
                phase += 2 * Math.PI * f / SR;
                double s = 0;
                for (int h = 1; h <= 6 && h * f < SR / 2.0; h++) s += Math.sin(h * phase) / h;
                double env = pos < noteLen - SR / 20 ? 0.3 : 0;
                audio[i] = (float) (env * s + 0.003 * r.nextGaussian());
            }
            System.out.printf("pitch_track: %d s of audio at %d Hz, %d frames; x real time = %d000 / median ms%n",
                    SECONDS, SR, tracker.nFrames(n), SECONDS);
        }

        @Override
        public void runOnce() {
            tracker.track(audio);
        }
    }
}
