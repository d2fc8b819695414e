package org.ddsp4j.apps;

import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.Autoencoder;

/**
 * Synthesis from given controls rather than a recording: an f0/loudness curve from a MIDI track
 * ({@link org.ddsp4j.features.MidiControls}) or a features CSV ({@link AudioFeatures#readCsv}),
 * brought to the model's frame rate and rendered.
 */
public final class ControlRendering {
    private ControlRendering() {}

    /**
     * Renders {@code controls} with the model.
     *
     * @param reverb include the learned reverb
     * @return {@code [F * hop]} samples at the model's rate, {@code F} the control frames at the model's frame rate
     */
    public static float[] render(Autoencoder model, AudioFeatures controls, boolean reverb, long seed) {
        int rate = model.config().frameRate();
        float[][] c = toFrameRate(controls, rate);
        return model.render(c[0], c[1], null, reverb, seed);
    }

    /**
     * f0 and loudness at another frame rate by linear interpolation in time (frame {@code i} at
     * {@code i / rate} s; past the last input frame the last value holds).
     *
     * @return {@code {f0Hz [m], loudnessDb [m]}}, {@code m = round(n * frameRate / controls.frameRate())}, at least 1
     */
    public static float[][] toFrameRate(AudioFeatures controls, int frameRate) {
        if (frameRate <= 0) throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
        int n = controls.nFrames();
        if (n == 0) throw new IllegalArgumentException("controls have no frames; nothing to render");
        if (controls.frameRate() == frameRate) return new float[][] {controls.f0Hz().clone(), controls.loudnessDb().clone()};
        int m = (int) Math.max(1, Math.round(n * (double) frameRate / controls.frameRate()));
        return new float[][] {interpolate(controls.f0Hz(), controls.frameRate(), frameRate, m),
                interpolate(controls.loudnessDb(), controls.frameRate(), frameRate, m)};
    }

    private static float[] interpolate(float[] x, int inRate, int outRate, int m) {
        float[] y = new float[m];
        int n = x.length;
        for (int j = 0; j < m; j++) {
            double pos = j * (double) inRate / outRate;
            int i = (int) Math.floor(pos);
            if (i >= n - 1) {
                y[j] = x[n - 1];
            } else {
                double w = pos - i;
                y[j] = (float) ((1 - w) * x[i] + w * x[i + 1]);
            }
        }
        return y;
    }
}
