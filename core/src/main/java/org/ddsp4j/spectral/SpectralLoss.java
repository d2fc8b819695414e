package org.ddsp4j.spectral;

import java.util.Arrays;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * Multi-scale spectral loss (magenta/ddsp {@code losses.SpectralLoss} with L1, as in the DDSP paper
 * and {@code shared/bench/reference.py mss()}): for each FFT size {@code n} (Hann window of length
 * {@code n}, hop {@code n (1 - overlap)}, centred frames with reflect padding like
 * {@code torch.stft(center=True)}), with {@code A = |STFT(predicted)|}, {@code B = |STFT(target)|}:
 * <pre>
 *   magWeight       * mean|A - B|
 * + logMagWeight    * mean|log(A + 1e-7) - log(B + 1e-7)|
 * + deltaTimeWeight * mean|diff_time(A) - diff_time(B)|
 * + deltaFreqWeight * mean|diff_freq(A) - diff_freq(B)|
 * </pre>
 * summed over sizes, plus {@code loudnessWeight * mean|loudness(predicted) - loudness(target)|} once
 * ({@link Spectral#loudness}, nFft {@code loudnessNFft}). Means are over {@code [batch, frames, bins]}.
 *
 * <p>The magnitude and log-magnitude terms run fused on flat arrays ({@link MultiScaleKernel}: value
 * and gradient in one pass per scale, no graph); the optional delta and loudness terms are composed
 * from differentiable ops. The target is a constant: no gradient flows into it. The eps is 1e-7
 * ({@code log(x + eps)}) like reference.py and ddsp_pytorch; magenta's TF code uses
 * {@code log(max(x, 1e-5))}.
 */
public final class SpectralLoss {
    /** The DDSP paper's FFT sizes. */
    public static final int[] DEFAULT_FFT_SIZES = {2048, 1024, 512, 256, 128, 64};

    private final int[] fftSizes;
    private final double overlap;
    private final float magWeight, logMagWeight, deltaTimeWeight, deltaFreqWeight, loudnessWeight;
    private final int sampleRate, frameRate, loudnessNFft;

    private SpectralLoss(Builder b) {
        if (b.fftSizes.length == 0) throw new IllegalArgumentException("fftSizes must not be empty");
        for (int n : b.fftSizes) RealFftCheck.powerOfTwo(n);
        if (!(b.overlap >= 0 && b.overlap < 1)) throw new IllegalArgumentException("overlap must be in [0, 1), got " + b.overlap);
        fftSizes = b.fftSizes.clone();
        overlap = b.overlap;
        magWeight = b.magWeight;
        logMagWeight = b.logMagWeight;
        deltaTimeWeight = b.deltaTimeWeight;
        deltaFreqWeight = b.deltaFreqWeight;
        loudnessWeight = b.loudnessWeight;
        sampleRate = b.sampleRate;
        frameRate = b.frameRate;
        loudnessNFft = b.loudnessNFft;
        for (int n : fftSizes) hop(n);
    }

    /** Defaults: sizes 2048..64, 75 % overlap, mag 1, logmag 1, no delta or loudness terms. */
    public static SpectralLoss defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hop of FFT size {@code n}: {@code round(n (1 - overlap))}, e.g. {@code n/4} at 75 %. */
    public int hop(int n) {
        int h = (int) Math.round(n * (1 - overlap));
        if (h < 1) throw new IllegalArgumentException("overlap " + overlap + " leaves a hop < 1 sample at FFT size " + n);
        return h;
    }

    public int[] fftSizes() {
        return fftSizes.clone();
    }

    /**
     * The loss (rank 0).
     *
     * @param target    {@code [batch, nSamples]}, a constant
     * @param predicted {@code [batch, nSamples]}; receives the gradient
     */
    public Tensor loss(Tensor target, Tensor predicted) {
        if (!Arrays.equals(target.shape(), predicted.shape()) || predicted.rank() != 2) {
            throw new IllegalArgumentException("SpectralLoss needs target and predicted [batch, nSamples] of equal shape, got "
                    + Arrays.toString(target.shape()) + " and " + Arrays.toString(predicted.shape()));
        }
        Tensor total = fusedTerms(target, predicted);
        Tensor t = target.detach();
        if (deltaTimeWeight != 0 || deltaFreqWeight != 0) {
            for (int n : fftSizes) {
                Tensor a = Stft.magnitude(predicted, n, hop(n), Padding.REFLECT), b = Stft.magnitude(t, n, hop(n), Padding.REFLECT);
                if (deltaTimeWeight != 0) total = total.add(Losses.meanDifference(diff(b, 1), diff(a, 1), Losses.Type.L1).mul(deltaTimeWeight));
                if (deltaFreqWeight != 0) total = total.add(Losses.meanDifference(diff(b, 2), diff(a, 2), Losses.Type.L1).mul(deltaFreqWeight));
            }
        }
        if (loudnessWeight != 0) {
            Tensor lt = Spectral.loudness(t, sampleRate, frameRate, loudnessNFft, Loudness.DEFAULT_RANGE_DB);
            Tensor lp = Spectral.loudness(predicted, sampleRate, frameRate, loudnessNFft, Loudness.DEFAULT_RANGE_DB);
            total = total.add(Losses.meanDifference(lt, lp, Losses.Type.L1).mul(loudnessWeight));
        }
        return total;
    }

    /** First difference along {@code axis}: {@code x[i+1] - x[i]}. */
    private static Tensor diff(Tensor x, int axis) {
        int len = x.dim(axis);
        return x.slice(axis, 1, len).sub(x.slice(axis, 0, len - 1));
    }

    /** The fused magnitude + log-magnitude terms over all scales, as one op with a precomputed gradient. */
    private Tensor fusedTerms(Tensor target, Tensor predicted) {
        int rows = predicted.dim(0), nSamples = predicted.dim(1);
        boolean grad = GradMode.enabled() && predicted.requiresGrad();
        float[] gx = grad ? new float[rows * nSamples] : null;
        double value = 0;
        if (magWeight != 0 || logMagWeight != 0) {
            for (int n : fftSizes) {
                StftKernel k = new StftKernel(n, hop(n), Padding.REFLECT);
                value += MultiScaleKernel.scale(k, target.data(), predicted.data(), rows, nSamples,
                        magWeight, logMagWeight, Spectral.LOG_EPS, gx);
            }
        }
        return Tensor.fromOp("multiscale_spectral_loss", new float[] {(float) value}, new int[0], g -> {
            float[] out = predicted.gradBuffer();
            float s = g[0];
            for (int i = 0; i < out.length; i++) out[i] += s * gx[i];
        }, predicted);
    }

    /** Validation of FFT sizes with a message that says how to fix them. */
    private static final class RealFftCheck {
        static void powerOfTwo(int n) {
            if (n < 2 || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("FFT size " + n + " is not a power of two >= 2; use e.g. 2048, 1024, ..., 64");
            }
        }
    }

    /** Configuration; defaults as {@link #defaults()}. */
    public static final class Builder {
        private int[] fftSizes = DEFAULT_FFT_SIZES.clone();
        private double overlap = 0.75;
        private float magWeight = 1f, logMagWeight = 1f, deltaTimeWeight, deltaFreqWeight, loudnessWeight;
        private int sampleRate = 16000, frameRate = 250, loudnessNFft = 2048;

        private Builder() {}

        /** FFT sizes (powers of two), e.g. 4096..128 for ddsp_pytorch's default config. */
        public Builder fftSizes(int... sizes) {
            fftSizes = sizes.clone();
            return this;
        }

        /** Fraction of a window shared by consecutive frames, in {@code [0, 1)}; default 0.75 (hop n/4). */
        public Builder overlap(double o) {
            overlap = o;
            return this;
        }

        public Builder magWeight(float w) {
            magWeight = w;
            return this;
        }

        public Builder logMagWeight(float w) {
            logMagWeight = w;
            return this;
        }

        public Builder deltaTimeWeight(float w) {
            deltaTimeWeight = w;
            return this;
        }

        public Builder deltaFreqWeight(float w) {
            deltaFreqWeight = w;
            return this;
        }

        /** Weight of the L1 loudness term (dB); default 0. */
        public Builder loudnessWeight(float w) {
            loudnessWeight = w;
            return this;
        }

        /** Sample rate and loudness frame rate (Hz, frames/s) and FFT size of the loudness term; default 16000, 250, 2048 (as magenta's loss). */
        public Builder loudness(int sampleRateHz, int framesPerSecond, int nFft) {
            sampleRate = sampleRateHz;
            frameRate = framesPerSecond;
            loudnessNFft = nFft;
            return this;
        }

        public SpectralLoss build() {
            return new SpectralLoss(this);
        }
    }
}
