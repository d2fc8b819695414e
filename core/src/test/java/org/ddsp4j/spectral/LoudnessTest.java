package org.ddsp4j.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LoudnessTest {
    private static final int SR = 16000, FPS = 250;

    private static float[] sine(double hz, double amp, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / SR));
        return x;
    }

    @Test
    void aWeightingMatchesIecTable() {
        // IEC 61672-1 table: nominal frequency -> A-weighting dB. The table is for the exact
        // base-10 mid-band frequencies 1000 * 10^(n/10) (e.g. 19.95 Hz for "20 Hz").
        double[][] table = {{10, -70.4}, {20, -50.5}, {31.5, -39.4}, {63, -26.2}, {125, -16.1}, {250, -8.6},
                {500, -3.2}, {1000, 0.0}, {2000, 1.2}, {4000, 1.0}, {8000, -1.1}, {16000, -6.6}};
        float[] f = new float[table.length];
        for (int i = 0; i < table.length; i++) {
            long n = Math.round(10 * Math.log10(table[i][0] / 1000));
            f[i] = (float) (1000 * Math.pow(10, n / 10.0));
        }
        float[] a = Loudness.aWeightingDb(f);
        for (int i = 0; i < table.length; i++) assertEquals(table[i][1], a[i], 0.1, "at " + table[i][0] + " Hz");
        assertEquals(0.0, Loudness.aWeightingDb(1000.0), 1e-9);
        assertEquals(Double.NEGATIVE_INFINITY, Loudness.aWeightingDb(0.0));
    }

    @Test
    void frameCountConvention() {
        assertEquals(64000 / 64 + 1, Loudness.loudnessDb(new float[64000], SR, FPS).length);
        assertEquals(1001, Loudness.loudnessDb(new float[64063], SR, FPS).length);
        assertEquals(1002, Loudness.loudnessDb(new float[64064], SR, FPS).length);
        assertEquals(1001, Loudness.rmsDb(new float[64000], SR, FPS).length);
        assertEquals(512, Loudness.defaultNFft(16000));
        assertEquals(2048, Loudness.defaultNFft(48000));
        assertEquals(2048, Loudness.defaultNFft(44100));
        assertEquals(1024, Loudness.defaultNFft(22050));
        assertEquals(1024, Loudness.defaultNFft(32000));
        assertEquals(256, Loudness.defaultNFft(8000));
    }

    @Test
    void silenceIsMinusRange() {
        for (float v : Loudness.loudnessDb(new float[8000], SR, FPS)) assertEquals(-80f, v);
        for (float v : Loudness.loudnessDb(new float[8000], SR, FPS, 512, 60f)) assertEquals(-60f, v);
        for (float v : Loudness.rmsDb(new float[8000], SR, FPS)) assertEquals(-80f, v);
    }

    @Test
    void fullScaleOneKilohertzSineHasAnalyticLoudness() {
        // 1 kHz is bin 32 of a 512-point FFT at 16 kHz. With the periodic Hann window a unit sine gives
        // |X_32| = 512/4 = 128 and |X_31| = |X_33| = 64, nothing elsewhere; A(1 kHz) = 0 dB and
        // A(968.75 Hz), A(1031.25 Hz) are within 0.02 dB of it.
        float[] ld = Loudness.loudnessDb(sine(1000, 1, 16000), SR, FPS);
        double a31 = Math.pow(10, Loudness.aWeightingDb(968.75) / 10), a33 = Math.pow(10, Loudness.aWeightingDb(1031.25) / 10);
        double want = 10 * Math.log10((128.0 * 128 + 64.0 * 64 * (a31 + a33)) / 257);
        for (int i = 4; i < ld.length - 4; i++) assertEquals(want, ld[i], 0.01, "frame " + i);
        // The first frame is centred at sample 0: only half of the window sees the signal.
        assertTrue(ld[0] < ld[10] - 3, "edge frame " + ld[0] + " vs " + ld[10]);
    }

    @Test
    void twentyDecibelsQuieterSine() {
        float[] loud = Loudness.loudnessDb(sine(1000, 1, 8000), SR, FPS);
        float[] quiet = Loudness.loudnessDb(sine(1000, 0.1, 8000), SR, FPS);
        for (int i = 4; i < loud.length - 4; i++) assertEquals(20.0, loud[i] - quiet[i], 1e-3, "frame " + i);
    }

    @Test
    void lowSineIsQuieterByTheWeighting() {
        float[] hi = Loudness.loudnessDb(sine(1000, 0.5, 8000), SR, FPS);
        float[] lo = Loudness.loudnessDb(sine(100, 0.5, 8000), SR, FPS);
        double want = Loudness.aWeightingDb(100.0); // -19.1 dB
        // 100 Hz falls between bins (31.25 Hz apart): the window's main lobe spreads it over bins
        // 2..5 whose weights differ by a few dB, so allow 1.5 dB.
        for (int i = 4; i < hi.length - 4; i++) assertEquals(want, lo[i] - hi[i], 1.5, "frame " + i);
    }

    @Test
    void matchesNaiveDefinition() {
        int n = 3000, nFft = 512, hop = 64;
        Random r = new Random(1);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * 0.05 * (1 + Math.sin(i / 300.0)));
        float[] ld = Loudness.loudnessDb(x, SR, FPS, nFft, 80f);
        int frames = n / hop + 1;
        assertEquals(frames, ld.length);
        for (int f = 0; f < frames; f += 5) {
            double mean = 0;
            for (int k = 0; k <= nFft / 2; k++) {
                double re = 0, im = 0;
                for (int t = 0; t < nFft; t++) {
                    int j = f * hop - nFft / 2 + t;
                    if (j < 0 || j >= n) continue; // zero padding
                    double v = x[j] * (0.5 - 0.5 * Math.cos(2 * Math.PI * t / nFft));
                    double a = -2 * Math.PI * ((long) k * t % nFft) / nFft;
                    re += v * Math.cos(a);
                    im += v * Math.sin(a);
                }
                double wdb = Math.max(-80, Loudness.aWeightingDb((double) k * SR / nFft));
                mean += (re * re + im * im) * Math.pow(10, wdb / 10);
            }
            mean /= nFft / 2 + 1;
            double want = Math.max(-80, 10 * Math.log10(Math.max(mean, 1e-20)));
            assertEquals(want, ld[f], 1e-3, "frame " + f);
        }
    }

    @Test
    void rmsOfSineAndDc() {
        float[] s = Loudness.rmsDb(sine(1000, 1, 8000), SR, FPS);
        for (int i = 5; i < s.length - 5; i++) assertEquals(10 * Math.log10(0.5), s[i], 1e-3, "sine frame " + i);
        float[] dc = new float[8000];
        java.util.Arrays.fill(dc, 0.1f);
        float[] d = Loudness.rmsDb(dc, SR, FPS);
        assertEquals(10 * Math.log10(0.005), d[0], 1e-3, "first frame sees half the signal");
        for (int i = 5; i < d.length - 5; i++) assertEquals(-20.0, d[i], 1e-3, "dc frame " + i);
    }

    @Test
    void rejectsFrameRateThatDoesNotDivide() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loudness.loudnessDb(new float[1000], 16000, 300));
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains("16000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Loudness.loudnessDb(new float[1000], 16000, 10, 512, 80f));
        assertThrows(IllegalArgumentException.class, () -> Loudness.loudnessDb(new float[1000], 16000, 250, 500, 80f));
        assertThrows(IllegalArgumentException.class, () -> Loudness.aWeightingDb(new float[] {-1f}));
    }
}
