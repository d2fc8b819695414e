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

    /**
     * What a user hears: {@code ./ddsp stream --input} and {@code ./ddsp resynth} of the same recording
     * with the demo's model write the same samples (to 16-bit WAV rounding), with and without the room.
     */
    @Test
    void streamWritesWhatResynthWritesForTheDemoModel(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = DemoCommand.demoConfig().with(java.util.List.of("decoder.hidden=32", "decoder.gru_units=32"));
        org.ddsp4j.model.Autoencoder m = new org.ddsp4j.model.Autoencoder(cfg);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (var p : m.namedParameters().entrySet()) {   // every weight and bias non-trivial, an audible room
            float[] d = p.getValue().data();
            boolean ir = p.getKey().equals("reverb.ir");
            for (int i = 0; i < d.length; i++) d[i] += (float) ((rng.nextDouble() * 2 - 1) * (ir ? 0.2 * Math.exp(-i / 300.0) : 0.05));
        }
        org.ddsp4j.model.ModelDir dir = new org.ddsp4j.model.ModelDir(tmp.resolve("demo-model"));
        dir.writeConfig(cfg);
        dir.writeCheckpoint(m, new org.ddsp4j.nn.Adam(m, org.ddsp4j.nn.Adam.Config.defaults()), 1, 0);
        Path in = tmp.resolve("in.wav");
        AudioFile.writeWav(in, TestModels.tone(cfg, 0.7), cfg.sampleRate(), org.ddsp4j.audio.WavEncoding.FLOAT_32);
        for (String[] flags : new String[][] {{}, {"--no-reverb"}}) {
            Path s = tmp.resolve("stream.wav"), r = tmp.resolve("resynth.wav");
            String[] common = {"--model", dir.dir().toString(), "--input", in.toString()};
            assertEquals(0, Main.run(RenderCommandTest.concat(RenderCommandTest.concat(new String[] {"stream"}, common),
                    RenderCommandTest.concat(flags, "--output", s.toString()))));
            assertEquals(0, Main.run(RenderCommandTest.concat(RenderCommandTest.concat(new String[] {"resynth"}, common),
                    RenderCommandTest.concat(flags, "--output", r.toString()))));
            float[] a = AudioFile.read(s).mono(), b = AudioFile.read(r).mono();
            assertEquals(b.length, a.length);
            double peak = 0, err = 0;
            for (int i = 0; i < a.length; i++) {
                peak = Math.max(peak, Math.abs(b[i]));
                err = Math.max(err, Math.abs(a[i] - b[i]));
            }
            assertTrue(peak > 0.01, "audible: peak " + peak);
            assertTrue(err <= 1e-5 * peak + 1.0 / 32768, "stream vs resynth " + java.util.Arrays.toString(flags) + ": " + err);
        }
    }
}
