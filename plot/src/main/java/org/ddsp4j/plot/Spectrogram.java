package org.ddsp4j.plot;

import org.ddsp4j.spectral.StftKernel;

/**
 * Log-magnitude spectrogram of a mono signal for plotting: periodic-Hann STFT with centred
 * (reflect-padded) frames, power in dB relative to the loudest bin ({@code 10 log10(p / max p)}),
 * floored at {@code -rangeDb} (librosa's {@code power_to_db(ref=np.max, top_db=rangeDb)}).
 *
 * @param db         [frames, bins] dB in [-rangeDb, 0]
 * @param frames     frame count; frame {@code i} is centred at {@code i * hop / sampleRate} s
 * @param bins       {@code nFft / 2 + 1}; bin {@code k} is at {@code k * sampleRate / nFft} Hz
 * @param sampleRate Hz
 * @param nFft       FFT size (window length)
 * @param hop        samples between frames
 * @param rangeDb    dynamic range shown, dB (positive)
 */
public record Spectrogram(float[] db, int frames, int bins, int sampleRate, int nFft, int hop, float rangeDb) {
    /** Default settings: {@code nFft} of 64 ms rounded to a power of two (1024 at 16 kHz), hop nFft/4, 80 dB. */
    public static Spectrogram of(float[] mono, int sampleRate) {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        int nFft = Integer.highestOneBit(Math.max(16, (int) Math.round(sampleRate * 0.064)));
        return of(mono, sampleRate, nFft, nFft / 4, 80f);
    }

    /** Spectrogram of {@code mono} {@code [nSamples]} (finite, at least one sample). */
    public static Spectrogram of(float[] mono, int sampleRate, int nFft, int hop, float rangeDb) {
        if (mono == null || mono.length == 0) throw new IllegalArgumentException("signal is null or empty; nothing to analyse");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        if (!(rangeDb > 0) || Float.isInfinite(rangeDb)) throw new IllegalArgumentException("range must be positive dB, got " + rangeDb);
        for (int i = 0; i < mono.length; i++) {
            if (!Float.isFinite(mono[i])) throw new IllegalArgumentException("sample " + i + " is " + mono[i] + "; the signal must be finite");
        }
        // Reflect padding needs more than nFft/2 samples; short signals are zero-padded instead.
        StftKernel stft = new StftKernel(nFft, hop, mono.length > nFft / 2 ? StftKernel.Padding.REFLECT : StftKernel.Padding.ZERO);
        float[] p = stft.power(mono);
        int bins = stft.bins(), frames = p.length / bins;
        float max = 0;
        for (float v : p) max = Math.max(max, v);
        float[] db = new float[p.length];
        double ref = max > 0 ? max : 1;
        for (int i = 0; i < p.length; i++) {
            db[i] = p[i] > 0 ? (float) Math.max(-rangeDb, 10 * Math.log10(p[i] / ref)) : -rangeDb;
        }
        return new Spectrogram(db, frames, bins, sampleRate, nFft, hop, rangeDb);
    }

    /** dB of frame {@code f}, bin {@code k}. */
    public float at(int f, int k) {
        return db[f * bins + k];
    }

    /**
     * A heatmap builder showing this spectrogram: time (s) on x with each frame centred on its time,
     * frequency (Hz) on y up to Nyquist, colours over {@code [-rangeDb, 0]} dB (magma).
     */
    public Heatmap.Builder heatmap() {
        double dt = hop / (double) sampleRate, df = sampleRate / (double) nFft;
        return Heatmap.ofFrames(db, frames, bins)
                .xExtent(-0.5 * dt, (frames - 0.5) * dt).xLabel("time (s)")
                .yExtent(0, (bins - 0.5) * df).yLabel("frequency (Hz)")
                .colorRange(-rangeDb, 0).colorMap(ColorMap.MAGMA).colorBarLabel("dB");
    }
}
