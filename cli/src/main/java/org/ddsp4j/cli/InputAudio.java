package org.ddsp4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The recording a command plays from, given either way a user types it: {@code ./ddsp transfer --model violin
 * voice.wav ...} or {@code --input voice.wav} (a picocli mixin).
 */
final class InputAudio {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "AUDIO",
            description = "the recording: wav, flac or mp3 at any rate (channels averaged, resampled to the model's); "
                    + "it may also be given without --input")
    Path option;

    @Parameters(arity = "0..1", paramLabel = "AUDIO", description = "the same as --input AUDIO")
    Path positional;

    /** The recording; a usage error (status 2) when it is missing or given twice. */
    Path path() {
        if (option != null && positional != null) {
            throw new ParameterException(spec.commandLine(), "the recording is given twice (" + positional + " and --input "
                    + option + "): give one");
        }
        if (option == null && positional == null) {
            throw new ParameterException(spec.commandLine(), "Missing required input: give the recording as AUDIO or --input AUDIO");
        }
        return option != null ? option : positional;
    }
}
