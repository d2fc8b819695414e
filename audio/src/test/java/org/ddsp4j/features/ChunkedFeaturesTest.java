package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ddsp4j.audio.AudioFile;
import org.junit.jupiter.api.Test;

/** Long recordings are analysed in chunks; the result agrees with one piece. */
class ChunkedFeaturesTest {
    @Test
    void chunkedAnalysisAgreesWithOnePieceOnRealViolin() throws Exception {
        Path dir = Path.of("..", "demo", "data", "violin");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".flac")).sorted().limit(3).toList();
        }
        int sr = 16000;
        float[] x = new float[0];
        for (Path f : files) {
            float[] y = AudioFile.readMono(f, sr);
            float[] z = java.util.Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, z, x.length, y.length);
            x = z;
        }
        assertTrue(x.length > 30 * sr, "at least 30 s of violin: " + x.length / sr + " s");
        PitchTracker t = PitchTracker.builder(sr).frameRate(250).build();
        AudioFeatures one = AudioFeatures.compute(x, t, 1e9, 0), chunked = AudioFeatures.compute(x, t, 7, 2);
        assertEquals(one.nFrames(), chunked.nFrames());
        int n = one.nFrames(), sameF0 = 0, sameVoicing = 0;
        double loudErr = 0;
        for (int i = 0; i < n; i++) {
            loudErr = Math.max(loudErr, Math.abs(one.loudnessDb()[i] - chunked.loudnessDb()[i]));
            if (one.voiced()[i] == chunked.voiced()[i]) sameVoicing++;
            double cents = 1200 * Math.abs(Math.log(Math.max(1e-3, one.f0Hz()[i]) / Math.max(1e-3, chunked.f0Hz()[i])) / Math.log(2));
            if (cents < 1) sameF0++;
        }
        assertTrue(loudErr < 1e-3, "loudness is local: max difference " + loudErr + " dB");
        assertTrue(sameVoicing >= 0.995 * n, "voicing agrees on " + sameVoicing + " of " + n + " frames");
        assertTrue(sameF0 >= 0.99 * n, "f0 agrees (within 1 cent) on " + sameF0 + " of " + n + " frames");
    }

    /**
     * A recording read chunk by chunk from the file (44.1 kHz stereo WAV, read and resampled in small
     * blocks) gives the features of the same recording decoded whole, to float rounding: the two run the
     * same code on the same samples, bit for bit once the JIT has compiled it; before that the Vector
     * API's lane sums round differently in the interpreter (measured: 8e-6 dB, f0 8e-8 relative). Tolerances:
     * loudness 1e-4 dB, f0 1e-6 relative, confidence 1e-5, voicing the same on every frame.
     */
    @Test
    void featuresOfAFileReadInBlocksEqualThoseOfTheWholeFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        float[] violin = AudioFile.readMono(Path.of("..", "demo", "data", "violin", "violin_phrase_vib0_s11.flac"), 44100);
        int n = 12 * 44100;
        float[][] st = {java.util.Arrays.copyOfRange(violin, 44100, 44100 + n), new float[n]};
        for (int i = 0; i < n; i++) st[1][i] = 0.5f * violin[i + 3 * 44100];
        Path wav = tmp.resolve("st.wav");
        AudioFile.writeWav(wav, st, 44100, org.ddsp4j.audio.WavEncoding.PCM_16);
        PitchTracker t = PitchTracker.builder(16000).frameRate(250).build();
        for (double[] chunking : new double[][] {{3, 0.5}, {1e9, 0}, {AudioFeatures.CHUNK_SECONDS, AudioFeatures.CHUNK_OVERLAP_SECONDS}}) {
            AudioFeatures whole = AudioFeatures.compute(AudioFile.readMono(wav, 16000), t, chunking[0], chunking[1]);
            AudioFeatures streamed;
            try (org.ddsp4j.audio.MonoSource s = AudioFile.openMono(wav, 16000, 777)) {
                streamed = AudioFeatures.compute(s, t, chunking[0], chunking[1]);
            }
            assertEquals(whole.nFrames(), streamed.nFrames());
            for (int i = 0; i < whole.nFrames(); i++) {
                assertEquals(whole.f0Hz()[i], streamed.f0Hz()[i], 1e-6 * whole.f0Hz()[i], "f0 at frame " + i);
                assertEquals(whole.f0Confidence()[i], streamed.f0Confidence()[i], 1e-5, "confidence at frame " + i);
                assertEquals(whole.voiced()[i], streamed.voiced()[i], "voicing at frame " + i);
                assertEquals(whole.loudnessDb()[i], streamed.loudnessDb()[i], 1e-4, "loudness at frame " + i);
            }
            // The CSV is written row by row: the text it was before, one String.format per row.
            Path a = tmp.resolve("a.csv");
            whole.writeCsv(a);
            StringBuilder sb = new StringBuilder(AudioFeatures.CSV_HEADER).append('\n');
            for (int i = 0; i < whole.nFrames(); i++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.3f,%.4f,%d,%.3f%n", i / 250.0, whole.f0Hz()[i],
                        whole.f0Confidence()[i], whole.voiced()[i] ? 1 : 0, whole.loudnessDb()[i]));
            }
            assertEquals(sb.toString(), Files.readString(a));
        }
    }
}
