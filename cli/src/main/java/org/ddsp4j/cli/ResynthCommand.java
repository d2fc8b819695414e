package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp resynth}: f0 and loudness of a recording through a trained model. */
@CommandLine.Command(name = "resynth", description = "resynthesize a recording through a trained model")
public final class ResynthCommand implements Command {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "a model directory written by ./ddsp train")
    Path modelDir;

    @Option(names = "--input", required = true, paramLabel = "AUDIO",
            description = "wav, flac or mp3 (any rate; resampled to the model's)")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "WAV", description = "16-bit WAV at the model's sample rate")
    Path out;

    @Option(names = "--no-reverb", description = "render without the learned reverb (dereverberation)")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        float[] audio = resynth(modelDir, input, !noReverb);
        ModelConfig cfg = new ModelDir(modelDir).readConfig();
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
