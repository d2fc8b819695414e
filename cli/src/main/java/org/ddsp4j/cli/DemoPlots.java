package org.ddsp4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.plot.Figure;
import org.ddsp4j.plot.LinePlot;
import org.ddsp4j.plot.Spectrogram;
import org.ddsp4j.spectral.Loudness;

/** The demo's PNG figures: spectrograms of input and output with their loudness and f0 curves. */
final class DemoPlots {
    private static final int WIDTH = 1200, PANEL_HEIGHT = 260;

    private DemoPlots() {}

    /**
     * Input vs resynthesis: both spectrograms, the loudness of input, resynthesis and the untrained
     * model's output, and the input's f0 against the f0 tracked on the resynthesis (confident frames).
     *
     * @param input       {@code [n]} the held-out recording
     * @param resynth     {@code [n]} its resynthesis
     * @param untrained   {@code [n]} the untrained model's resynthesis (loudness reference)
     * @return {@code png}
     */
    static Path resynthesis(Path png, float[] input, float[] resynth, AudioFeatures inF, AudioFeatures outF, float[] untrained,
                            int sampleRate, int frameRate) throws IOException {
        float[] lUntrained = Loudness.loudnessDb(untrained, sampleRate, frameRate);
        int n = Math.min(Math.min(inF.nFrames(), outF.nFrames()), lUntrained.length);
        float[] t = times(n, frameRate);
        new Figure(WIDTH, 4 * PANEL_HEIGHT)
                .add(Spectrogram.of(input, sampleRate).heatmap().title("held-out violin (input)").build())
                .add(Spectrogram.of(resynth, sampleRate).heatmap().title("resynthesis by the trained model").build())
                .add(LinePlot.builder().title("A-weighted loudness").xLabel("time (s)").yLabel("dB")
                        .series("input", t, head(inF.loudnessDb(), n)).series("resynthesis", t, head(outF.loudnessDb(), n))
                        .series("untrained model", t, head(lUntrained, n)).build())
                .add(pitchPanel("f0: input vs tracked on the resynthesis", inF, outF, n, frameRate))
                .save(png);
        return png;
    }

    /** Transfer source vs output: spectrograms and the target f0 (shifted source) vs the output's tracked f0. */
    static Path transfer(Path png, float[] source, float[] transfer, AudioFeatures target, int sampleRate, int frameRate)
            throws IOException {
        AudioFeatures outF = AudioFeatures.compute(transfer, sampleRate, frameRate);
        int n = Math.min(target.nFrames(), outF.nFrames());
        new Figure(WIDTH, 3 * PANEL_HEIGHT)
                .add(Spectrogram.of(source, sampleRate).heatmap().title("flute (transfer source)").build())
                .add(Spectrogram.of(transfer, sampleRate).heatmap().title("flute melody played by the violin model").build())
                .add(pitchPanel("f0: octave-shifted flute vs tracked on the transfer", target, outF, n, frameRate))
                .save(png);
        return png;
    }

    /** f0 in MIDI on the reference's confident frames (others plotted at the panel floor would mislead: skipped). */
    private static LinePlot pitchPanel(String title, AudioFeatures ref, AudioFeatures out, int n, int frameRate) {
        int m = 0;
        for (int i = 0; i < n; i++) if (confident(ref, out, i)) m++;
        float[] t = new float[Math.max(1, m)], a = new float[t.length], b = new float[t.length];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (!confident(ref, out, i)) continue;
            t[j] = i / (float) frameRate;
            a[j] = midi(ref.f0Hz()[i]);
            b[j++] = midi(out.f0Hz()[i]);
        }
        return LinePlot.builder().title(title).xLabel("time (s)").yLabel("MIDI note")
                .series("input / target", t, a).series("tracked on output", t, b).build();
    }

    private static boolean confident(AudioFeatures ref, AudioFeatures out, int i) {
        return ref.f0Confidence()[i] >= ResynthesisMetrics.MIN_F0_CONFIDENCE && ref.f0Hz()[i] > 0 && out.f0Hz()[i] > 0;
    }

    private static float midi(float hz) {
        return (float) (69 + 12 * Math.log(hz / 440.0) / Math.log(2));
    }

    private static float[] times(int n, int frameRate) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) t[i] = i / (float) frameRate;
        return t;
    }

    private static float[] head(float[] x, int n) {
        return java.util.Arrays.copyOf(x, n);
    }
}
