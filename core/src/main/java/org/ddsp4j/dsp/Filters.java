package org.ddsp4j.dsp;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Filter design and time-varying filtering (ddsp's {@code frequency_impulse_response},
 * {@code frequency_filter}, {@code sinc_impulse_response}, {@code sinc_filter}). Designs are
 * differentiable tensor functions; filtering is {@link FftConvolution}.
 *
 * <p>All IRs come out causal and linear-phase with their centre at tap {@code irSize / 2}, the
 * default delay compensation of {@link FftConvolution.Padding#SAME}.
 */
public final class Filters {
    private Filters() {}

    /**
     * Zero-phase FIR by frequency sampling: the real magnitudes are read as a zero-phase spectrum of
     * {@code n = 2 * (nBands - 1)} samples, inverted ({@code irfft}), made causal (rolled by half the
     * window) and windowed by a Hann window of {@code windowSize} taps centred on time 0.
     *
     * <p>Tap {@code j} holds time offset {@code d = j - windowSize/2} of the zero-phase IR times
     * {@code 0.5 + 0.5 cos(2 pi d / windowSize)}. For even {@code windowSize} that window is the
     * periodic Hann window of ddsp's {@code apply_window_to_impulse_response}, and for
     * {@code windowSize = n} (the default) the result equals ddsp's exactly: {@code irfft},
     * {@code roll(n/2)}, times {@code hann(n)}. (For shorter windows ddsp keeps {@code windowSize - 1}
     * taps; here it is {@code windowSize}.)
     *
     * <p>A fused op: forward is one inverse real FFT of size {@code n} per row; backward (the
     * adjoint) scatters the windowed gradient back to zero-phase positions and takes one forward real
     * FFT per row ({@code dL/dm_k = (c_k / n) Re(rfft(g)_k)}, c = 1 at k = 0 and n/2, else 2).
     *
     * @param magnitudes {@code [..., nBands]} linear magnitudes of bands spaced uniformly from 0 Hz to
     *                   Nyquist (nBands >= 2), e.g. {@code [batch, nFrames, 65]}; when
     *                   {@code 2 (nBands - 1)} is not a power of two (e.g. 16 bands) the same map runs
     *                   as a matrix product instead of an FFT
     * @param windowSize IR taps; {@code <= 0} or {@code > n} means {@code n = 2 (nBands - 1)}
     * @return {@code [..., windowSize]} causal IRs
     */
    public static Tensor frequencyImpulseResponse(Tensor magnitudes, int windowSize) {
        int[] s = magnitudes.shape();
        if (s.length < 1) throw new IllegalArgumentException("frequencyImpulseResponse: magnitudes must be [..., nBands], got a scalar");
        int bands = s[s.length - 1];
        if (bands < 2) throw new IllegalArgumentException("frequencyImpulseResponse: need nBands >= 2, got " + bands);
        int n = 2 * (bands - 1);
        int w = windowSize <= 0 || windowSize > n ? n : windowSize, half = w / 2;
        if (Integer.bitCount(n) != 1) {
            // No power-of-two FFT: the same linear map as a [nBands, w] matrix (the matmul carries the backward).
            return magnitudes.matmul(Tensor.of(designMatrix(bands, w), bands, w));
        }
        int rows = magnitudes.size() / bands;
        RealFft fft = RealFft.of(n);
        float[] win = new float[w];
        int[] src = new int[w]; // zero-phase index read by tap j
        for (int j = 0; j < w; j++) {
            int d = j - half;
            win[j] = (float) (0.5 + 0.5 * Math.cos(2 * Math.PI * d / w));
            src[j] = Math.floorMod(d, n);
        }
        float[] m = magnitudes.data(), y = new float[rows * w];
        Parallel.forRange(rows, 256, (from, to) -> {
            float[] buf = new float[n + 2];
            for (int r = from; r < to; r++) {
                for (int k = 0, o = r * bands; k < bands; k++) {
                    buf[2 * k] = m[o + k];
                    buf[2 * k + 1] = 0f;
                }
                fft.inverse(buf, 0, buf, 0);
                for (int j = 0, o = r * w; j < w; j++) y[o + j] = buf[src[j]] * win[j];
            }
        });
        int[] outShape = s.clone();
        outShape[s.length - 1] = w;
        return Tensor.fromOp("frequency_impulse_response", y, outShape, gy -> {
            float[] gm = magnitudes.gradBuffer();
            Parallel.forRange(rows, 256, (from, to) -> {
                float[] buf = new float[n + 2];
                for (int r = from; r < to; r++) {
                    java.util.Arrays.fill(buf, 0f);
                    for (int j = 0, o = r * w; j < w; j++) buf[src[j]] += gy[o + j] * win[j];
                    fft.forward(buf, 0, buf, 0);
                    float edge = 1f / n, mid = 2f / n;
                    for (int k = 0, o = r * bands; k < bands; k++) {
                        gm[o + k] += (k == 0 || k == bands - 1 ? edge : mid) * buf[2 * k];
                    }
                }
            });
        }, magnitudes);
    }

    /** {@link #frequencyImpulseResponse(Tensor, int)} with the default window ({@code 2 (nBands - 1)} taps). */
    public static Tensor frequencyImpulseResponse(Tensor magnitudes) {
        return frequencyImpulseResponse(magnitudes, 0);
    }

    /** Row k, column j: window_j * (c_k / n) * cos(2 pi k d_j / n), c = 1 at k = 0 and n/2, else 2. */
    private static float[] designMatrix(int bands, int w) {
        int n = 2 * (bands - 1), half = w / 2;
        float[] m = new float[bands * w];
        for (int j = 0; j < w; j++) {
            int d = j - half;
            double win = 0.5 + 0.5 * Math.cos(2 * Math.PI * d / w);
            for (int k = 0; k < bands; k++) {
                double c = (k == 0 || k == bands - 1) ? 1.0 : 2.0;
                long kd = Math.floorMod((long) k * d, (long) n); // exact argument reduction
                m[k * w + j] = (float) (win * c / n * Math.cos(2 * Math.PI * kd / n));
            }
        }
        return m;
    }

    /**
     * Time-varying FIR filtering by frequency sampling: {@code frequencyImpulseResponse} then
     * {@link FftConvolution#fftConvolve} with the default delay compensation.
     *
     * @param audio      {@code [batch, nSamples]}
     * @param magnitudes {@code [batch or 1, nFrames, nBands]} (nSamples divisible by nFrames) or
     *                   {@code [batch or 1, nBands]} (one static filter)
     * @param windowSize IR taps ({@code <= 0}: {@code 2 (nBands - 1)})
     * @param padding    SAME ({@code [batch, nSamples]}) or VALID ({@code [batch, nSamples + irSize - 1]})
     */
    public static Tensor frequencyFilter(Tensor audio, Tensor magnitudes, int windowSize, FftConvolution.Padding padding) {
        return FftConvolution.fftConvolve(audio, frequencyImpulseResponse(magnitudes, windowSize), padding);
    }

    /**
     * Windowed-sinc low-pass (or, by spectral inversion, high-pass) FIRs with per-frame cutoffs.
     *
     * <p>Taps {@code i = -h..h} with {@code h = windowSize / 2} ({@code 2h + 1} taps, odd):
     * {@code sinc(fc * i) * hamming_i}, normalized to unit gain at DC; {@code fc} is the cutoff as a
     * fraction of Nyquist. High-pass: a unit impulse at the centre tap minus the low-pass (zero gain at DC).
     * The symmetric Hamming window keeps the phase exactly linear (ddsp uses the periodic one).
     *
     * @param cutoff     {@code [..., 1]} or {@code [...]} per frame: Hz when {@code sampleRate > 0}
     *                   (in {@code (0, sampleRate/2]}), otherwise normalized to {@code (0, 1]} (1 = Nyquist)
     * @param windowSize nominal IR length (>= 2); the IR has {@code 2 * (windowSize / 2) + 1} taps
     * @param sampleRate Hz, or {@code <= 0} for normalized cutoffs
     * @param highPass   spectral inversion to a high-pass
     * @return {@code [..., 2 * (windowSize / 2) + 1]} causal IRs centred on tap {@code windowSize / 2}
     */
    public static Tensor sincImpulseResponse(Tensor cutoff, int windowSize, float sampleRate, boolean highPass) {
        if (windowSize < 2) throw new IllegalArgumentException("sincImpulseResponse: windowSize must be >= 2, got " + windowSize);
        float scale = sampleRate > 0 ? 2f / sampleRate : 1f;
        for (float c : cutoff.data()) {
            if (!(c * scale > 0 && c * scale <= 1.0001f)) {
                throw new IllegalArgumentException("sincImpulseResponse: cutoff " + c + (sampleRate > 0
                        ? " Hz is outside (0, " + sampleRate / 2 + "] (Nyquist)" : " is outside (0, 1] (fraction of Nyquist)"));
            }
        }
        int[] s = cutoff.shape();
        Tensor fc = s.length > 0 && s[s.length - 1] == 1 ? cutoff : cutoff.reshape(append(s, 1));
        if (scale != 1f) fc = fc.mul(scale);
        int half = windowSize / 2, size = 2 * half + 1;
        float[] idx = new float[size], notCentre = new float[size], win = new float[size];
        for (int i = 0; i < size; i++) {
            idx[i] = (float) (Math.PI * (i - half));
            notCentre[i] = i == half ? 0f : 1f;
            win[i] = (float) (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (size - 1)));
        }
        Tensor mask = Tensor.of(notCentre, size), one = Tensor.scalar(1f);
        Tensor arg = fc.mul(Tensor.of(idx, size));                 // [..., size] = pi * fc * i
        Tensor safeArg = arg.where(mask, one);                       // avoid 0/0 at the centre tap
        Tensor sinc = safeArg.sin().div(safeArg).where(mask, one);  // sinc(0) = 1
        Tensor h = sinc.mul(Tensor.of(win, size));
        h = h.div(h.sum(-1, true));
        if (highPass) {
            float[] delta = new float[size];
            delta[half] = 1f;
            h = Tensor.of(delta, size).sub(h);
        }
        return h;
    }

    /**
     * Time-varying windowed-sinc filtering: {@link #sincImpulseResponse} then
     * {@link FftConvolution#fftConvolve} (delay {@code windowSize / 2} removed for SAME).
     *
     * @param audio  {@code [batch, nSamples]}
     * @param cutoff {@code [batch or 1, nFrames, 1]} or {@code [batch or 1, nFrames]} (Hz or normalized,
     *               see {@link #sincImpulseResponse})
     */
    public static Tensor sincFilter(Tensor audio, Tensor cutoff, int windowSize, float sampleRate, boolean highPass,
                                    FftConvolution.Padding padding) {
        Tensor ir = sincImpulseResponse(cutoff, windowSize, sampleRate, highPass);
        if (ir.rank() == 2) ir = ir.reshape(ir.dim(0), 1, ir.dim(1));
        return FftConvolution.fftConvolve(audio, ir, padding);
    }

    private static int[] append(int[] s, int v) {
        int[] r = java.util.Arrays.copyOf(s, s.length + 1);
        r[s.length] = v;
        return r;
    }
}
