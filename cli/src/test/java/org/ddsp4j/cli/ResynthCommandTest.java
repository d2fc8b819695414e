package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResynthCommandTest {
    @Test
    void resynthAndTransferWriteValidWavs(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = ModelConfig.builtIn("tiny").setAll(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "harmonic.n_harmonics=8", "noise.n_bands=9", "reverb.taps=64", "audio.example_seconds=0.2",
                "loss.fft_sizes=256,64", "train.batch=1"));
        int sr = cfg.sampleRate();
        float[] tone = new float[sr / 2];
        for (int i = 0; i < tone.length; i++) tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 262 * i / sr));
        Path in = tmp.resolve("in.wav");
        AudioFile.writeWav(in, tone, sr, WavEncoding.PCM_16);
        Path model = tmp.resolve("model");
        Trainer t = new Trainer(cfg, new ModelDir(model), Examples.fromAudioFiles(List.of(in), cfg), List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        t.writeStats();
        t.train(1, 600);

        Path out = tmp.resolve("out.wav");
        assertEquals(0, Main.run(new String[] {"resynth", "--model", model.toString(), "--input", in.toString(),
                "--output", out.toString(), "--no-reverb"}));
        Audio a = AudioFile.read(out);
        assertEquals(sr, a.sampleRate());
        assertEquals(1, a.numChannels());
        assertEquals(tone.length / cfg.hop() * cfg.hop(), a.numFrames());
        double energy = 0;
        for (float v : a.mono()) {
            assertTrue(Float.isFinite(v));
            energy += v * v;
        }
        assertTrue(energy > 0, "silent output");
        Path again = tmp.resolve("again.wav");
        assertEquals(0, Main.run(new String[] {"resynth", "--model", model.toString(), "--input", in.toString(),
                "--output", again.toString(), "--no-reverb"}));
        assertEquals(-1L, java.nio.file.Files.mismatch(out, again), "resynth of the same file twice: identical bytes");

        Path out2 = tmp.resolve("transfer.wav");
        assertEquals(0, Main.run(new String[] {"transfer", "--model", model.toString(), "--input", in.toString(),
                "--output", out2.toString(), "--pitch-shift", "-12"}));
        assertEquals(sr, AudioFile.read(out2).sampleRate());
        assertEquals(2, Main.run(new String[] {"resynth", "--model", model.toString()}), "missing options are a usage error");
    }
}
