package org.ddsp4j.apps;

import java.util.SplittableRandom;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.plot.ColorMap;
import org.ddsp4j.plot.Figure;
import org.ddsp4j.plot.Heatmap;
import org.ddsp4j.plot.LinePlot;
import org.ddsp4j.plot.Spectrogram;
import org.ddsp4j.plot.Waveform;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * What a trained model makes of one recording's controls, for the DDSP paper's decomposition figure:
 * the inputs (f0, loudness), the synthesizer controls the decoder predicts (overall amplitude,
 * harmonic distribution, noise band magnitudes), the learned reverb's impulse response, and the audio.
 *
 * @param f0Hz            {@code [frames]} input f0, Hz
 * @param loudnessDb      {@code [frames]} input loudness, dB
 * @param amplitude       {@code [frames]} harmonic amplitude (linear)
 * @param distribution    {@code [frames, nHarmonics]} harmonic distribution (sums to 1 per voiced frame;
 *                        0 above Nyquist)
 * @param noiseMagnitudes {@code [frames, nBands]} filtered-noise band magnitudes (linear)
 * @param impulseResponse {@code [taps]} reverb IR as applied (tap 0 zeroed), or null without a reverb
 * @param audio           {@code [frames * hop]} the model's output, with reverb when it has one (unless made without, see
 *                        {@link #of(Autoencoder, float[], float[], float[], boolean, long)})
 * @param sampleRate      Hz
 * @param frameRate       frames per second
 */
public record Decomposition(float[] f0Hz, float[] loudnessDb, float[] amplitude, float[] distribution,
                            float[] noiseMagnitudes, float[] impulseResponse, float[] audio, int frames, int nHarmonics,
                            int nBands, int sampleRate, int frameRate) {
    /** Floor of the dB colour scales of the distribution and noise heatmaps. */
    public static final float FLOOR_DB = -60f;

    /**
     * Runs the model on one recording's controls (reverb on, noise seeded by {@code seed}).
     *
     * @param f0Hz       {@code [F]} Hz
     * @param loudnessDb {@code [F]} dB
     * @param audio      {@code [F * hop]} the recording (a z encoder's input), or null for a model without one
     */
    public static Decomposition of(Autoencoder model, float[] f0Hz, float[] loudnessDb, float[] audio, long seed) {
        return of(model, f0Hz, loudnessDb, audio, true, seed);
    }

    /**
     * {@link #of(Autoencoder, float[], float[], float[], long)} with the room or without it: with {@code reverb}
     * false the record's {@code audio} is the dry signal (the impulse response is still the model's), so a caller
     * can mix in the room at any level ({@link RoomTransfer}) without a second forward pass.
     */
    public static Decomposition of(Autoencoder model, float[] f0Hz, float[] loudnessDb, float[] audio, boolean reverb, long seed) {
        if (f0Hz.length != loudnessDb.length || f0Hz.length == 0) {
            throw new IllegalArgumentException("f0 has " + f0Hz.length + " frames and loudness " + loudnessDb.length
                    + "; need the same number, at least 1");
        }
        ModelConfig cfg = model.config();
        int f = f0Hz.length;
        try (GradMode g = GradMode.off()) {
            Tensor au = audio == null || !model.needsAudio() ? null : Tensor.of(audio.clone(), 1, audio.length);
            Autoencoder.Output out = model.forward(Tensor.of(f0Hz.clone(), 1, f), Tensor.of(loudnessDb.clone(), 1, f),
                    au, reverb, new SplittableRandom(seed));
            int k = out.distribution().dim(2);
            // A model without noise shows one silent band.
            int b = out.noiseMagnitudes() == null ? 1 : out.noiseMagnitudes().dim(2);
            float[] noise = out.noiseMagnitudes() == null ? new float[f] : out.noiseMagnitudes().data().clone();
            return new Decomposition(f0Hz.clone(), loudnessDb.clone(), out.amplitude().data().clone(),
                    out.distribution().data().clone(), noise, model.impulseResponse(),
                    out.audio().data().clone(), f, k, b, cfg.sampleRate(), cfg.frameRate());
        }
    }

    /**
     * The decomposition figure, top to bottom: loudness in, f0 in, predicted amplitude, harmonic
     * distribution (dB), noise magnitudes (dB), and the impulse response when the model has a reverb.
     */
    public Figure figure(int width, int panelHeight) {
        float[] t = new float[frames];
        for (int i = 0; i < frames; i++) t[i] = i / (float) frameRate;
        double tEnd = Math.max(t[frames - 1], 1f / frameRate);
        double dt = 1.0 / frameRate;
        int panels = impulseResponse == null ? 5 : 6;
        Figure fig = new Figure(width, panels * panelHeight);
        fig.add(LinePlot.builder().title("input loudness").xLabel("time (s)").yLabel("dB").xRange(0, tEnd)
                .series("", t, loudnessDb).build());
        fig.add(LinePlot.builder().title("input f0").xLabel("time (s)").yLabel("Hz").xRange(0, tEnd).series("", t, f0Hz).build());
        fig.add(LinePlot.builder().title("predicted amplitude").xLabel("time (s)").yLabel("amplitude").xRange(0, tEnd)
                .series("", t, amplitude).build());
        fig.add(Heatmap.ofFrames(toDb(distribution, FLOOR_DB), frames, nHarmonics).title("harmonic distribution")
                .xExtent(-0.5 * dt, (frames - 0.5) * dt).xLabel("time (s)").yExtent(0.5, nHarmonics + 0.5).yLabel("harmonic")
                .colorRange(FLOOR_DB, 0).colorMap(ColorMap.MAGMA).colorBarLabel("dB").build());
        fig.add(Heatmap.ofFrames(toDb(noiseMagnitudes, FLOOR_DB), frames, nBands).title("noise magnitudes")
                .xExtent(-0.5 * dt, (frames - 0.5) * dt).xLabel("time (s)")
                .yExtent(0, sampleRate / 2.0).yLabel("frequency (Hz)")
                .colorRange(FLOOR_DB, 0).colorMap(ColorMap.MAGMA).colorBarLabel("dB").build());
        if (impulseResponse != null) {
            fig.add(Waveform.builder(impulseResponse, sampleRate).title("learned impulse response").yLabel("amplitude").build());
        }
        return fig;
    }

    /** Spectrograms of an input and its resynthesis (both at {@code sampleRate}), stacked; each in dB below its own peak. */
    public static Figure spectrograms(float[] input, float[] resynthesis, int sampleRate, int width, int panelHeight) {
        return new Figure(width, 2 * panelHeight)
                .add(Spectrogram.of(input, sampleRate).heatmap().title("input").build())
                .add(Spectrogram.of(resynthesis, sampleRate).heatmap().title("resynthesis").build());
    }

    /** {@code 20 log10(x)} per element, at least {@code floorDb} (also for {@code x <= 0}). */
    public static float[] toDb(float[] x, float floorDb) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? (float) Math.max(floorDb, 20 * Math.log10(x[i])) : floorDb;
        }
        return y;
    }
}
