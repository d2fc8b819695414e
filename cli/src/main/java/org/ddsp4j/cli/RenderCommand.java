package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.inference.Instrument;
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
            description = "a standard MIDI file; one monophonic track becomes f0 and loudness (overlapping notes: the newest "
                    + "sounds)")
    Path midi;

    @Option(names = "--track", paramLabel = "N", description = "the MIDI track to play (default: the first with notes)")
    Integer track;

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
        Instrument instrument = model.load();
        float[] audio = midi != null
                ? instrument.renderMidi(midi, MidiControls.Options.defaults().withTrack(track != null ? track : -1), !noReverb)
                : instrument.render(AudioFeatures.readCsv(controlsCsv), !noReverb);
        instrument.write(out, audio);
        System.out.printf("ddsp render: wrote %s (%.1f s)%n", out, audio.length / (double) instrument.sampleRate());
        return 0;
    }
}
