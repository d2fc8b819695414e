package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with a z encoder (the NSynth configuration) works in every command that plays a recording. */
class NsynthCommandsTest {
    @Test
    void evalPlotTransferResynthAndStreamPlayAnNsynthModel(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = ModelConfig.builtIn("nsynth").with(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "decoder.layers_per_stack=1", "harmonic.n_harmonics=8", "noise.n_bands=9", "audio.example_seconds=0.2",
                "audio.example_hop_seconds=0.1", "loss.fft_sizes=256,64", "train.batch=1", "encoder.z_dims=4",
                "encoder.mfcc=8", "encoder.gru_units=8", "encoder.fft_size=256", "encoder.mel_bins=32"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path in = data.resolve("tone.wav");
        AudioFile.writeWav(in, TestModels.tone(cfg, 0.5), cfg.sampleRate(), WavEncoding.PCM_16);
        Path model = tmp.resolve("model");
        Trainer t = new Trainer(cfg, new ModelDir(model), Examples.fromAudioFiles(List.of(in), cfg), List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        t.writeStats();
        t.train(1, 600);
        String m = model.toString();
        for (String cmd : List.of("resynth", "transfer", "stream")) {
            Path out = tmp.resolve(cmd + ".wav");
            assertEquals(0, Main.run(new String[] {cmd, "--model", m, "--input", in.toString(), "--output", out.toString()}), cmd);
            assertEquals(125 * cfg.hop(), AudioFile.read(out).numFrames(), cmd + ": 0.5 s in, 0.5 s out");
        }
        assertEquals(0, Main.run(new String[] {"plot", "--model", m, "--input", in.toString(), "--output", tmp.resolve("plots").toString()}));
        assertTrue(Files.size(tmp.resolve("plots").resolve(PlotCommand.DECOMPOSITION)) > 1000);
        Path metrics = tmp.resolve("metrics.json");
        assertEquals(0, Main.run(new String[] {"eval", "--model", m, "--data", data.toString(), "--output", metrics.toString()}));
        assertTrue(Files.readString(metrics).contains("loudness"), "metrics written");
        // Controls alone cannot drive a z encoder: a clear usage error, not a crash.
        Path csv = tmp.resolve("c.csv");
        Files.writeString(csv, "time,f0_hz,f0_confidence,voiced,loudness_db\n0,440,1,1,-20\n0.004,440,1,1,-20\n");
        assertEquals(2, Main.run(new String[] {"stream", "--model", m, "--controls", csv.toString(), "--output", tmp.resolve("x.wav").toString()}));
        assertEquals(1, Main.run(new String[] {"render", "--model", m, "--controls", csv.toString(), "--output", tmp.resolve("y.wav").toString()}));
        assertTrue(!Files.exists(tmp.resolve("x.wav")) && !Files.exists(tmp.resolve("y.wav")), "no partial output");
    }
}
