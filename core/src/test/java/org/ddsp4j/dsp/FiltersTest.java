package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.FftConvolution.Padding;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.tensor.ShapeOps;
import org.ddsp4j.tensor.SignalOps;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private final SplittableRandom rng = new SplittableRandom(9);

    @Test
    void frequencyImpulseResponseEqualsIrfftRollWindow() {
        int bands = 65, n = 128;
        Tensor mags = Tensor.uniform(rng, 0, 1, 2, 3, bands);
        // Independent route: complex spectrum with zero phase -> irfft -> roll n/2 -> periodic Hann.
        Tensor spec = ShapeOps.stack(-1, mags, Tensor.zeros(2, 3, bands));
        float[] ir0 = SignalOps.irfft(spec, n).data();
        float[] hann = Windows.hann(n, true);
        float[] expected = new float[ir0.length];
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < n; j++) expected[r * n + j] = ir0[r * n + (j + n / 2) % n] * hann[j];
        float[] got = Filters.frequencyImpulseResponse(mags).data();
        assertArrayEquals(expected, got, 1e-6f);
        // Shorter window: the centre 32 taps of the zero-phase IR, times 0.5 + 0.5 cos(2 pi d / 32).
        float[] short32 = Filters.frequencyImpulseResponse(mags, 32).data();
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 32; j++) {
                int d = j - 16;
                double w = 0.5 + 0.5 * Math.cos(2 * Math.PI * d / 32);
                assertEquals(ir0[r * n + Math.floorMod(d, n)] * w, short32[r * 32 + j], 1e-6, "tap " + j);
            }
    }

    @Test
    void flatMagnitudesGiveIdentityFilter() {
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 64);
        Tensor y = Filters.frequencyFilter(x, Tensor.ones(2, 4, 33), 0, Padding.SAME);
        assertArrayEquals(x.data(), y.data(), 1e-5f);
    }

    /** Averaged Hann-windowed periodogram, normalized so white noise of variance v reads v. */
    private static double[] periodogram(float[] x, int off, int len, int nfft) {
        RealFft fft = RealFft.of(nfft);
        float[] w = Windows.hann(nfft, true);
        double w2 = 0;
        for (float v : w) w2 += v * v;
        double[] p = new double[nfft / 2 + 1];
        float[] buf = new float[nfft + 2];
        int count = 0;
        for (int s = off; s + nfft <= off + len; s += nfft / 2, count++) {
            for (int i = 0; i < nfft; i++) buf[i] = x[s + i] * w[i];
            fft.forward(buf, 0, buf, 0);
            for (int k = 0; k <= nfft / 2; k++) p[k] += buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
        }
        for (int k = 0; k < p.length; k++) p[k] /= count * w2;
        return p;
    }

    @Test
    void filteredNoiseSpectrumFollowsMagnitudes() {
        int bands = 65, sr = 16000, seconds = 60, frames = seconds * 250, t = seconds * sr;
        double[][] shapes = new double[2][bands];
        for (int k = 0; k < bands; k++) {
            shapes[0][k] = 1 / Math.sqrt(1 + Math.pow(k / 20.0, 8));               // low-pass, corner at band 20
            shapes[1][k] = 0.05 + Math.exp(-Math.pow((k - 32) / 8.0, 2));          // bump around band 32
        }
        float[] m = new float[2 * frames * bands];
        for (int b = 0; b < 2; b++)
            for (int f = 0; f < frames; f++)
                for (int k = 0; k < bands; k++) m[(b * frames + f) * bands + k] = (float) shapes[b][k];
        Tensor audio = FilteredNoise.render(Tensor.of(m, 2, frames, bands), t, 0, new SplittableRandom(1));
        assertEquals(2, audio.dim(0));
        int nfft = 1024, per = nfft / 128; // band k sits on bin 8k
        for (int b = 0; b < 2; b++) {
            double[] p = periodogram(audio.data(), b * t, t, nfft);
            int checked = 0;
            for (int k = 1; k < bands - 1; k++) {
                if (shapes[b][k] < 0.1) continue;  // leakage of the 128-tap window dominates below -20 dB
                double measuredDb = 10 * Math.log10(p[k * per] / (1.0 / 3));  // uniform [-1, 1) has variance 1/3
                double wantedDb = 20 * Math.log10(shapes[b][k]);
                assertEquals(wantedDb, measuredDb, 1.0, "shape " + b + " band " + k);
                checked++;
            }
            assertTrue(checked > 15, "checked " + checked + " bands");
        }
    }

    /** |H(f)| of an FIR at frequency f (fraction of Nyquist), in double. */
    private static double response(float[] h, int off, int len, double f) {
        double re = 0, im = 0;
        for (int i = 0; i < len; i++) {
            re += h[off + i] * Math.cos(Math.PI * f * i);
            im -= h[off + i] * Math.sin(Math.PI * f * i);
        }
        return Math.hypot(re, im);
    }

    @Test
    void sincLowPassAndHighPass() {
        float sr = 16000;
        Tensor cutoff = Tensor.of(new float[] {2000f, 4000f}, 1, 2, 1);
        float[] lp = Filters.sincImpulseResponse(cutoff, 256, sr, false).data();
        float[] hp = Filters.sincImpulseResponse(cutoff, 256, sr, true).data();
        int size = 257;
        assertEquals(2 * size, lp.length);
        for (int r = 0; r < 2; r++) {
            double fc = cutoff.data()[r] / (sr / 2);
            for (double f = 0; f <= 1.0; f += 1.0 / 512) {
                double l = response(lp, r * size, size, f), h = response(hp, r * size, size, f);
                if (f < 0.8 * fc) {
                    assertEquals(1.0, l, 0.01, "low-pass passband f=" + f);
                    assertTrue(h < 0.01, "high-pass stopband f=" + f + ": " + h);
                } else if (f > 1.2 * fc) {
                    assertTrue(l < 0.01, "low-pass stopband f=" + f + ": " + l);  // > 40 dB down
                    assertEquals(1.0, h, 0.01, "high-pass passband f=" + f);
                }
            }
        }
        // Filtering sines: 500 Hz passes, 6 kHz is removed; normalized cutoffs work the same.
        int t = 4096;
        float[] sines = new float[2 * t];
        for (int i = 0; i < t; i++) {
            sines[i] = (float) Math.sin(2 * Math.PI * 500 * i / sr);
            sines[t + i] = (float) Math.sin(2 * Math.PI * 6000 * i / sr);
        }
        Tensor y = Filters.sincFilter(Tensor.of(sines, 2, t), Tensor.full(0.25f, 1, 8, 1), 256, 0f, false, Padding.SAME);
        for (int i = 512; i < t - 512; i++) {
            assertEquals(sines[i], y.data()[i], 0.01, "500 Hz at " + i);
            assertEquals(0f, y.data()[t + i], 0.01, "6 kHz at " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> Filters.sincImpulseResponse(Tensor.full(9000f, 1, 1), 64, sr, false));
    }

    @Test
    void gradients() {
        DspTestSupport.gradCheck("frequencyImpulseResponse", in -> Filters.frequencyImpulseResponse(in[0], 6),
                DspTestSupport.uniform(rng, 0, 1, 2, 2, 5));
        DspTestSupport.gradCheck("frequencyFilter", in -> Filters.frequencyFilter(in[0], in[1], 0, Padding.SAME),
                DspTestSupport.uniform(rng, -1, 1, 2, 12), DspTestSupport.uniform(rng, 0, 1, 2, 3, 5));
        DspTestSupport.gradCheck("sinc cutoff", in -> Filters.sincImpulseResponse(in[0], 8, 0f, false),
                DspTestSupport.uniform(rng, 0.2f, 0.9f, 2, 3, 1));
        DspTestSupport.gradCheck("sinc high-pass Hz", in -> Filters.sincImpulseResponse(in[0], 6, 16000f, true),
                DspTestSupport.uniform(rng, 1000f, 6000f, 1, 2));
        DspTestSupport.gradCheck("sincFilter", in -> Filters.sincFilter(in[0], in[1], 6, 0f, false, Padding.SAME),
                DspTestSupport.uniform(rng, -1, 1, 1, 12), DspTestSupport.uniform(rng, 0.2f, 0.9f, 1, 3, 1));
    }
}
