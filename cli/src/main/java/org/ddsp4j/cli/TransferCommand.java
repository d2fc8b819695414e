package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.TransferRecipe;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp transfer}: timbre transfer, the f0 and loudness of any recording driving a trained model. */
@CommandLine.Command(name = "transfer",
        description = "timbre transfer: drive a trained model with another recording's pitch and loudness")
public final class TransferCommand implements Command {
    @CommandLine.Mixin
    ModelOption model;

    @CommandLine.Mixin
    InputAudio input;

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
        Path in = input.path();
        Outputs.requireFile(out, "out.wav");
        Instrument instrument = model.load();
        boolean auto = !noAuto;
        if (auto && !instrument.hasTrainingStatistics()) {
            System.err.println("ddsp transfer: warning: " + model.model + " has no training statistics (stats.json): "
                    + "no automatic octave and loudness adjustment; use --pitch-shift and --loudness-shift");
        }
        TransferRecipe recipe = TransferRecipe.defaults().withAuto(auto).withShifts(pitchShift, loudnessShift);
        // File to file: a long recording is read, analysed and rendered block by block (bounded memory).
        Instrument.Written t = instrument.transfer(in, out, recipe, !noReverb);
        System.out.printf("ddsp transfer: wrote %s (%.1f s; octave shift %+.0f semitones, loudness shift %+.1f dB automatic)%n",
                out, t.seconds(), t.octaveShiftSemitones(), t.loudnessShiftDb());
        return 0;
    }
}
