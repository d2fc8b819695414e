package org.ddsp4j.audio;

import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.kernel.VectorMath;

/**
 * Band-limited sample-rate conversion between any two integer rates by polyphase windowed-sinc
 * interpolation (Kaiser window).
 *
 * <p>The ratio {@code outRate / inRate} is reduced by the gcd to {@code L / M}. Output sample
 * {@code j} sits exactly at input time {@code j * M / L} (in input samples): the filter is centred
 * on it, so there is no delay and a click at input sample {@code i} appears at output sample
 * {@code i * L / M}. Samples outside the input count as zero. Output length is
 * {@code round(n * outRate / inRate)}.
 *
 * <p>Design: the low-pass cutoff sits between {@code passband} (default 0.9) and 1.0 of the lower
 * of the two Nyquist frequencies, so the stopband starts at the lower Nyquist and nothing above it
 * aliases; the Kaiser window is sized for {@code stopbandDb} (default 90 dB), which also keeps the
 * passband ripple around 1e-4 dB. Every phase's taps are normalised to sum to 1 (exact DC gain).
 *
 * <p>The taps of all {@code L} phases are precomputed into one flat table (each phase padded to a
 * whole number of SIMD vectors); the inner loop is a Vector API dot product over contiguous memory
 * and allocates nothing. For exotic ratios whose table would exceed {@value #MAX_TABLE_FLOATS}
 * floats (e.g. 44100 to 44101 Hz, L = 44101), taps are instead interpolated per output sample from a
 * finely sampled kernel (error below -100 dB), which is slower.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Resampler {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int MAX_TABLE_FLOATS = 1 << 22;
    /** Kernel samples per input sample in the fallback (interpolated) mode. */
    private static final int FINE = 512;
    private static final ConcurrentHashMap<Long, Resampler> CACHE = new ConcurrentHashMap<>();

    private final int inRate, outRate;
    private final int up, down;            // L and M
    private final int half;                // K: taps reach K input samples either side
    private final int taps;                // 2K rounded up to a multiple of the vector length
    private final double cutoff;           // cycles per input sample
    private final double beta;
    private final float[] table;           // [L][taps] exact phases, or null in fallback mode
    private final float[] fine;            // fallback: kernel at x = i / FINE, i in [0, K*FINE + 1]

    /** A resampler with the default design (passband 0.9 of the lower Nyquist, 90 dB stopband). */
    public Resampler(int inRate, int outRate) {
        this(inRate, outRate, 0.9, 90.0);
    }

    /**
     * @param inRate     input sample rate, Hz, > 0
     * @param outRate    output sample rate, Hz, > 0
     * @param passband   end of the flat passband as a fraction of the lower Nyquist, in (0.5, 1)
     * @param stopbandDb attenuation from the lower Nyquist upwards, dB, in [40, 160]
     */
    public Resampler(int inRate, int outRate, double passband, double stopbandDb) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be > 0 Hz, got in " + inRate + ", out " + outRate);
        }
        if (!(passband > 0.5 && passband < 1.0)) {
            throw new IllegalArgumentException("passband must be in (0.5, 1) of the lower Nyquist, got " + passband);
        }
        if (!(stopbandDb >= 40 && stopbandDb <= 160)) {
            throw new IllegalArgumentException("stopbandDb must be in [40, 160], got " + stopbandDb);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double ratio = Math.min(1.0, up / (double) down);          // lower Nyquist / input Nyquist
        double transition = (1.0 - passband) * 0.5 * ratio;        // cycles per input sample
        this.cutoff = (1.0 + passband) * 0.5 * 0.5 * ratio;        // middle of the transition band
        // Kaiser's formulas for window length and shape.
        this.beta = stopbandDb > 50 ? 0.1102 * (stopbandDb - 8.7)
                : 0.5842 * Math.pow(stopbandDb - 21, 0.4) + 0.07886 * (stopbandDb - 21);
        double length = (stopbandDb - 7.95) / (14.357 * transition);
        this.half = (int) Math.ceil(length / 2) + 1;
        int vl = S.length();
        this.taps = (2 * half + vl - 1) / vl * vl;
        if (up == down) {
            table = null;
            fine = null;
        } else if ((long) up * taps <= MAX_TABLE_FLOATS) {
            table = new float[up * taps];
            for (int p = 0; p < up; p++) fillPhaseExact(p, table, p * taps);
            fine = null;
        } else {
            table = null;
            fine = new float[half * FINE + 2];
            for (int i = 0; i < fine.length; i++) fine[i] = (float) kernel(i / (double) FINE);
        }
    }

    /**
     * Resamples {@code x} from {@code inRate} to {@code outRate} Hz with the default design
     * (resamplers are cached per rate pair). Returns {@code x} itself when the rates are equal.
     *
     * @param x {@code [n]} samples at {@code inRate}
     * @return {@code [round(n * outRate / inRate)]} samples at {@code outRate}
     */
    public static float[] resample(float[] x, int inRate, int outRate) {
        if (inRate == outRate) {
            if (inRate <= 0) throw new IllegalArgumentException("sample rates must be > 0 Hz, got " + inRate);
            return x;
        }
        return of(inRate, outRate).process(x);
    }

    /** The resampler with the default design for a rate pair (cached per pair, as {@link #resample} uses it). */
    public static Resampler of(int inRate, int outRate) {
        long key = (long) inRate << 32 | (outRate & 0xFFFFFFFFL);
        Resampler r = CACHE.get(key);
        if (r == null) {
            r = new Resampler(inRate, outRate);
            if (CACHE.size() < 64) CACHE.put(key, r);
        }
        return r;
    }

    /** Output length for {@code n} input samples: {@code round(n * outRate / inRate)}, halves rounded up. */
    public long outputLength(long n) {
        if (n < 0) throw new IllegalArgumentException("input length must be >= 0, got " + n);
        return (2 * n * up + down) / (2L * down);
    }

    /**
     * Resamples a whole signal.
     *
     * @param x {@code [n]} samples at the input rate
     * @return {@code [outputLength(n)]} samples at the output rate (a copy when the rates are equal)
     */
    public float[] process(float[] x) {
        long nOut = outputLength(x.length);
        if (nOut > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("output of " + nOut + " samples does not fit in one array; "
                    + "resample the input in pieces");
        }
        float[] out = new float[(int) nOut];
        process(x, out);
        return out;
    }

    /**
     * Resamples {@code x} into {@code out}, which must hold exactly {@code outputLength(x.length)}
     * samples.
     */
    public void process(float[] x, float[] out) {
        int n = x.length;
        if (out.length != outputLength(n)) {
            throw new IllegalArgumentException("out has " + out.length + " samples, resampling " + n + " samples from "
                    + inRate + " to " + outRate + " Hz gives " + outputLength(n));
        }
        if (up == down) {
            System.arraycopy(x, 0, out, 0, n);
            return;
        }
        // Zero padding on both sides so every dot product reads a contiguous, in-bounds window.
        int padL = half - 1, padR = taps;
        float[] xp = new float[padL + n + padR];
        System.arraycopy(x, 0, xp, padL, n);
        int nOut = out.length;
        Parallel.forRange(nOut, 8192, (from, to) -> run(xp, 0, out, 0, 0, from, to));
    }

    /**
     * Resamples a signal as it is read: a {@link MonoSource} at the output rate over one at the input
     * rate, {@code outputLength(in.length())} samples long. Each block of up to {@code blockOutputs}
     * outputs reads the input samples its filter reaches (zeros beyond either end, as in
     * {@link #process(float[])}) and computes the same dot products as resampling the whole signal at
     * once: the same samples, bit for bit once the JIT has compiled the kernel (the interpreter's lane
     * sum rounds differently, by an ulp). Memory: one block of input. Closing the view closes {@code in}.
     *
     * @param in           samples at {@link #inRate()}
     * @param blockOutputs outputs computed per read of the input, >= 1
     * @return {@code in} itself when the rates are equal
     */
    public MonoSource over(MonoSource in, int blockOutputs) {
        if (in.sampleRate() != inRate) {
            throw new IllegalArgumentException("resampler from " + inRate + " Hz over a source at " + in.sampleRate() + " Hz");
        }
        if (blockOutputs < 1) throw new IllegalArgumentException("blockOutputs must be >= 1, got " + blockOutputs);
        return up == down ? in : new Resampled(in, blockOutputs);
    }

    /** {@link #over(MonoSource, int)} in blocks of 65536 outputs. */
    public MonoSource over(MonoSource in) {
        return over(in, 1 << 16);
    }

    private final class Resampled implements MonoSource {
        private final MonoSource in;
        private final int block;
        private final long length;
        private float[] window = new float[0];

        Resampled(MonoSource in, int block) {
            this.in = in;
            this.block = block;
            this.length = outputLength(in.length());
        }

        @Override public int sampleRate() { return outRate; }
        @Override public long length() { return length; }
        @Override public void close() throws java.io.IOException { in.close(); }

        @Override
        public void read(long from, float[] dst, int off, int n) throws java.io.IOException {
            java.util.Objects.checkFromIndexSize(off, n, dst.length);
            long a = Math.max(from, 0), b = Math.min(from + n, length);
            if (b <= a) {
                java.util.Arrays.fill(dst, off, off + n, 0f);
                return;
            }
            java.util.Arrays.fill(dst, off, off + (int) (a - from), 0f);
            java.util.Arrays.fill(dst, off + (int) (b - from), off + n, 0f);
            for (long j = a; j < b; j += block) {
                final long j0 = j;
                final int m = (int) Math.min(block, b - j0), o = off + (int) (j0 - from);
                // Outputs j0 .. j0+m-1 read input samples base(j0)-K+1 .. base(j0+m-1)-K+taps.
                final long base0 = j0 * down / up, base1 = (j0 + m - 1) * down / up;
                int w = (int) (base1 - base0) + taps;
                if (window.length < w) window = new float[w];
                in.read(base0 - (half - 1), window, 0, w);
                final float[] xw = window;
                Parallel.forRange(m, 8192, (f, t) -> run(xw, base0, dst, o, j0, f, t));
            }
        }
    }

    /**
     * Outputs {@code j0 + [from, to)} into {@code out[outOff + from ..]}. {@code xp[i]} holds input sample
     * {@code xBase - (K-1) + i}: for output j at input time j*M/L = base + p/L the taps cover input samples
     * base-K+1+k, i.e. {@code xp[base - xBase + k]}.
     */
    private void run(float[] xp, long xBase, float[] out, int outOff, long j0, int from, int to) {
        if (table != null) runTable(xp, xBase, out, outOff, j0, from, to);
        else runFine(xp, xBase, out, outOff, j0, from, to);
    }

    /** {@link #run} with precomputed phases. */
    private void runTable(float[] xp, long xBase, float[] out, int outOff, long j0, int from, int to) {
        final int T = taps, L = up;
        final float[] h = table, lanes = new float[S.length()];
        long t = (j0 + from) * down;
        long base = t / L - xBase;
        int p = (int) (t % L);
        final int stepBase = down / L, stepPhase = down % L;
        for (int j = from; j < to; j++) {
            out[outOff + j] = dot(xp, (int) base, h, p * T, T, lanes);
            base += stepBase;
            p += stepPhase;
            if (p >= L) { p -= L; base++; }
        }
    }

    /** Same as {@link #runTable} with taps interpolated from the fine kernel for each output. */
    private void runFine(float[] xp, long xBase, float[] out, int outOff, long j0, int from, int to) {
        final int T = taps, L = up;
        float[] h = new float[T], lanes = new float[S.length()];
        long t = (j0 + from) * down;
        long base = t / L - xBase;
        int p = (int) (t % L);
        final int stepBase = down / L, stepPhase = down % L;
        for (int j = from; j < to; j++) {
            fillPhaseFine(p, h);
            out[outOff + j] = dot(xp, (int) base, h, 0, T, lanes);
            base += stepBase;
            p += stepPhase;
            if (p >= L) { p -= L; base++; }
        }
    }

    /** {@code sum x[xo + k] h[ho + k]} for {@code k < n} (a multiple of the vector length); {@code lanes} is scratch. */
    private static float dot(float[] x, int xo, float[] h, int ho, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int vl = S.length();
        for (int k = 0; k < n; k += vl) {
            acc = FloatVector.fromArray(S, x, xo + k).fma(FloatVector.fromArray(S, h, ho + k), acc);
        }
        acc.intoArray(lanes, 0);
        return VectorMath.sumPairwise(lanes, 0, vl);
    }

    /** Taps of phase p: h[k] = kernel(k - (K-1) - p/L), normalised to sum 1; zeros after 2K. */
    private void fillPhaseExact(int p, float[] dst, int off) {
        double frac = p / (double) up;
        double[] v = new double[2 * half];
        double sum = 0;
        for (int k = 0; k < 2 * half; k++) {
            v[k] = kernel(k - (half - 1) - frac);
            sum += v[k];
        }
        for (int k = 0; k < 2 * half; k++) dst[off + k] = (float) (v[k] / sum);
    }

    private void fillPhaseFine(int p, float[] dst) {
        double frac = p / (double) up;
        double sum = 0;
        for (int k = 0; k < 2 * half; k++) {
            double pos = Math.abs(k - (half - 1) - frac) * FINE;
            int i = (int) pos;
            float v;
            if (i + 1 >= fine.length) v = 0f;
            else { float w = (float) (pos - i); v = fine[i] + w * (fine[i + 1] - fine[i]); }
            dst[k] = v;
            sum += v;
        }
        float inv = (float) (1.0 / sum);
        for (int k = 0; k < 2 * half; k++) dst[k] *= inv;
    }

    /** Windowed-sinc low-pass at {@code cutoff} cycles/input-sample, x in input samples. */
    private double kernel(double x) {
        double r = x / half;
        if (Math.abs(r) >= 1) return 0;
        double arg = 2 * cutoff * x;
        double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
    }

    /** Modified Bessel function of the first kind, order 0 (power series, converges for all x). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) { int t = a % b; a = b; b = t; }
        return a;
    }

    public int inRate() { return inRate; }

    public int outRate() { return outRate; }

    /** Upsampling factor L of the reduced ratio L/M. */
    public int up() { return up; }

    /** Downsampling factor M of the reduced ratio L/M. */
    public int down() { return down; }

    /** Taps per output sample (SIMD-padded), in input samples. */
    public int tapsPerOutput() { return taps; }
}
