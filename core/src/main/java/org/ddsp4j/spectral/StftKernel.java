package org.ddsp4j.spectral;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.kernel.VectorMath;

/**
 * Short-time Fourier transform on flat float arrays (non-differentiable forward; the tensor STFT op
 * builds on it). Immutable and thread-safe; one instance per configuration.
 *
 * <p>Conventions (those of {@code torch.stft(x, n_fft, hop, window=torch.hann_window(n_fft),
 * center=..., pad_mode=..., onesided=True, normalized=False)}):
 * <ul>
 *   <li>Window: periodic Hann of length {@code nFft}, {@code w[t] = 0.5 - 0.5 cos(2 pi t / nFft)}
 *       ({@code torch.hann_window(nFft)}, {@code tf.signal.hann_window(nFft)}); the window length is
 *       the FFT size.
 *   <li>{@link Padding#REFLECT} and {@link Padding#ZERO} centre the frames: the signal is padded with
 *       {@code nFft/2} samples on each side (mirror without repeating the edge sample, like
 *       {@code pad_mode='reflect'}, or zeros, like {@code pad_mode='constant'} and magenta/ddsp's
 *       {@code padding='center'}), so frame {@code i} is centred at sample {@code i*hop} and there are
 *       {@code 1 + nSamples / hop} frames (integer division).
 *   <li>{@link Padding#NONE}: frame {@code i} covers samples {@code [i*hop, i*hop + nFft)}; there are
 *       {@code 1 + (nSamples - nFft) / hop} frames.
 *   <li>Output rows are frames: complex {@code [frames, nFft/2+1]} interleaved (re, im), i.e.
 *       {@code frames * (nFft+2)} floats; power {@code |X|^2} and magnitude {@code |X|} are
 *       {@code [frames, nFft/2+1]}. No normalization: {@code X_k = sum_t w_t x_{start+t} e^{-2 pi i k t / nFft}}.
 * </ul>
 */
public final class StftKernel {
    /** How frames are placed at the signal's edges. */
    public enum Padding {
        /** No padding, frames start at {@code i*hop} (torch {@code center=False}). */
        NONE,
        /** Centred, reflect padding of {@code nFft/2} each side (torch {@code center=True, pad_mode='reflect'}). */
        REFLECT,
        /** Centred, zero padding of {@code nFft/2} each side (magenta/ddsp {@code padding='center'}). */
        ZERO
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int nFft, hop;
    private final Padding padding;
    private final RealFft fft;
    private final float[] window;

    /**
     * @param nFft    FFT size = window length in samples, a power of two {@code >= 2}
     * @param hop     hop between frames in samples, {@code >= 1}
     * @param padding edge handling; REFLECT is torch's default for {@code center=True}
     */
    public StftKernel(int nFft, int hop, Padding padding) {
        this.fft = RealFft.of(nFft); // validates nFft
        if (hop < 1) throw new IllegalArgumentException("hop must be >= 1 sample, got " + hop);
        if (padding == null) throw new IllegalArgumentException("padding must not be null");
        this.nFft = nFft;
        this.hop = hop;
        this.padding = padding;
        this.window = hannWindow(nFft);
    }

    /** Periodic Hann window {@code w[t] = 0.5 - 0.5 cos(2 pi t / n)}, {@code t in [0, n)} (like torch.hann_window). */
    public static float[] hannWindow(int n) {
        if (n < 1) throw new IllegalArgumentException("window length must be >= 1, got " + n);
        float[] w = new float[n];
        for (int t = 0; t < n; t++) w[t] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * t / n));
        return w;
    }

    public int nFft() {
        return nFft;
    }

    public int hop() {
        return hop;
    }

    public Padding padding() {
        return padding;
    }

    /** Frequency bins per frame, {@code nFft/2 + 1}; bin {@code k} is at {@code k * sampleRate / nFft} Hz. */
    public int bins() {
        return nFft / 2 + 1;
    }

    /** A copy of the analysis window ({@code [nFft]}). */
    public float[] window() {
        return window.clone();
    }

    /**
     * Number of frames for a signal of {@code nSamples}: {@code 1 + nSamples/hop} when centred,
     * {@code 1 + (nSamples - nFft)/hop} otherwise.
     *
     * @throws IllegalArgumentException when the signal is too short for the padding mode
     */
    public int frames(int nSamples) {
        switch (padding) {
            case NONE -> {
                if (nSamples < nFft) {
                    throw new IllegalArgumentException("signal of " + nSamples + " samples is shorter than nFft "
                            + nFft + "; use a centred padding or a smaller nFft");
                }
                return 1 + (nSamples - nFft) / hop;
            }
            case REFLECT -> {
                if (nSamples <= nFft / 2) {
                    throw new IllegalArgumentException("reflect padding of nFft/2 = " + nFft / 2
                            + " needs more than that many samples, got " + nSamples + "; use Padding.ZERO");
                }
                return 1 + nSamples / hop;
            }
            default -> {
                if (nSamples < 1) throw new IllegalArgumentException("signal must have >= 1 sample, got " + nSamples);
                return 1 + nSamples / hop;
            }
        }
    }

    /** Complex STFT of {@code x}; returns {@code [frames, nFft/2+1]} interleaved complex. */
    public float[] complex(float[] x) {
        float[] out = new float[frames(x.length) * (nFft + 2)];
        complex(x, 0, x.length, out, 0);
        return out;
    }

    /**
     * Complex STFT of {@code x[xOff .. xOff+nSamples)} into {@code out} from {@code outOff}:
     * {@code [frames, nFft/2+1]} interleaved (re, im), {@code frames * (nFft+2)} floats.
     */
    public void complex(float[] x, int xOff, int nSamples, float[] out, int outOff) {
        int frames = frames(nSamples);
        check(x, xOff, nSamples, "x");
        check(out, outOff, (long) frames * (nFft + 2), "out");
        int row = nFft + 2;
        Parallel.forRange(frames, minFrames(), (from, to) -> {
            for (int i = from; i < to; i++) {
                int o = outOff + i * row;
                frame(x, xOff, nSamples, i, out, o);
                fft.forward(out, o, out, o);
            }
        });
    }

    /** Power spectrogram {@code |X|^2} of {@code x}; returns {@code [frames, nFft/2+1]}. */
    public float[] power(float[] x) {
        float[] out = new float[frames(x.length) * bins()];
        spectrogram(x, 0, x.length, out, 0, false);
        return out;
    }

    /** Power spectrogram {@code |X|^2} into {@code out[outOff ..]}, {@code [frames, nFft/2+1]}. */
    public void power(float[] x, int xOff, int nSamples, float[] out, int outOff) {
        spectrogram(x, xOff, nSamples, out, outOff, false);
    }

    /** Magnitude spectrogram {@code |X|} of {@code x}; returns {@code [frames, nFft/2+1]}. */
    public float[] magnitude(float[] x) {
        float[] out = new float[frames(x.length) * bins()];
        spectrogram(x, 0, x.length, out, 0, true);
        return out;
    }

    /** Magnitude spectrogram {@code |X|} into {@code out[outOff ..]}, {@code [frames, nFft/2+1]}. */
    public void magnitude(float[] x, int xOff, int nSamples, float[] out, int outOff) {
        spectrogram(x, xOff, nSamples, out, outOff, true);
    }

    /**
     * Per-frame weighted power {@code out[outOff + i] = sum_k weights[k] |X_{i,k}|^2} (a power
     * spectrogram reduced over bins without storing it; used by loudness).
     *
     * @param weights {@code [nFft/2+1]} per-bin weights
     * @param out     receives {@code [frames]}
     */
    public void weightedPower(float[] x, int xOff, int nSamples, float[] weights, float[] out, int outOff) {
        int frames = frames(nSamples), bins = bins();
        check(x, xOff, nSamples, "x");
        check(weights, 0, bins, "weights");
        check(out, outOff, frames, "out");
        float[] w2 = interleavedWeights(weights);
        Parallel.forRange(frames, minFrames(), (from, to) -> {
            float[] buf = new float[nFft + 2], lanes = new float[S.length()];
            for (int i = from; i < to; i++) {
                frame(x, xOff, nSamples, i, buf, 0);
                out[outOff + i] = weightedPowerOfFrame(buf, w2, lanes);
            }
        });
    }

    /**
     * Weights for {@link #weightedPowerOfFrame}: each of {@code weights [nFft/2+1]} twice, once per (re, im),
     * so the reduction is one fused multiply-add over the interleaved spectrum; {@code [nFft + 2]}.
     */
    public float[] interleavedWeights(float[] weights) {
        int bins = bins();
        check(weights, 0, bins, "weights");
        float[] w2 = new float[2 * bins];
        for (int k = 0; k < bins; k++) w2[2 * k] = w2[2 * k + 1] = weights[k];
        return w2;
    }

    /**
     * One frame of {@link #weightedPower}, without allocating: {@code buf[0 .. nFft)} holds the windowed
     * frame (overwritten by its spectrum, {@code buf} is {@code [nFft + 2]}); returns
     * {@code sum_k weights[k] |X_k|^2} with {@code w2} from {@link #interleavedWeights}.
     *
     * @param lanes scratch of {@code FloatVector.SPECIES_PREFERRED.length()} floats
     */
    public float weightedPowerOfFrame(float[] buf, float[] w2, float[] lanes) {
        int len = w2.length, vecEnd = S.loopBound(len);
        fft.forward(buf, 0, buf, 0);
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j < vecEnd; j += S.length()) {
            FloatVector v = FloatVector.fromArray(S, buf, j);
            acc = v.mul(v).fma(FloatVector.fromArray(S, w2, j), acc);
        }
        // Lanes summed in a fixed order (VectorMath): the same bits interpreted and compiled.
        acc.intoArray(lanes, 0);
        float s = VectorMath.sumPairwise(lanes, 0, lanes.length);
        for (; j < len; j++) s += w2[j] * buf[j] * buf[j];
        return s;
    }

    /**
     * Writes the windowed samples {@code x[start .. start + nFft)} into {@code buf[0 .. nFft)}: an interior
     * frame exactly as the centred transforms window it.
     */
    public void windowed(float[] x, int start, float[] buf) {
        check(x, start, nFft, "x");
        float[] w = window;
        for (int t = 0; t < nFft; t++) buf[t] = x[start + t] * w[t];
    }

    private void spectrogram(float[] x, int xOff, int nSamples, float[] out, int outOff, boolean magnitude) {
        int frames = frames(nSamples), bins = bins();
        check(x, xOff, nSamples, "x");
        check(out, outOff, (long) frames * bins, "out");
        Parallel.forRange(frames, minFrames(), (from, to) -> {
            float[] buf = new float[nFft + 2];
            for (int i = from; i < to; i++) {
                frame(x, xOff, nSamples, i, buf, 0);
                fft.forward(buf, 0, buf, 0);
                int o = outOff + i * bins;
                for (int k = 0; k < bins; k++) {
                    float re = buf[2 * k], im = buf[2 * k + 1], p = re * re + im * im;
                    out[o + k] = magnitude ? (float) Math.sqrt(p) : p;
                }
            }
        });
    }

    /** Frames per parallel task: ~32k samples of FFT work each. */
    private int minFrames() {
        return Math.max(1, 32768 / nFft);
    }

    /**
     * Writes windowed frame {@code i} ({@code nFft} floats) of the signal {@code x[xOff .. xOff+n)} into
     * {@code buf[o ..]} (package-private: the differentiable STFT ops frame signals the same way).
     */
    void frame(float[] x, int xOff, int n, int i, float[] buf, int o) {
        int start = i * hop - (padding == Padding.NONE ? 0 : nFft / 2);
        float[] w = window;
        if (start >= 0 && start + nFft <= n) {
            int s = xOff + start;
            for (int t = 0; t < nFft; t++) buf[o + t] = x[s + t] * w[t];
            return;
        }
        for (int t = 0; t < nFft; t++) {
            int j = start + t;
            float v;
            if (j >= 0 && j < n) {
                v = x[xOff + j];
            } else if (padding == Padding.ZERO) {
                v = 0f;
            } else { // REFLECT: mirror about the first / last sample without repeating it
                int r = j < 0 ? -j : 2 * (n - 1) - j;
                v = x[xOff + r];
            }
            buf[o + t] = v * w[t];
        }
    }

    private static void check(float[] a, int off, long len, String what) {
        if (off < 0 || off + len > a.length) {
            throw new IllegalArgumentException(what + ": need " + len + " floats from offset " + off
                    + " but the array has " + a.length);
        }
    }
}
