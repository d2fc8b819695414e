package org.ddsp4j.spectral;

import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.Tensor;

/**
 * Differentiable spectral features on {@code [batch, nSamples]} audio: magnitude and log-magnitude
 * spectrograms, mel spectrograms, MFCCs, A-weighted loudness and RMS power in dB.
 *
 * <p>Mel scale: HTK, {@code mel(f) = 2595 log10(1 + f/700)} (the scale of {@code tf.signal} that
 * magenta/ddsp uses, and of librosa with {@code htk=True}). Filters are triangles in Hz between
 * mel-spaced edge frequencies (librosa's construction), peak 1 ({@link MelNorm#NONE}) or area-normalized
 * ({@link MelNorm#SLANEY}: height {@code 2 / (f_right - f_left)}, so each filter integrates to 1 over Hz).
 */
public final class Spectral {
    /** eps of {@link #logMagnitude} and {@link #logMel}: {@code log(x + 1e-7)}, as the reference loss. */
    public static final float LOG_EPS = 1e-7f;

    /** Normalization of the mel filters. */
    public enum MelNorm {
        /** Triangles of height 1. */
        NONE,
        /** Triangles of unit area in Hz (librosa {@code norm='slaney'}). */
        SLANEY
    }

    private Spectral() {}

    /** {@code |STFT|}: {@code [batch, nSamples] -> [batch, frames, nFft/2+1]} (see {@link Stft#magnitude}). */
    public static Tensor magnitude(Tensor audio, int nFft, int hop, Padding padding) {
        return Stft.magnitude(audio, nFft, hop, padding);
    }

    /** {@code log(|STFT| + 1e-7)}: {@code [batch, nSamples] -> [batch, frames, nFft/2+1]}. */
    public static Tensor logMagnitude(Tensor audio, int nFft, int hop, Padding padding) {
        return magnitude(audio, nFft, hop, padding).add(LOG_EPS).log();
    }

    /** HTK mel of a frequency in Hz. */
    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    /** Inverse of {@link #hzToMel}. */
    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    /**
     * Mel filterbank matrix {@code [nFft/2+1, nMels]} (row = FFT bin at {@code k * sampleRate / nFft} Hz),
     * so that {@code mag [.., bins] @ M -> [.., nMels]}. Filter {@code m} rises from edge {@code m} to
     * edge {@code m+1} and falls to edge {@code m+2}, the {@code nMels + 2} edges equally spaced in
     * mel from {@code loHz} to {@code hiHz}.
     */
    public static float[] melMatrix(int sampleRate, int nFft, int nMels, double loHz, double hiHz, MelNorm norm) {
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be > 0, got " + sampleRate);
        if (nFft < 2) throw new IllegalArgumentException("nFft must be >= 2, got " + nFft);
        if (nMels < 1) throw new IllegalArgumentException("nMels must be >= 1, got " + nMels);
        if (!(loHz >= 0 && hiHz > loHz && hiHz <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("need 0 <= loHz < hiHz <= Nyquist " + sampleRate / 2.0 + ", got loHz "
                    + loHz + " hiHz " + hiHz);
        }
        int bins = nFft / 2 + 1;
        double[] edges = new double[nMels + 2];
        double m0 = hzToMel(loHz), m1 = hzToMel(hiHz);
        for (int i = 0; i < edges.length; i++) edges[i] = melToHz(m0 + (m1 - m0) * i / (nMels + 1));
        float[] w = new float[bins * nMels];
        for (int m = 0; m < nMels; m++) {
            double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
            double scale = norm == MelNorm.SLANEY ? 2.0 / (right - left) : 1.0;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / nFft;
                double up = (f - left) / (centre - left), down = (right - f) / (right - centre);
                w[k * nMels + m] = (float) (scale * Math.max(0.0, Math.min(up, down)));
            }
        }
        return w;
    }

    /**
     * Mel spectrogram of the magnitude: {@code [batch, nSamples] -> [batch, frames, nMels]}, centred
     * (reflect), HTK filters of peak 1 from {@code loHz} to {@code hiHz}.
     */
    public static Tensor melSpectrogram(Tensor audio, int sampleRate, int nFft, int hop, int nMels, double loHz, double hiHz) {
        Tensor mel = Tensor.of(melMatrix(sampleRate, nFft, nMels, loHz, hiHz, MelNorm.NONE), nFft / 2 + 1, nMels);
        return magnitude(audio, nFft, hop, Padding.REFLECT).matmul(mel);
    }

    /** {@code log(melSpectrogram + 1e-7)}: {@code [batch, frames, nMels]}. */
    public static Tensor logMel(Tensor audio, int sampleRate, int nFft, int hop, int nMels, double loHz, double hiHz) {
        return melSpectrogram(audio, sampleRate, nFft, hop, nMels, loHz, hiHz).add(LOG_EPS).log();
    }

    /**
     * Orthonormal DCT-II matrix {@code [n, nOut]}: {@code D[i][c] = s_c cos(pi c (2i+1) / (2n))},
     * {@code s_0 = sqrt(1/n)}, {@code s_c = sqrt(2/n)} (scipy {@code dct(type=2, norm='ortho')}); {@code x @ D}
     * gives the first {@code nOut} coefficients.
     */
    public static float[] dctMatrix(int n, int nOut) {
        if (n < 1 || nOut < 1 || nOut > n) throw new IllegalArgumentException("need 1 <= nOut <= n, got n " + n + " nOut " + nOut);
        float[] d = new float[n * nOut];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < nOut; c++) {
                double s = c == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
                d[i * nOut + c] = (float) (s * Math.cos(Math.PI * c * (2 * i + 1) / (2.0 * n)));
            }
        }
        return d;
    }

    /** MFCCs: orthonormal DCT-II of {@link #logMel} over the mel axis: {@code [batch, frames, nMfcc]}. */
    public static Tensor mfcc(Tensor audio, int sampleRate, int nFft, int hop, int nMels, double loHz, double hiHz, int nMfcc) {
        return logMel(audio, sampleRate, nFft, hop, nMels, loHz, hiHz).matmul(Tensor.of(dctMatrix(nMels, nMfcc), nMels, nMfcc));
    }

    /**
     * MFCCs with explicit frame placement: {@code [batch, nSamples] -> [batch, frames, nMfcc]}, the DCT of
     * {@code log(mel(|STFT|) + 1e-7)} as {@link #mfcc(Tensor, int, int, int, int, double, double, int)}.
     * {@link Padding#ZERO} places frame {@code i} at sample {@code i * hop} exactly as {@link #loudness}
     * does (and works for clips shorter than {@code nFft / 2}, which reflect padding cannot).
     */
    public static Tensor mfcc(Tensor audio, int sampleRate, int nFft, int hop, int nMels, double loHz, double hiHz, int nMfcc,
                              Padding padding) {
        Tensor mel = Tensor.of(melMatrix(sampleRate, nFft, nMels, loHz, hiHz, MelNorm.NONE), nFft / 2 + 1, nMels);
        return magnitude(audio, nFft, hop, padding).matmul(mel).add(LOG_EPS).log()
                .matmul(Tensor.of(dctMatrix(nMels, nMfcc), nMels, nMfcc));
    }

    /** A-weighted loudness with {@link Loudness}'s defaults (nFft {@link Loudness#defaultNFft}, 80 dB range). */
    public static Tensor loudness(Tensor audio, int sampleRate, int frameRate) {
        return loudness(audio, sampleRate, frameRate, Loudness.defaultNFft(sampleRate), Loudness.DEFAULT_RANGE_DB);
    }

    /**
     * Differentiable A-weighted loudness in dB, the same computation as {@link Loudness#loudnessDb}
     * (same kernel, weights and conventions: zero-padded centred frames, hop {@code sampleRate/frameRate}):
     * {@code [batch, nSamples] -> [batch, nSamples/hop + 1]}. Frames clipped at {@code -rangeDb} (or with
     * power below 1e-20) have zero gradient.
     */
    public static Tensor loudness(Tensor audio, int sampleRate, int frameRate, int nFft, float rangeDb) {
        int rows = Stft.rows(audio, "Spectral.loudness"), nSamples = audio.dim(1);
        int hop = Loudness.hop(sampleRate, frameRate);
        if (hop > nFft) {
            throw new IllegalArgumentException("hop " + hop + " (sampleRate " + sampleRate + " / frameRate " + frameRate
                    + ") exceeds nFft " + nFft + ": frames would skip samples; raise nFft or the frame rate");
        }
        if (!(rangeDb > 0)) throw new IllegalArgumentException("rangeDb must be > 0, got " + rangeDb);
        StftKernel k = new StftKernel(nFft, hop, Padding.ZERO);
        int frames = k.frames(nSamples);
        float[] w = Loudness.powerWeights(sampleRate, nFft);
        float[] x = audio.data(), power = new float[rows * frames], db = new float[rows * frames];
        for (int b = 0; b < rows; b++) k.weightedPower(x, b * nSamples, nSamples, w, power, b * frames);
        for (int i = 0; i < db.length; i++) db[i] = Loudness.powerToDb(power[i], rangeDb);
        org.ddsp4j.kernel.RealFft fft = org.ddsp4j.kernel.RealFft.of(nFft);
        return Tensor.fromOp("loudness", db, new int[] {rows, frames}, g ->
                StftFrames.adjoint(k, rows, nSamples, audio.gradBuffer(), task -> (b, f, spec) -> {
                    int i = b * frames + f;
                    double p = power[i];
                    if (!(p > 1e-20) || db[i] <= -rangeDb || g[i] == 0f) return false;
                    // d dB / dX_k = 10 / (ln 10 p) * 2 w_k X_k; the spectrum is recomputed, not stored.
                    float c = (float) (g[i] * 20.0 / (Math.log(10) * p));
                    k.frame(x, b * nSamples, nSamples, f, spec, 0);
                    fft.forward(spec, 0, spec, 0);
                    for (int j = 0; j <= nFft / 2; j++) {
                        spec[2 * j] *= c * w[j];
                        spec[2 * j + 1] *= c * w[j];
                    }
                    return true;
                }), audio);
    }

    /**
     * Differentiable RMS power in dB, the same computation as {@link Loudness#rmsDb} (rectangular centred
     * frames of {@link Loudness#defaultNFft} samples, zero padded, {@code max(10 log10(mean(x^2)), -80)}):
     * {@code [batch, nSamples] -> [batch, nSamples/hop + 1]}.
     */
    public static Tensor rmsDb(Tensor audio, int sampleRate, int frameRate) {
        int rows = Stft.rows(audio, "Spectral.rmsDb"), n = audio.dim(1);
        int hop = Loudness.hop(sampleRate, frameRate), size = Loudness.defaultNFft(sampleRate), half = size / 2;
        int frames = n / hop + 1;
        float[] x = audio.data(), db = new float[rows * frames];
        for (int b = 0; b < rows; b++) {
            float[] r = Loudness.rmsDb(java.util.Arrays.copyOfRange(x, b * n, (b + 1) * n), sampleRate, frameRate);
            System.arraycopy(r, 0, db, b * frames, frames);
        }
        return Tensor.fromOp("rms_db", db, new int[] {rows, frames}, g -> {
            float[] gx = audio.gradBuffer();
            double[] coef = new double[n + 1];
            for (int b = 0; b < rows; b++) {
                java.util.Arrays.fill(coef, 0);
                for (int f = 0; f < frames; f++) {
                    int i = b * frames + f;
                    if (db[i] <= -Loudness.DEFAULT_RANGE_DB || g[i] == 0f) continue;
                    int from = Math.max(0, f * hop - half), to = Math.min(n, f * hop - half + size);
                    double s = 0;
                    for (int t = from; t < to; t++) s += (double) x[b * n + t] * x[b * n + t];
                    if (!(s / size > 1e-20)) continue;
                    // dB = 10 log10(s / size): d/dx_t = 10 / (ln 10 s) * 2 x_t for t in the frame.
                    double c = g[i] * 20.0 / (Math.log(10) * s);
                    coef[from] += c;
                    coef[to] -= c;
                }
                double run = 0;
                for (int t = 0; t < n; t++) {
                    run += coef[t];
                    gx[b * n + t] += (float) (run * x[b * n + t]);
                }
            }
        }, audio);
    }
}
