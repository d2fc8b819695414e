package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;

/** {@code ./ddsp transfer}: timbre transfer, the f0 and loudness of any recording driving a trained model. */
public final class TransferCommand implements Command {
    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String summary() {
        return "timbre transfer: drive a trained model with another recording's pitch and loudness";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp transfer --model DIR --input AUDIO --output WAV [options]

                  --model DIR            a model directory written by ./ddsp train
                  --input AUDIO          the source (voice, another instrument); wav, flac or mp3
                  --output WAV           16-bit WAV at the model's sample rate
                  --pitch-shift ST       extra pitch shift in semitones (default 0)
                  --loudness-shift DB    extra loudness shift in dB (default 0)
                  --no-auto              no automatic adjustment (otherwise: octave shift toward the training
                                         set's mean pitch, loudness matched to its mean, quiet frames
                                         between notes attenuated by 20 dB)
                  --no-reverb            render without the learned reverb
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("no-auto", "no-reverb"),
                Set.of("model", "input", "output", "pitch-shift", "loudness-shift"));
        Path out = Path.of(a.require("output"));
        Result r = transfer(Path.of(a.require("model")), Path.of(a.require("input")), a.getDouble("pitch-shift", 0),
                a.getDouble("loudness-shift", 0), !a.has("no-auto"), !a.has("no-reverb"));
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
        DatasetStats stats = auto && Files.isRegularFile(dir.file(ModelDir.STATS)) ? DatasetStats.read(dir.file(ModelDir.STATS)) : null;
        if (auto && stats == null) {
            System.err.println("ddsp transfer: " + dir.file(ModelDir.STATS) + " is missing: no automatic pitch/loudness adjustment");
        }
        float[] mono = AudioFile.readMono(input, cfg.sampleRate());
        Examples.Example ex = Examples.wholeFile(mono, cfg);
        float[][] adj = Synthesis.adjust(ex.f0Hz(), ex.f0Confidence(), ex.loudnessDb(),
                stats == null ? Double.NaN : stats.meanPitchMidi(), stats == null ? Double.NaN : stats.meanLoudnessDb(),
                pitchShift, loudnessShift, auto ? 20 : 0, DatasetStats.CONFIDENCE);
        float[] audio = Synthesis.render(model, adj[0], adj[1], ex.audio(), reverb, 1); // z (NSynth models) from the source
        return new Result(audio, cfg.sampleRate(), adj[2][0], adj[2][1]);
    }
}
