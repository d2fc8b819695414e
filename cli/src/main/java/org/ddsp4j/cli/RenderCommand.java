package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.MidiRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./ddsp render}: a trained model played from a monophonic MIDI track or an f0/loudness CSV. */
@CommandLine.Command(name = "render", description = {"synthesize from a monophonic MIDI track or an f0/loudness CSV",
    "(give exactly one of --midi and --controls)"})
public final class RenderCommand implements Command {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model;

    @Option(names = "--midi", paramLabel = "FILE.mid",
            description = "a standard MIDI file, played polyphonically: a voice per sounding note (velocity, pitch bend, CC 7 "
                    + "volume, CC 11 expression), every track with notes, each through its instrument's room")
    Path midi;

    @Option(names = "--track", paramLabel = "N", description = "play only this MIDI track (default: every track with notes; "
            + "with --monophonic the first)")
    Integer track;

    @Option(names = "--track-model", paramLabel = "N=DIR|NAME",
            description = "the instrument of MIDI track N (repeatable); other tracks play --model")
    java.util.Map<Integer, String> trackModels = new java.util.LinkedHashMap<>();

    @Option(names = "--voices", paramLabel = "N", description = "notes a track sounds at once; beyond, the quietest "
            + "releasing or the oldest note gives its voice (default ${DEFAULT-VALUE})")
    int voices = MidiRenderer.DEFAULT_VOICES;

    @Option(names = "--monophonic", description = "the earlier conversion: one track as one melody (overlapping notes: the "
            + "newest sounds), rendered offline")
    boolean monophonic;

    @Option(names = "--controls", paramLabel = "FILE.csv",
            description = "a CSV with columns time,f0_hz,loudness_db (f0_confidence, voiced optional), e.g. from ./ddsp "
                    + "features; resampled to the model's frame rate")
    Path controlsCsv;

    @Option(names = "--output", required = true, paramLabel = "WAV", description = "16-bit WAV at the model's sample rate")
    Path out;

    @Option(names = "--no-reverb", description = "render without the learned reverb")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        Outputs.requireFile(out, "out.wav");
        CommandLine cl = spec.commandLine();
        if ((midi != null) == (controlsCsv != null)) throw new ParameterException(cl, "give exactly one of --midi and --controls");
        if (track != null && midi == null) throw new ParameterException(cl, "--track applies to --midi only");
        if (track != null && track < 0) throw new ParameterException(cl, "--track must be 0 or more, got " + track);
        if (voices < 1) throw new ParameterException(cl, "--voices must be at least 1, got " + voices);
        if (midi == null && (monophonic || !trackModels.isEmpty())) {
            throw new ParameterException(cl, "--monophonic and --track-model apply to --midi only");
        }
        Instrument instrument = model.load();
        MidiControls.Options options = MidiControls.Options.defaults().withTrack(track != null ? track : -1);
        if (midi != null && !monophonic) {
            MidiControls.Score score = MidiControls.score(midi, instrument.frameRate(), options);
            java.util.Map<String, Instrument> loaded = new java.util.HashMap<>();
            List<Instrument> players = new ArrayList<>();
            for (MidiControls.Part p : score.parts()) {
                String name = trackModels.get(p.track());
                players.add(name == null ? instrument : loaded.computeIfAbsent(name, n -> {
                    try {
                        return Instrument.load(n);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (Integer t : trackModels.keySet()) {
                if (score.parts().stream().noneMatch(p -> p.track() == t)) {
                    throw new ParameterException(cl, "--track-model " + t + "=...: track " + t + " has no notes (tracks with notes: "
                            + score.parts().stream().map(p -> String.valueOf(p.track())).toList() + ")");
                }
            }
            long t0 = System.nanoTime();
            MidiRenderer.Result r = MidiRenderer.render(score, players, voices, options, !noReverb);
            double seconds = (System.nanoTime() - t0) / 1e9;
            instrument.write(out, r.audio());
            System.out.printf("ddsp render: wrote %s (%.1f s; %d notes in %d track(s), at most %d at once, %d cut short by the "
                    + "voice limit; rendered in %.1f s)%n", out, r.audio().length / (double) r.sampleRate(), r.notes(),
                    score.parts().size(), r.maxSimultaneous(), r.stolen(), seconds);
            return 0;
        }
        float[] audio = midi != null
                ? instrument.renderMidi(midi, options, !noReverb)
                : instrument.render(AudioFeatures.readCsv(controlsCsv), !noReverb);
        instrument.write(out, audio);
        System.out.printf("ddsp render: wrote %s (%.1f s)%n", out, audio.length / (double) instrument.sampleRate());
        return 0;
    }
}
