package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tiny-48k end to end: it trains on a 48 kHz tone, and its harmonic bank reaches past 16 kHz's Nyquist
 * (the partials stand where k * f0 says) without a partial folding back from above 24 kHz.
 */
class HighRateTest {
    private static final double F0 = 220;

    /** tiny-48k with a small network and short examples; the rate-scaled synthesis, noise and loss are kept. */
    static ModelConfig small48k() {
        return ModelConfig.builtIn("tiny-48k").with(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "audio.example_seconds=0.2", "audio.example_hop_seconds=0.1", "reverb.type=none", "train.batch=2",
                "train.learning_rate=0.01", "train.checkpoint_every=10"));
    }

    /** 0.8 s of a 220 Hz tone with partials 1/k up to 20 kHz (90 of them) and a loudness swell. */
    static float[] tone(int sr) {
        float[] x = new float[(int) (0.8 * sr)];
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr, env = 0.1 + 0.05 * Math.sin(Math.PI * t / 0.8), s = 0;
            for (int k = 1; k * F0 <= 20000; k++) s += Math.sin(2 * Math.PI * k * F0 * t) / k;
            x[i] = (float) (env * s);
        }
        return x;
    }

    /** Hann-windowed magnitude of {@code x} at {@code hz}, in dB (a DFT at one frequency, in double). */
    static double levelDb(float[] x, int sr, double hz) {
        double re = 0, im = 0, w = 2 * Math.PI * hz / sr;
        for (int n = 0; n < x.length; n++) {
            double h = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / x.length), a = h * x[n];
            re += a * Math.cos(w * n);
            im -= a * Math.sin(w * n);
        }
        return 10 * Math.log10(re * re + im * im + 1e-30);
    }

    /** The harmonic part of the dry model at a constant f0 and loudness. */
    static float[] harmonic(Autoencoder m, float f0Hz, float loudnessDb, int frames) {
        float[] f0 = new float[frames], ld = new float[frames];
        java.util.Arrays.fill(f0, f0Hz);
        java.util.Arrays.fill(ld, loudnessDb);
        try (GradMode g = GradMode.off()) {
            return m.forward(Tensor.of(f0, 1, frames), Tensor.of(ld, 1, frames), false, new SplittableRandom(1)).harmonic().data();
        }
    }

    @Test
    void trainsAt48kHzAndItsHarmonicsReachAbove8kHzWithoutAliasing(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = small48k();
        assertEquals(48000, cfg.sampleRate());
        int sr = cfg.sampleRate();
        List<DdspExample> ex = Examples.windows(tone(sr), sr, cfg.frameRate(), cfg.hop(), cfg.exampleFrames(), cfg.exampleFrames() / 2);
        assertTrue(ex.size() >= 4, "examples: " + ex.size());
        Trainer t = new Trainer(cfg, new ModelDir(tmp.resolve("m")), ex, List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        double before = t.evaluate(ex);
        t.train(20, 600);
        double after = t.evaluate(ex);
        assertTrue(after < 0.9 * before, "loss " + before + " -> " + after);

        // Half a second at 220 Hz: a Hann window of 24000 samples has a main lobe of +-4 Hz, far inside the 220 Hz
        // between partials, so a partial's level against the level midway between two is its height over the floor.
        float[] h = harmonic(t.model(), (float) F0, -20f, 125);
        int highest = 0;
        for (int k = 1; k * F0 < sr / 2.0 - F0; k++) {
            double peak = levelDb(h, sr, k * F0), floor = Math.max(levelDb(h, sr, (k - 0.5) * F0), levelDb(h, sr, (k + 0.5) * F0));
            if (peak - floor >= 20) highest = k;
        }
        assertTrue(highest * F0 > 16000, "highest partial " + highest * F0 + " Hz");

        // At 3100 Hz the 8th partial (24.8 kHz) is above Nyquist: it must be gone, not folded to 23.2 kHz.
        float[] high = harmonic(t.model(), 3100f, -20f, 125);
        double seventh = levelDb(high, sr, 7 * 3100), folded = levelDb(high, sr, 48000 - 8 * 3100);
        assertTrue(seventh - folded > 60, "7th partial " + seventh + " dB, at the fold of the 8th " + folded + " dB");
    }
}
