package org.ddsp4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;

/** A tiny model trained for one step on a tone, saved in a model directory, for command tests. */
final class TestModels {
    private TestModels() {}

    static ModelConfig config() {
        return ModelConfig.builtIn("tiny").setAll(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "harmonic.n_harmonics=8", "noise.n_bands=9", "reverb.taps=64", "audio.example_seconds=0.2",
                "loss.fft_sizes=256,64", "train.batch=1"));
    }

    /** {@code seconds} of a 262 Hz tone at amplitude 0.3 at the config's rate. */
    static float[] tone(ModelConfig cfg, double seconds) {
        int sr = cfg.sampleRate();
        float[] x = new float[(int) (seconds * sr)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 262 * i / sr));
        return x;
    }

    /** Writes {@code tmp/tone.wav} (0.5 s, float) and a model trained on it in {@code tmp/model}; returns the model dir. */
    static Path trained(Path tmp) throws Exception {
        return trained(tmp, config());
    }

    /** {@link #trained(Path)} with another configuration. */
    static Path trained(Path tmp, ModelConfig cfg) throws Exception {
        Path in = tmp.resolve("tone.wav");
        AudioFile.writeWav(in, tone(cfg, 0.5), cfg.sampleRate(), WavEncoding.FLOAT_32);
        Path model = tmp.resolve("model");
        Trainer t = new Trainer(cfg, new ModelDir(model), Examples.fromAudioFiles(List.of(in), cfg), List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        t.writeStats();
        t.train(1, 600);
        return model;
    }
}
