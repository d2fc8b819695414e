package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Set;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;

/** {@code ./ddsp resynth}: f0 and loudness of a recording through a trained model. */
public final class ResynthCommand implements Command {
    @Override
    public String name() {
        return "resynth";
    }

    @Override
    public String summary() {
        return "resynthesize a recording through a trained model";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp resynth --model DIR --input AUDIO --output WAV [--no-reverb]

                  --model DIR     a model directory written by ./ddsp train
                  --input AUDIO   wav, flac or mp3 (any rate; resampled to the model's)
                  --output WAV    16-bit WAV at the model's sample rate
                  --no-reverb     render without the learned reverb (dereverberation)
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("no-reverb"), Set.of("model", "input", "output"));
        Path out = Path.of(a.require("output"));
        float[] audio = resynth(Path.of(a.require("model")), Path.of(a.require("input")), !a.has("no-reverb"));
        ModelConfig cfg = new ModelDir(Path.of(a.require("model"))).readConfig();
        AudioFile.writeWav(out, audio, cfg.sampleRate(), WavEncoding.PCM_16);
        System.out.printf("ddsp resynth: wrote %s (%.1f s)%n", out, audio.length / (double) cfg.sampleRate());
        return 0;
    }

    /** Resynthesizes {@code input} with the model in {@code modelDir}; audio at the model's rate. */
    static float[] resynth(Path modelDir, Path input, boolean reverb) throws Exception {
        ModelDir dir = new ModelDir(modelDir);
        Autoencoder model = dir.loadModel();
        ModelConfig cfg = model.config();
        float[] mono = AudioFile.readMono(input, cfg.sampleRate());
        Examples.Example ex = Examples.wholeFile(mono, cfg);
        return Synthesis.render(model, ex.f0Hz(), ex.loudnessDb(), ex.audio(), reverb, 1);
    }
}
