package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamCommandTest {
    @Test
    void streamsControlsAndAudioIndependentlyOfTheBlockSize(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp);
        ModelConfig cfg = TestModels.config();
        // 60 frames at the model's 250 frames/s: a rising tone at -20 dB
        Path csv = tmp.resolve("controls.csv");
        StringBuilder sb = new StringBuilder(AudioFeatures.CSV_HEADER).append('\n');
        for (int i = 0; i < 60; i++) sb.append(i / 250.0).append(',').append(300 + 2 * i).append(",1,1,-20\n");
        Files.writeString(csv, sb.toString());
        Path one = tmp.resolve("one.wav"), seven = tmp.resolve("seven.wav");
        assertEquals(0, Main.run(new String[] {"stream", "--model", model.toString(), "--controls", csv.toString(),
                "--output", one.toString()}));
        assertEquals(0, Main.run(new String[] {"stream", "--model", model.toString(), "--controls", csv.toString(),
                "--output", seven.toString(), "--block-frames", "7"}));
        Audio a = AudioFile.read(one), b = AudioFile.read(seven);
        assertEquals(cfg.sampleRate(), a.sampleRate());
        assertEquals(60 * cfg.hop(), a.numFrames(), "aligned with the controls: latency removed, last frame flushed");
        assertArrayEquals(a.mono(), b.mono(), 0f, "blocks of 1 and of 7 frames give the same audio");
        double energy = 0;
        for (float v : a.mono()) energy += v * v;
        assertTrue(energy > 0, "silent stream");

        Path fromAudio = tmp.resolve("audio.wav");
        assertEquals(0, Main.run(new String[] {"stream", "--model", model.toString(), "--input", tmp.resolve("tone.wav").toString(),
                "--output", fromAudio.toString(), "--no-reverb", "--block-frames", "3"}));
        assertEquals(125 * cfg.hop(), AudioFile.read(fromAudio).numFrames(), "0.5 s of input = 125 frames");

        String[] base = {"stream", "--model", model.toString(), "--output", tmp.resolve("x.wav").toString()};
        assertEquals(2, Main.run(base), "neither --controls nor --input");
        assertEquals(2, Main.run(RenderCommandTest.concat(base, "--controls", csv.toString(), "--input", csv.toString())), "both");
        assertEquals(2, Main.run(RenderCommandTest.concat(base, "--controls", csv.toString(), "--block-frames", "0")), "empty blocks");
    }
}
