package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Set;
import org.ddsp4j.apps.RoomTransfer;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.Resampler;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelDir;

/** {@code ./ddsp reverb}: acoustic transfer, the room a model learned applied to other audio. */
public final class ReverbCommand implements Command {
    @Override
    public String name() {
        return "reverb";
    }

    @Override
    public String summary() {
        return "acoustic transfer: apply a trained model's learned room (reverb) to any audio";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp reverb --model DIR --input AUDIO --output WAV [--wet-only] [--sample-rate HZ]

                  --model DIR         a model directory written by ./ddsp train (reverb.type learned or exp_decay)
                  --input AUDIO       wav, flac or mp3 (channels averaged; resampled to the model's rate)
                  --output WAV        16-bit WAV, as long as the input plus the reverb tail
                  --wet-only          only the reverberated signal (default: dry + wet, as the model renders)
                  --sample-rate HZ    resample the output to this rate (default: the model's)

                If the result would clip, it is scaled down to a 0.99 peak (the gain is printed).
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("wet-only"), Set.of("model", "input", "output", "sample-rate"));
        Path input = Path.of(a.require("input")), out = Path.of(a.require("output"));
        int outRate = a.getInt("sample-rate", 0);
        if (a.has("sample-rate") && (outRate < 1000 || outRate > 384000)) {
            throw new UsageException("--sample-rate must be in 1000..384000 Hz, got " + outRate);
        }
        Autoencoder model = new ModelDir(Path.of(a.require("model"))).loadModel();
        int rate = model.config().sampleRate();
        float[] y = RoomTransfer.apply(model, AudioFile.readMono(input, rate), a.has("wet-only"));
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
