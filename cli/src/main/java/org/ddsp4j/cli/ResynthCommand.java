package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.inference.Instrument;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp resynth}: f0 and loudness of a recording through a trained model. */
@CommandLine.Command(name = "resynth", description = "resynthesize a recording through a trained model")
public final class ResynthCommand implements Command {
    @CommandLine.Mixin
    ModelOption model;

    @CommandLine.Mixin
    InputAudio input;

    @Option(names = "--output", required = true, paramLabel = "WAV", description = "16-bit WAV at the model's sample rate")
    Path out;

    @Option(names = "--no-reverb", description = "render without the learned reverb (dereverberation)")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        Path in = input.path();
        Outputs.requireFile(out, "out.wav");
        Instrument instrument = model.load();
        // File to file: a long recording is read, analysed and rendered block by block (bounded memory).
        Instrument.Written w = instrument.resynthesize(in, out, !noReverb);
        System.out.printf("ddsp resynth: wrote %s (%.1f s)%n", out, w.seconds());
        return 0;
    }
}
