package org.ddsp4j.prepare;

import org.ddsp4j.features.AudioFeatures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test-only audio I/O and features, standing in for the real ones so the pipeline can be tested on its own. */
final class TestDoubles {
    private TestDoubles() {}

    /** Writes 16-bit PCM mono WAV. */
    static void writeWav(Path file, float[] x, int rate) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * x.length);
        for (float v : x) b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
    }

    /** Reads what {@link #writeWav} writes (canonical 44-byte header, 16-bit mono, no resampling). */
    static final class WavLoader implements AudioLoader {
        @Override
        public float[] readMono(Path file, int sampleRate) throws IOException {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            if (all.length < 44 || !new String(all, 0, 4).equals("RIFF") || !new String(all, 8, 4).equals("WAVE")) {
                throw new IOException(file + ": not a RIFF/WAVE file");
            }
            int rate = b.getInt(24);
            if (rate != sampleRate) throw new IOException(file + ": rate " + rate + ", test loader cannot resample");
            int n = b.getInt(40) / 2;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = b.getShort(44 + 2 * i) / 32767f;
            return x;
        }
    }

    /**
     * Features that depend on the audio around each frame centre, so wrong slicing or missing context
     * shows: f0 = 100 + 1000 |x[k hop]|, confidence 1 on even frames and 0.3 on odd ones, loudness =
     * dB of the RMS of the 512 samples around the centre (zeros outside the signal).
     */
    static final class ContextFeatures implements FeatureExtractor {
        @Override
        public AudioFeatures extract(float[] audio, int sampleRate, int frameRate) {
            int hop = sampleRate / frameRate;
            int n = audio.length / hop + 1;
            float[] f0 = new float[n], c = new float[n], l = new float[n];
            for (int k = 0; k < n; k++) {
                int centre = k * hop;
                f0[k] = 100 + 1000 * Math.abs(centre < audio.length ? audio[centre] : 0);
                c[k] = k % 2 == 0 ? 1f : 0.3f;
                double e = 0;
                for (int i = centre - 256; i < centre + 256; i++) if (i >= 0 && i < audio.length) e += audio[i] * audio[i];
                l[k] = (float) (10 * Math.log10(e / 512 + 1e-10));
            }
            boolean[] voiced = new boolean[c.length];
            for (int i = 0; i < c.length; i++) voiced[i] = c[i] >= 0.5f;
            return new AudioFeatures(f0, c, voiced, l, frameRate);
        }
    }

    /** A tone whose amplitude and frequency drift, so every frame differs. */
    static float[] tone(int n, int rate, double hz, double seed) {
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            phase += 2 * Math.PI * hz * (1 + 0.05 * Math.sin(t + seed)) / rate;
            x[i] = (float) ((0.2 + 0.15 * Math.sin(0.7 * t + seed)) * Math.sin(phase));
        }
        return x;
    }
}
