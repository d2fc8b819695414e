package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.Resampler;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.inference.Instrument;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./ddsp reverb}: acoustic transfer, the room a model learned applied to other audio. */
@CommandLine.Command(name = "reverb",
        description = "acoustic transfer: apply a trained model's learned room (reverb) to any audio",
        footer = {"",
            "If the result would clip, it is scaled down to a 0.99 peak (the gain is printed)."})
public final class ReverbCommand implements Command {
    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model;

    @CommandLine.Mixin
    InputAudio input;

    @Option(names = "--output", required = true, paramLabel = "WAV",
            description = "16-bit WAV, as long as the input plus the reverb tail")
    Path out;

    @Option(names = "--wet-only", description = "only the reverberated signal (default: dry + wet, as the model renders)")
    boolean wetOnly;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = "resample the output to this rate (default: the model's)")
    Integer sampleRate;

    @Override
    public Integer call() throws Exception {
        Path in = input.path();
        Outputs.requireFile(out, "out.wav");
        int outRate = sampleRate == null ? 0 : sampleRate;
        if (sampleRate != null && (outRate < 1000 || outRate > 384000)) {
            throw new ParameterException(spec.commandLine(), "--sample-rate must be in 1000..384000 Hz, got " + outRate);
        }
        Instrument instrument = model.load();
        int rate = instrument.sampleRate();
        float[] y = instrument.applyRoom(instrument.read(in), wetOnly);
        if (outRate > 0 && outRate != rate) {
            y = Resampler.resample(y, rate, outRate);
            rate = outRate;
        }
        float peak = 0;
        for (float v : y) peak = Math.max(peak, Math.abs(v));
        String gain = "";
        if (peak > 1) {
            float g = 0.99f / peak;
            for (int i = 0; i < y.length; i++) y[i] *= g;
            gain = String.format("; scaled by %.1f dB to avoid clipping", 20 * Math.log10(g));
        }
        AudioFile.writeWav(out, y, rate, WavEncoding.PCM_16);
        System.out.printf("ddsp reverb: wrote %s (%.2f s at %d Hz%s)%n", out, y.length / (double) rate, rate, gain);
        return 0;
    }
}
