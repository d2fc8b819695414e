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
}
