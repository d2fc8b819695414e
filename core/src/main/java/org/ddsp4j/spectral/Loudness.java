package org.ddsp4j.spectral;

import org.ddsp4j.spectral.StftKernel.Padding;

/**
 * A-weighted loudness and RMS power in dB per frame, as magenta/ddsp v2+ computes them
 * ({@code ddsp.spectral_ops.compute_loudness} / {@code compute_power} with {@code padding='center'},
 * {@code ref_db=0}, {@code range_db=80}).
 *
 * <p>Framing: hop = {@code sampleRate / frameRate} samples (must divide exactly); frames are
 * centred, frame {@code i} at sample {@code i*hop}, with {@code nFft/2} zeros padded on each side
 * (magenta pads with zeros, not by reflection), so {@code nFrames = nSamples / hop + 1}
 * (1001 frames for 4 s at 16 kHz and 250 frames/s) — the same convention as the f0 tracker and the
 * shared ground truth.
 *
 * <p>Loudness of a frame: the periodic-Hann STFT {@code X_k} of size {@code nFft} (unnormalized),
 * power {@code |X_k|^2} weighted by the A-weighting in power ({@code 10^(A(f_k)/10)}, {@code f_k =
 * k * sampleRate / nFft}, weights floored at -80 dB like {@code librosa.A_weighting(min_db=-80)} so the
 * DC bin counts for 1e-8 rather than 0), averaged over the {@code nFft/2+1} bins, then
 * {@code max(10 log10(max(p, 1e-20)), -rangeDb)} (0 dB reference). Default {@code nFft} is 512 at
 * 16 kHz and scales with the sample rate ({@link #defaultNFft}).
 *
 * <p>The A-weighting curve is the IEC 61672-1 analytic one (pole frequencies 20.598997, 107.65265,
 * 737.86223 and 12194.217 Hz), normalized to exactly 0 dB at 1 kHz. librosa (and so magenta) uses the
 * rounded constants 12200 Hz and +2.0 dB, which differ from it by less than 0.01 dB from 10 Hz to 20 kHz.
 */
public final class Loudness {
    /** Default dynamic range in dB: values are clipped from below at {@code -DEFAULT_RANGE_DB}. */
    public static final float DEFAULT_RANGE_DB = 80f;
    /** Floor of the A-weighting (dB) used inside loudness, like librosa's {@code min_db}. */
    public static final double WEIGHT_FLOOR_DB = -80.0;

    private static final double F1 = 20.598997, F2 = 107.65265, F3 = 737.86223, F4 = 12194.217;
    private static final double A1000 = aWeightingRaw(1000.0);

    private Loudness() {}

    /**
     * A-weighting in dB of each frequency (IEC 61672-1 formula, 0 dB at 1 kHz; {@code -Infinity} at 0 Hz).
     *
     * @param freqsHz frequencies in Hz, {@code >= 0}
     */
    public static float[] aWeightingDb(float[] freqsHz) {
        float[] out = new float[freqsHz.length];
        for (int i = 0; i < freqsHz.length; i++) {
            float f = freqsHz[i];
            if (!(f >= 0)) throw new IllegalArgumentException("frequency " + i + " must be >= 0 Hz, got " + f);
            out[i] = (float) aWeightingDb(f);
        }
        return out;
    }

    /** A-weighting in dB of one frequency in Hz (0 dB at 1 kHz, {@code -Infinity} at 0 Hz). */
    public static double aWeightingDb(double fHz) {
        return aWeightingRaw(fHz) - A1000;
    }

    /** 20 log10 R_A(f) without the 1 kHz normalization, computed from logs to keep precision at the extremes. */
    private static double aWeightingRaw(double f) {
        double f2 = f * f;
        return 20 * (2 * Math.log10(F4) + 4 * Math.log10(f)
                - Math.log10(f2 + F1 * F1) - Math.log10(f2 + F4 * F4)
                - 0.5 * Math.log10(f2 + F2 * F2) - 0.5 * Math.log10(f2 + F3 * F3));
    }

    /**
     * FFT size used at a sample rate: the smallest power of two {@code >= 512 * sampleRate / 16000},
     * i.e. a window of at least the 32 ms magenta uses at 16 kHz (256 at 8 kHz, 512 at 16 kHz, 1024 at
     * 22.05 and 32 kHz, 2048 at 44.1 and 48 kHz).
     */
    public static int defaultNFft(int sampleRate) {
        checkPositive(sampleRate, "sampleRate");
        long ideal = Math.max(2, (512L * sampleRate + 15999) / 16000);
        if (ideal > (1 << 30)) throw new IllegalArgumentException("sampleRate " + sampleRate + " is too high");
        return Integer.bitCount((int) ideal) == 1 ? (int) ideal : Integer.highestOneBit((int) ideal) << 1;
    }

    /** A-weighted loudness in dB per frame, {@link #defaultNFft} and an 80 dB range. */
    public static float[] loudnessDb(float[] audio, int sampleRate, int frameRate) {
        return loudnessDb(audio, sampleRate, frameRate, defaultNFft(sampleRate), DEFAULT_RANGE_DB);
    }

    /**
     * A-weighted loudness in dB per frame.
     *
     * @param audio      mono samples {@code [nSamples]}, full scale 1.0
     * @param sampleRate Hz
     * @param frameRate  frames per second; must divide {@code sampleRate}
     * @param nFft       FFT size (power of two, {@code >= hop})
     * @param rangeDb    dynamic range: the result is {@code >= -rangeDb}
     * @return {@code [nSamples / hop + 1]} loudness in dB (0 dB reference)
     */
    public static float[] loudnessDb(float[] audio, int sampleRate, int frameRate, int nFft, float rangeDb) {
        int hop = hop(sampleRate, frameRate);
        if (hop > nFft) {
            throw new IllegalArgumentException("hop " + hop + " (sampleRate " + sampleRate + " / frameRate " + frameRate
                    + ") exceeds nFft " + nFft + ": frames would skip samples; raise nFft or the frame rate");
        }
        if (!(rangeDb > 0)) throw new IllegalArgumentException("rangeDb must be > 0, got " + rangeDb);
        StftKernel stft = new StftKernel(nFft, hop, Padding.ZERO);
        int frames = stft.frames(audio.length);
        float[] w = powerWeights(sampleRate, nFft);
        float[] out = new float[frames];
        stft.weightedPower(audio, 0, audio.length, w, out, 0);
        for (int i = 0; i < frames; i++) out[i] = powerToDb(out[i], rangeDb);
        return out;
    }

    /**
     * Loudness one frame at a time, for live input: {@link #frameDb} of the {@code nFft} samples around a frame
     * centre is the value {@link #loudnessDb} gives that frame (the same window, FFT and weighted sum, so the
     * same float), without allocating. A frame needs {@code nFft / 2} samples after its centre (16 ms at
     * 16 kHz). Not thread-safe (one scratch buffer).
     */
    public static final class Meter {
        private final StftKernel stft;
        private final float[] w2, buf, lanes = new float[jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()];
        private final float rangeDb;

        /** {@link #defaultNFft} and the 80 dB range of {@link #loudnessDb(float[], int, int)}. */
        public Meter(int sampleRate, int frameRate) {
            this(sampleRate, frameRate, defaultNFft(sampleRate), DEFAULT_RANGE_DB);
        }

        public Meter(int sampleRate, int frameRate, int nFft, float rangeDb) {
            int hop = hop(sampleRate, frameRate);
            if (hop > nFft) {
                throw new IllegalArgumentException("hop " + hop + " exceeds nFft " + nFft + ": frames would skip samples");
            }
            if (!(rangeDb > 0)) throw new IllegalArgumentException("rangeDb must be > 0, got " + rangeDb);
            stft = new StftKernel(nFft, hop, Padding.ZERO);
            w2 = stft.interleavedWeights(powerWeights(sampleRate, nFft));
            buf = new float[nFft + 2];
            this.rangeDb = rangeDb;
        }

        /** Window length in samples; a frame centred at {@code c} reads {@code [c - nFft/2, c + nFft/2)}. */
        public int nFft() {
            return stft.nFft();
        }

        /**
         * Loudness in dB of the frame whose window starts at {@code x[start]} (its centre is {@code start + nFft/2});
         * samples before the signal's start must be zeros, as {@link #loudnessDb} pads.
         */
        public float frameDb(float[] x, int start) {
            stft.windowed(x, start, buf);
            return powerToDb(stft.weightedPowerOfFrame(buf, w2, lanes), rangeDb);
        }
    }

    /**
     * Per-bin weights of the loudness power mean: the A-weighting in power ({@code 10^(A(f_k)/10)},
     * floored at {@link #WEIGHT_FLOOR_DB}) with the {@code 1/bins} of the mean folded in; {@code [nFft/2+1]}.
     * Shared with the differentiable loudness op so both compute the same thing.
     */
    static float[] powerWeights(int sampleRate, int nFft) {
        int bins = nFft / 2 + 1;
        float[] w = new float[bins];
        for (int k = 0; k < bins; k++) {
            double a = Math.max(aWeightingDb((double) k * sampleRate / nFft), WEIGHT_FLOOR_DB);
            w[k] = (float) (Math.pow(10, a / 10) / bins);
        }
        return w;
    }

    /**
     * RMS power in dB per frame, {@code max(10 log10(mean(x^2)), -80)} over rectangular frames of
     * {@link #defaultNFft} samples with the loudness framing (centred, zero padded). magenta's
     * {@code compute_power} uses 512-sample frames at any sample rate; here the frame scales with it.
     *
     * @return {@code [nSamples / hop + 1]} power in dB (0 dB = full-scale DC / RMS 1)
     */
    public static float[] rmsDb(float[] audio, int sampleRate, int frameRate) {
        int hop = hop(sampleRate, frameRate);
        int size = defaultNFft(sampleRate), half = size / 2, n = audio.length;
        if (n < 1) throw new IllegalArgumentException("audio must have >= 1 sample");
        // Prefix sums of x^2 in double: each frame is then O(1) and exact enough.
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (double) audio[i] * audio[i];
        int frames = n / hop + 1;
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) {
            int from = Math.max(0, i * hop - half), to = Math.min(n, i * hop - half + size);
            double p = to > from ? (prefix[to] - prefix[from]) / size : 0;
            out[i] = powerToDb(p, DEFAULT_RANGE_DB);
        }
        return out;
    }

    static float powerToDb(double p, float rangeDb) {
        double db = 10 * Math.log10(Math.max(p, 1e-20));
        return (float) Math.max(db, -rangeDb);
    }

    static int hop(int sampleRate, int frameRate) {
        checkPositive(sampleRate, "sampleRate");
        checkPositive(frameRate, "frameRate");
        if (sampleRate % frameRate != 0) {
            throw new IllegalArgumentException("frameRate " + frameRate + " must divide sampleRate " + sampleRate
                    + " exactly (hop = sampleRate / frameRate samples); e.g. 250 frames/s at 16000 or 48000 Hz");
        }
        return sampleRate / frameRate;
    }

    private static void checkPositive(int v, String what) {
        if (v <= 0) throw new IllegalArgumentException(what + " must be > 0, got " + v);
    }
}
