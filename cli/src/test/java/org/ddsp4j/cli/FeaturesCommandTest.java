package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesOneRowPerFrameWithTheToneItsPitch() throws Exception {
        int sr = 44100;
        float[] x = new float[sr];  // 1 s, 440 Hz with two harmonics
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) sr;
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 880 * t));
        }
        Path wav = dir.resolve("tone.wav"), csv = dir.resolve("tone.csv");
        AudioFile.writeWav(wav, x, sr, WavEncoding.PCM_16);
        assertEquals(0, Main.run(new String[] {"features", wav.toString(), "--output", csv.toString()}));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(AudioFeatures.CSV_HEADER, lines.get(0));
        assertEquals(16000 / 64 + 1, lines.size() - 1, "n_samples / hop + 1 frames at the 16 kHz analysis rate");
        AudioFeatures f = AudioFeatures.readCsv(csv);
        assertEquals(250, f.frameRate());
        int good = 0;
        for (int i = 20; i < f.nFrames() - 20; i++) {
            if (f.voiced()[i] && Math.abs(12 * Math.log(f.f0Hz()[i] / 440.0) / Math.log(2)) < 0.5) good++;
        }
        assertTrue(good >= f.nFrames() - 45, "voiced at 440 Hz on " + good + " of " + (f.nFrames() - 40) + " inner frames");
        assertEquals(0.0, Float.parseFloat(lines.get(26).split(",")[0]) - 25 / 250.0, 1e-4, "time is the frame centre");
    }

    @Test
    void badInputGetsAnErrorNamingTheFile() throws Exception {
        Path junk = dir.resolve("notes.txt");
        Files.writeString(junk, "this is not audio at all");
        assertEquals(1, Main.run(new String[] {"features", junk.toString(), "--output", dir.resolve("x.csv").toString()}));
        assertEquals(2, Main.run(new String[] {"features", junk.toString()}), "missing --output is a usage error");
        assertEquals(2, Main.run(new String[] {"features", junk.toString(), "--output", "x.csv", "--frame-rate", "300"}));
        assertTrue(Files.notExists(dir.resolve("x.csv")));
    }
}
