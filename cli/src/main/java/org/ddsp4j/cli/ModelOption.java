package org.ddsp4j.cli;

import java.io.IOException;
import org.ddsp4j.inference.Instrument;
import picocli.CommandLine.Option;

/** The {@code --model} option of every command that plays a trained model (a picocli mixin). */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "DIR|NAME",
            description = "a model directory written by ./ddsp train, or the name of a built-in instrument")
    String model;

    /** The instrument named by {@code --model}. */
    Instrument load() throws IOException {
        return Instrument.load(model);
    }
}
