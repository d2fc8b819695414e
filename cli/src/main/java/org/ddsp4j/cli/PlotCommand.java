package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.apps.Decomposition;
import org.ddsp4j.inference.Instrument;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp plot}: spectrograms of a recording and its resynthesis, and the model's decomposition of it. */
@CommandLine.Command(name = "plot",
        description = "PNG plots: input vs resynthesis spectrograms, the model's decomposition of a recording")
public final class PlotCommand implements Command {
    /** File names written into the output folder. */
    static final String SPECTROGRAMS = "spectrograms.png", DECOMPOSITION = "decomposition.png";

    @CommandLine.Mixin
    ModelOption model;

    @CommandLine.Mixin
    InputAudio input;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "folder for the PNGs (created if missing): spectrograms.png (input and resynthesis, stacked) and "
                    + "decomposition.png (loudness and f0 in; predicted amplitude, harmonic distribution and noise "
                    + "magnitudes; the learned impulse response when the model has a reverb)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path in = input.path();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--output " + out + " is a file; give a folder for the PNGs");
        }
        Instrument instrument = model.load();
        Instrument.Analysis a = instrument.analyze(instrument.read(in));
        Decomposition d = instrument.decompose(a);
        Files.createDirectories(out);
        Decomposition.spectrograms(a.audio(), d.audio(), instrument.sampleRate(), 1000, 320).save(out.resolve(SPECTROGRAMS));
        d.figure(1000, 220).save(out.resolve(DECOMPOSITION));
        System.out.printf("ddsp plot: wrote %s and %s in %s%n", SPECTROGRAMS, DECOMPOSITION, out);
        return 0;
    }
}
