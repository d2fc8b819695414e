package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Set;
import org.ddsp4j.apps.ControlRendering;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;

/** {@code ./ddsp render}: a trained model played from a monophonic MIDI track or an f0/loudness CSV. */
public final class RenderCommand implements Command {
    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "synthesize from a monophonic MIDI track or an f0/loudness CSV";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp render --model DIR (--midi FILE.mid [--track N] | --controls FILE.csv) --output WAV
                                     [--no-reverb]

                  --model DIR        a model directory written by ./ddsp train
                  --midi FILE        a standard MIDI file; one monophonic track becomes f0 and loudness
                                     (overlapping notes: the newest sounds)
                  --track N          the MIDI track to play (default: the first with notes)
                  --controls FILE    a CSV with columns time,f0_hz,loudness_db (f0_confidence, voiced
                                     optional), e.g. from ./ddsp features; resampled to the model's frame rate
                  --output WAV       16-bit WAV at the model's sample rate
                  --no-reverb        render without the learned reverb
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("no-reverb"), Set.of("model", "midi", "track", "controls", "output"));
        if (a.has("midi") == a.has("controls")) throw new UsageException("give exactly one of --midi and --controls");
        if (a.has("track") && !a.has("midi")) throw new UsageException("--track applies to --midi only");
        int track = a.getInt("track", -1);
        if (a.has("track") && track < 0) throw new UsageException("--track must be 0 or more, got " + track);
        Path out = Path.of(a.require("output"));
        Autoencoder model = new ModelDir(Path.of(a.require("model"))).loadModel();
        ModelConfig cfg = model.config();
        AudioFeatures controls = a.has("midi")
                ? MidiControls.fromMidi(Path.of(a.get("midi", null)), cfg.frameRate(), MidiControls.Options.defaults().withTrack(track))
                : AudioFeatures.readCsv(Path.of(a.get("controls", null)));
        float[] audio = ControlRendering.render(model, controls, !a.has("no-reverb"), 1);
        AudioFile.writeWav(out, audio, cfg.sampleRate(), WavEncoding.PCM_16);
        System.out.printf("ddsp render: wrote %s (%.1f s)%n", out, audio.length / (double) cfg.sampleRate());
        return 0;
    }
}
