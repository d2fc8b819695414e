package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealFftTest {
    /** Relative tolerance for float32 results: measured max error is ~0.5-0.7x this, relative to the RMS. */
    private static double tol(int n) {
        return 1.5e-7 * (Integer.numberOfTrailingZeros(n) + 2);
    }

    private static float[] randomSignal(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        return x;
    }

    /** Naive O(n^2) DFT in double (angles from an exact table of e^{-2 pi i j / n}): n+2 interleaved values. */
    private static double[] naiveDft(float[] x) {
        int n = x.length;
        double[] cos = new double[n], sin = new double[n];
        for (int j = 0; j < n; j++) {
            cos[j] = Math.cos(2 * Math.PI * j / n);
            sin[j] = -Math.sin(2 * Math.PI * j / n);
        }
        double[] out = new double[n + 2];
        for (int k = 0; k <= n / 2; k++) {
            double re = 0, im = 0;
            for (int t = 0, kt = 0; t < n; t++, kt = (kt + k) % n) {
                re += x[t] * cos[kt];
                im += x[t] * sin[kt];
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /** max |a - b| / rms(b). */
    private static double relErr(float[] a, int aOff, double[] b) {
        double rms = 0, maxd = 0;
        for (int i = 0; i < b.length; i++) {
            rms += b[i] * b[i];
            maxd = Math.max(maxd, Math.abs(a[aOff + i] - b[i]));
        }
        rms = Math.sqrt(rms / b.length);
        return maxd / Math.max(rms, 1e-30);
    }

    @Test
    void forwardMatchesNaiveDftForAllSizes() {
        for (int n = 2; n <= 16384; n *= 2) {
            float[] x = randomSignal(n, n);
            float[] out = new float[n + 2];
            new RealFft(n).forward(x, 0, out, 0);
            double[] ref = naiveDft(x);
            double e = relErr(out, 0, ref);
            assertTrue(e < tol(n), "n=" + n + " relative error " + e + " > " + tol(n));
            assertEquals(0f, out[1], "imag of bin 0 must be exactly 0");
            assertEquals(0f, out[n + 1], "imag of bin n/2 must be exactly 0");
        }
    }

    /** Recursive radix-2 complex DFT in double (re, im in place), the reference for large sizes. */
    private static void fftDouble(double[] re, double[] im) {
        int n = re.length;
        if (n == 1) return;
        double[] er = new double[n / 2], ei = new double[n / 2], or = new double[n / 2], oi = new double[n / 2];
        for (int j = 0; j < n / 2; j++) {
            er[j] = re[2 * j];
            ei[j] = im[2 * j];
            or[j] = re[2 * j + 1];
            oi[j] = im[2 * j + 1];
        }
        fftDouble(er, ei);
        fftDouble(or, oi);
        for (int k = 0; k < n / 2; k++) {
            double a = -2 * Math.PI * k / n, c = Math.cos(a), s = Math.sin(a);
            double tr = or[k] * c - oi[k] * s, ti = or[k] * s + oi[k] * c;
            re[k] = er[k] + tr;
            im[k] = ei[k] + ti;
            re[k + n / 2] = er[k] - tr;
            im[k + n / 2] = ei[k] - ti;
        }
    }

    /**
     * Large sizes take the cache-blocked bit reversal and the fused two-level passes: forward
     * against a double-precision FFT, in-place equal to out-of-place, and the inverse round trip.
     */
    @Test
    void largeSizesMatchDoubleFftInPlaceAndOutOfPlace() {
        for (int n : new int[] {1 << 10, 1 << 14, 1 << 17}) {
            float[] x = randomSignal(n, 3 * n);
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) re[i] = x[i];
            fftDouble(re, im);
            double[] ref = new double[n + 2];
            for (int k = 0; k <= n / 2; k++) {
                ref[2 * k] = re[k];
                ref[2 * k + 1] = im[k];
            }
            RealFft f = RealFft.of(n);
            float[] out = new float[n + 2];
            f.forward(x, 0, out, 0);
            double e = relErr(out, 0, ref);
            assertTrue(e < tol(n), "n=" + n + " relative error " + e + " > " + tol(n));
            float[] buf = java.util.Arrays.copyOf(x, n + 2);
            f.forward(buf, 0, buf, 0);
            assertArrayEquals(out, buf, "in-place forward, n=" + n);
            float[] y = new float[n];
            f.inverse(out, 0, y, 0);
            f.inverse(buf, 0, buf, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i], y[i], 2 * tol(n), "round trip n=" + n + " at " + i);
                assertEquals(y[i], buf[i], 0f, "in-place inverse n=" + n + " at " + i);
            }
        }
    }

    /** forwardPadded equals forward of an explicitly zero-padded copy, for both permutation paths. */
    @Test
    void paddedForwardEqualsForwardOfZeroPaddedCopy() {
        for (int n : new int[] {2, 16, 64, 1 << 10, 1 << 14, 1 << 15}) {
            RealFft f = RealFft.of(n);
            for (int len : new int[] {0, 1, n / 3, n / 2 + 1, n - 1, n}) {
                float[] x = randomSignal(len + 5, len);
                float[] padded = new float[n];
                System.arraycopy(x, 5, padded, 0, len);
                float[] want = new float[n + 2];
                f.forward(padded, 0, want, 0);
                float[] got = new float[n + 5];
                java.util.Arrays.fill(got, Float.NaN);
                f.forwardPadded(x, 5, len, got, 3);
                assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 3, 3 + n + 2), "n=" + n + " len=" + len);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> RealFft.of(8).forwardPadded(new float[9], 0, 9, new float[10], 0));
    }

    @Test
    void inverseRoundTrip() {
        for (int n = 2; n <= 16384; n *= 2) {
            float[] x = randomSignal(n, 7 * n);
            RealFft f = RealFft.of(n);
            float[] spec = new float[n + 2];
            float[] y = new float[n];
            f.forward(x, 0, spec, 0);
            f.inverse(spec, 0, y, 0);
            double maxd = 0;
            for (int i = 0; i < n; i++) maxd = Math.max(maxd, Math.abs(x[i] - y[i]));
            // x has RMS ~0.58
            assertTrue(maxd < 2 * tol(n), "n=" + n + " round trip error " + maxd);
        }
    }

    @Test
    void inverseMatchesNaiveInverseDftAndIgnoresEdgeImaginaryParts() {
        for (int n : new int[] {2, 4, 8, 32, 512, 2048}) {
            Random r = new Random(n);
            float[] spec = new float[n + 2];
            for (int i = 0; i < spec.length; i++) spec[i] = (float) (2 * r.nextDouble() - 1);
            // Naive irfft: x_t = (1/n) [X_0 + (-1)^t X_{n/2} + 2 sum_{0<k<n/2} Re(X_k e^{2 pi i k t/n})]
            double[] ref = new double[n];
            for (int t = 0; t < n; t++) {
                double s = spec[0] + ((t & 1) == 0 ? 1 : -1) * spec[n];
                for (int k = 1; k < n / 2; k++) {
                    double a = 2 * Math.PI * (((long) k * t) % n) / n;
                    s += 2 * (spec[2 * k] * Math.cos(a) - spec[2 * k + 1] * Math.sin(a));
                }
                ref[t] = s / n;
            }
            float[] y = new float[n];
            RealFft.of(n).inverse(spec, 0, y, 0);
            double e = relErr(y, 0, ref);
            assertTrue(e < tol(n), "n=" + n + " inverse relative error " + e);
        }
    }

    @Test
    void parsevalHolds() {
        int n = 4096;
        float[] x = randomSignal(n, 3);
        float[] s = new float[n + 2];
        RealFft.of(n).forward(x, 0, s, 0);
        double time = 0;
        for (float v : x) time += (double) v * v;
        double freq = (double) s[0] * s[0] + (double) s[n] * s[n];
        for (int k = 1; k < n / 2; k++) freq += 2 * ((double) s[2 * k] * s[2 * k] + (double) s[2 * k + 1] * s[2 * k + 1]);
        freq /= n;
        assertEquals(time, freq, 1e-5 * time);
    }

    @Test
    void linearity() {
        int n = 1024;
        float[] a = randomSignal(n, 1), b = randomSignal(n, 2), c = new float[n];
        for (int i = 0; i < n; i++) c[i] = 2f * a[i] - 0.5f * b[i];
        RealFft f = RealFft.of(n);
        float[] fa = new float[n + 2], fb = new float[n + 2], fc = new float[n + 2];
        f.forward(a, 0, fa, 0);
        f.forward(b, 0, fb, 0);
        f.forward(c, 0, fc, 0);
        for (int i = 0; i < n + 2; i++) assertEquals(2f * fa[i] - 0.5f * fb[i], fc[i], 1e-4f, "index " + i);
    }

    @Test
    void impulseGivesPhaseRamp() {
        int n = 256, t0 = 5;
        float[] x = new float[n];
        x[t0] = 1f;
        float[] s = new float[n + 2];
        RealFft.of(n).forward(x, 0, s, 0);
        for (int k = 0; k <= n / 2; k++) {
            double a = -2 * Math.PI * k * t0 / n;
            assertEquals(Math.cos(a), s[2 * k], 1e-6, "re bin " + k);
            assertEquals(Math.sin(a), s[2 * k + 1], 1e-6, "im bin " + k);
        }
    }

    @Test
    void pureCosineHitsOneBin() {
        int n = 512, k0 = 37;
        float[] x = new float[n];
        for (int t = 0; t < n; t++) x[t] = (float) Math.cos(2 * Math.PI * k0 * t / n + 0.3);
        float[] s = new float[n + 2];
        RealFft.of(n).forward(x, 0, s, 0);
        for (int k = 0; k <= n / 2; k++) {
            double er = k == k0 ? n / 2.0 * Math.cos(0.3) : 0, ei = k == k0 ? n / 2.0 * Math.sin(0.3) : 0;
            assertEquals(er, s[2 * k], 2e-4, "re bin " + k);
            assertEquals(ei, s[2 * k + 1], 2e-4, "im bin " + k);
        }
    }

    @Test
    void offsetsAndInPlace() {
        int n = 64;
        float[] x = randomSignal(n, 9);
        RealFft f = RealFft.of(n);
        float[] ref = new float[n + 2];
        f.forward(x, 0, ref, 0);

        float[] in = new float[n + 7];
        System.arraycopy(x, 0, in, 3, n);
        float[] out = new float[n + 2 + 11];
        java.util.Arrays.fill(out, 42f);
        f.forward(in, 3, out, 5);
        assertArrayEquals(ref, java.util.Arrays.copyOfRange(out, 5, 5 + n + 2));
        for (int i = 0; i < 5; i++) assertEquals(42f, out[i], "must not write before outOff");
        for (int i = 5 + n + 2; i < out.length; i++) assertEquals(42f, out[i], "must not write after the output");

        float[] buf = new float[n + 2 + 4];
        System.arraycopy(x, 0, buf, 4, n);
        f.forward(buf, 4, buf, 4);
        assertArrayEquals(ref, java.util.Arrays.copyOfRange(buf, 4, 4 + n + 2), "in-place forward");

        float[] y = new float[n + 6];
        f.inverse(out, 5, y, 6 - 6 + 2);
        f.inverse(buf, 4, buf, 4);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i], y[2 + i], 1e-6f, "offset inverse " + i);
            assertEquals(x[i], buf[4 + i], 1e-6f, "in-place inverse " + i);
        }
        // same array, shifted overlapping ranges
        float[] sh = new float[n + 10];
        System.arraycopy(ref, 0, sh, 4, n + 2);
        f.inverse(sh, 4, sh, 1);
        for (int i = 0; i < n; i++) assertEquals(x[i], sh[1 + i], 1e-6f, "shifted inverse " + i);
    }

    @Test
    void batchEqualsSingle() {
        int n = 512, count = 300, inStride = n + 3, outStride = n + 5;
        float[] in = randomSignal(inStride * count, 11);
        float[] out = new float[outStride * count];
        RealFft f = RealFft.of(n);
        f.forwardBatch(in, 0, inStride, out, 0, outStride, count);
        float[] one = new float[n + 2];
        for (int b = 0; b < count; b++) {
            f.forward(in, b * inStride, one, 0);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(out, b * outStride, b * outStride + n + 2), "signal " + b);
        }
        float[] back = new float[n * count];
        f.inverseBatch(out, 0, outStride, back, 0, n, count);
        float[] y = new float[n];
        for (int b = 0; b < count; b++) {
            f.inverse(out, b * outStride, y, 0);
            assertArrayEquals(y, java.util.Arrays.copyOfRange(back, b * n, b * n + n), "inverse signal " + b);
        }
    }

    @Test
    void rejectsBadSizesWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RealFft(1000));
        assertEquals("n must be a power of two, got 1000; pad to 1024", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RealFft.of(1));
        assertThrows(IllegalArgumentException.class, () -> RealFft.of(0));
        assertThrows(IllegalArgumentException.class, () -> RealFft.of(-4));
        assertThrows(IllegalArgumentException.class, () -> RealFft.of(8).forward(new float[8], 0, new float[9], 0));
    }

    @Test
    void sharedPlansAreCached() {
        assertSame(RealFft.of(1024), RealFft.of(1024));
        assertEquals(1024, RealFft.of(1024).size());
    }
}
