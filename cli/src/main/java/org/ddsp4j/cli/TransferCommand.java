package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.DataStats;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp transfer}: timbre transfer, the f0 and loudness of any recording driving a trained model. */
@CommandLine.Command(name = "transfer",
        description = "timbre transfer: drive a trained model with another recording's pitch and loudness")
public final class TransferCommand implements Command {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "a model directory written by ./ddsp train")
    Path modelDir;

    @Option(names = "--input", required = true, paramLabel = "AUDIO",
            description = "the source (voice, another instrument); wav, flac or mp3")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "WAV", description = "16-bit WAV at the model's sample rate")
    Path out;

    @Option(names = "--pitch-shift", paramLabel = "ST", description = "extra pitch shift in semitones (default 0)")
    double pitchShift;

    @Option(names = "--loudness-shift", paramLabel = "DB", description = "extra loudness shift in dB (default 0)")
    double loudnessShift;

    @Option(names = "--no-auto",
            description = "no automatic adjustment (otherwise: octave shift toward the training set's mean pitch, loudness "
                    + "matched to its mean, quiet frames between notes attenuated by 20 dB)")
    boolean noAuto;

    @Option(names = "--no-reverb", description = "render without the learned reverb")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        Result r = transfer(modelDir, input, pitchShift, loudnessShift, !noAuto, !noReverb);
        AudioFile.writeWav(out, r.audio(), r.sampleRate(), WavEncoding.PCM_16);
        System.out.printf("ddsp transfer: wrote %s (%.1f s; octave shift %+.0f semitones, loudness shift %+.1f dB automatic)%n",
                out, r.audio().length / (double) r.sampleRate(), r.octaveShift(), r.loudnessShift());
        return 0;
    }

    record Result(float[] audio, int sampleRate, double octaveShift, double loudnessShift) {}

    static Result transfer(Path modelDir, Path input, double pitchShift, double loudnessShift, boolean auto, boolean reverb)
            throws Exception {
        ModelDir dir = new ModelDir(modelDir);
        Autoencoder model = dir.loadModel();
        ModelConfig cfg = model.config();
        DataStats stats = auto && Files.isRegularFile(dir.file(ModelDir.STATS)) ? DataStats.read(dir.file(ModelDir.STATS)) : null;
        if (auto && stats == null) {
            System.err.println("ddsp transfer: " + dir.file(ModelDir.STATS) + " is missing: no automatic pitch/loudness adjustment");
        }
        float[] mono = AudioFile.readMono(input, cfg.sampleRate());
        Examples.Example ex = Examples.wholeFile(mono, cfg);
        float[][] adj = Synthesis.adjust(ex.f0Hz(), ex.f0Confidence(), ex.loudnessDb(),
                stats == null ? Double.NaN : stats.meanPitchMidi(), stats == null ? Double.NaN : stats.meanLoudnessDb(),
                pitchShift, loudnessShift, auto ? 20 : 0, DataStats.CONFIDENCE);
        float[] audio = Synthesis.render(model, adj[0], adj[1], ex.audio(), reverb, 1); // z (NSynth models) from the source
        return new Result(audio, cfg.sampleRate(), adj[2][0], adj[2][1]);
    }
}
