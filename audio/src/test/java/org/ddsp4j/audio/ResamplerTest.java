package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resampler against analytic signals: because the filter has zero delay, a sine resampled from
 * one rate must equal the same sine sampled directly at the other rate (away from the edges,
 * where the zero padding outside the signal matters).
 */
class ResamplerTest {
    static final String PAIRS = """
            44100, 16000
            16000, 48000
            48000, 16000
            16000, 44100
            22050, 16000
            24000, 16000
            32000, 16000
            11025, 16000
            8000, 16000
            44100, 48000
            48000, 44100
            16000, 22050
            """;

    /** Edge margin in output samples: the filter's reach plus one. */
    static int margin(Resampler r) {
        return (int) Math.ceil(r.tapsPerOutput() * (double) r.up() / r.down()) + 2;
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource(textBlock = PAIRS)
    void sineMatchesDirectSampling(int in, int out) {
        Resampler r = new Resampler(in, out);
        int nyq = Math.min(in, out) / 2;
        for (double frac : new double[] {0.05, 0.3, 0.6, 0.85}) {
            double f = frac * nyq + 3.7; // not a divisor of either rate
            float[] x = Signals.sine(in / 2, f, in, 0.7, 0.4);
            float[] y = r.process(x);
            float[] ref = Signals.sine(y.length, f, out, 0.7, 0.4);
            int m = margin(r);
            double err = 0;
            for (int i = m; i < y.length - m; i++) err = Math.max(err, Math.abs(y[i] - ref[i]));
            // 90 dB design: passband ripple ~3e-5 relative, plus float rounding
            assertTrue(err < 2e-4, in + "->" + out + " at " + f + " Hz: max error " + err);
            assertEquals(f, Signals.zeroCrossingHz(y, m, y.length - m, out), 1e-3 * f);
        }
    }

    /** Passband flatness: gain within 0.1 dB (in practice ~0.001 dB) up to 0.9 of the lower Nyquist. */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100, 16000", "16000, 48000", "11025, 16000", "48000, 44100"})
    void passbandRippleBelowTenthOfDb(int in, int out) {
        Resampler r = new Resampler(in, out);
        int nyq = Math.min(in, out) / 2;
        double worst = 0;
        for (int k = 1; k <= 18; k++) {
            double f = k * 0.05 * nyq; // up to 0.9 of the lower Nyquist
            float[] y = r.process(Signals.sine(in / 2, f, in, 0.5, 0));
            int m = margin(r);
            double gainDb = 20 * Math.log10(Signals.amplitudeAt(y, m, y.length - m, f, out) / 0.5);
            worst = Math.max(worst, Math.abs(gainDb));
        }
        assertTrue(worst < 0.1, "passband ripple " + worst + " dB");
        assertTrue(worst < 0.01, "passband ripple " + worst + " dB is larger than the design allows");
    }

    /** Tones above the new Nyquist must not alias into the output: >= 70 dB down (design: 90). */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({"44100, 16000", "48000, 16000", "22050, 16000", "48000, 44100", "32000, 22050"})
    void tonesAboveNewNyquistAreRemoved(int in, int out) {
        Resampler r = new Resampler(in, out);
        for (double frac : new double[] {1.02, 1.1, 1.5, 2.5}) {
            double f = frac * out / 2.0;
            if (f >= in / 2.0) continue;
            float[] x = Signals.sine(in / 2, f, in, 0.5, 0);
            float[] y = r.process(x);
            int m = margin(r);
            double atten = 20 * Math.log10(Signals.rms(y, m, y.length - m) / Signals.rms(x, 0, x.length));
            assertTrue(atten <= -70, in + "->" + out + ": tone at " + f + " Hz only " + atten + " dB down");
        }
    }

    @Test
    void equalRatesAreIdentity() {
        float[] x = Signals.sine(1000, 440, 16000, 0.5, 0);
        assertSame(x, Resampler.resample(x, 16000, 16000));
        float[] y = new Resampler(16000, 16000).process(x);
        assertArrayEquals(x, y);
        assertNotSame(x, y);
    }

    @Test
    void lengthIsRoundedRatio() {
        int[][] pairs = {{44100, 16000}, {16000, 48000}, {11025, 16000}, {8000, 16000}, {22050, 16000}, {48000, 44100}, {3, 2}};
        for (int[] p : pairs) {
            Resampler r = new Resampler(p[0], p[1]);
            for (int n = 0; n < 3000; n += 7) {
                long expected = Math.round((double) n * p[1] / p[0]);
                assertEquals(expected, r.outputLength(n), p[0] + "->" + p[1] + " n=" + n);
            }
            assertEquals(r.outputLength(1234), r.process(new float[1234]).length);
        }
        assertEquals(0, Resampler.resample(new float[0], 44100, 16000).length);
    }

    /** A click at input sample i lands at output sample i * out / in, with a symmetric response. */
    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource(textBlock = PAIRS)
    void noTimeShift(int in, int out) {
        Resampler r = new Resampler(in, out);
        int click = 3 * r.down() * Math.max(1, 200 / r.down()); // a multiple of M, so the output position is an integer
        float[] x = new float[click * 2 + 100];
        x[click] = 1f;
        float[] y = r.process(x);
        int expectPos = (int) ((long) click * r.up() / r.down());
        // cross-correlation of y with the ideally placed click peaks at lag 0 = argmax |y|
        int arg = 0;
        for (int i = 1; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[arg])) arg = i;
        assertEquals(expectPos, arg, in + "->" + out);
        for (int k = 1; k < 50; k++) {
            assertEquals(y[expectPos - k], y[expectPos + k], 1e-6, "asymmetric response at lag " + k);
        }
    }

    @Test
    void dcIsKeptExactly() {
        float[] x = new float[5000];
        java.util.Arrays.fill(x, 0.25f);
        for (int[] p : new int[][] {{44100, 16000}, {16000, 48000}, {11025, 16000}}) {
            Resampler r = new Resampler(p[0], p[1]);
            float[] y = r.process(x);
            int m = margin(r);
            for (int i = m; i < y.length - m; i++) assertEquals(0.25f, y[i], 1e-6f);
        }
    }

    /** Against a direct double-precision evaluation of the same windowed-sinc formula (no polyphase table). */
    @Test
    void matchesNaiveWindowedSinc() {
        int in = 22050, out = 16000;
        Resampler r = new Resampler(in, out);
        float[] x = new float[3000];
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * 0.3f;
        float[] y = r.process(x);
        // the design, restated: cutoff at 0.95 of the output Nyquist, Kaiser beta for 90 dB
        double fc = 0.95 * 0.5 * out / in; // cycles per input sample
        double beta = 0.1102 * (90 - 8.7);
        double half = (r.tapsPerOutput() >= 0) ? halfWidth(in, out) : 0;
        for (int j = 0; j < y.length; j += 37) {
            double t = (double) j * in / out, sum = 0, norm = 0;
            for (int i = (int) Math.floor(t - half); i <= (int) Math.ceil(t + half); i++) {
                double d = i - t;
                if (Math.abs(d) >= half) continue;
                double s = d == 0 ? 1 : Math.sin(2 * Math.PI * fc * d) / (2 * Math.PI * fc * d);
                double w = Resampler.besselI0(beta * Math.sqrt(1 - (d / half) * (d / half))) / Resampler.besselI0(beta);
                double h = 2 * fc * s * w;
                norm += h;
                if (i >= 0 && i < x.length) sum += h * x[i];
            }
            assertEquals(sum / norm, y[j], 2e-6, "output " + j);
        }
    }

    /** The filter half-width Kaiser's formula gives for the default design (input samples). */
    static double halfWidth(int in, int out) {
        double transition = 0.1 * 0.5 * Math.min(1.0, (double) out / in);
        return Math.ceil((90 - 7.95) / (14.357 * transition) / 2) + 1;
    }

    @Test
    void besselI0KnownValues() {
        assertEquals(1.0, Resampler.besselI0(0), 0);
        assertEquals(1.2660658777520082, Resampler.besselI0(1), 1e-15);
        assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-9);
    }

    /** Exotic ratio (L = 44101) takes the interpolated-kernel path; it must be as accurate. */
    @Test
    void hugeRatioUsesInterpolatedKernel() {
        Resampler r = new Resampler(44100, 44101);
        assertTrue((long) r.up() * r.tapsPerOutput() > Resampler.MAX_TABLE_FLOATS);
        float[] x = Signals.sine(8000, 1000.3, 44100, 0.6, 0.1);
        float[] y = r.process(x);
        float[] ref = Signals.sine(y.length, 1000.3, 44101, 0.6, 0.1);
        int m = margin(r);
        double err = 0;
        for (int i = m; i < y.length - m; i++) err = Math.max(err, Math.abs(y[i] - ref[i]));
        assertTrue(err < 2e-4, "max error " + err);
    }

    /** Ten minutes at 44.1 kHz (26.5 M samples): long index arithmetic, parallel chunks. */
    @Test
    void longInput() {
        int in = 44100, out = 16000;
        int n = 10 * 60 * in;
        float[] x = new float[n];
        int f = 1234; // whole Hz: the phase repeats every second, so reduce the time modulo 1 s for accuracy
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * (i % in) / in));
        float[] y = Resampler.resample(x, in, out);
        assertEquals(Math.round((double) n * out / in), y.length);
        for (int start : new int[] {1000, y.length / 2, y.length - 3000}) {
            for (int i = start; i < start + 1000; i++) {
                double expected = 0.5 * Math.sin(2 * Math.PI * f * (i % out) / out);
                assertEquals(expected, y[i], 2e-4, "output " + i);
            }
        }
    }

    @Test
    void rejectsBadRates() {
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(16000, -1));
        var e = assertThrows(IllegalArgumentException.class, () -> new Resampler(16000, 8000).process(new float[10], new float[3]));
        assertTrue(e.getMessage().contains("gives 5"), e.getMessage());
    }
}
