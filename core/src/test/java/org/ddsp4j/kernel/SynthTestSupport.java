package org.ddsp4j.kernel;

import java.util.Random;
import java.util.function.Function;

/** Independent helpers for the synthesizer kernel tests (naive double math, no kernel code). */
final class SynthTestSupport {
    private SynthTestSupport() {}

    /** Frame position of sample t, align_corners=True: t * (F-1) / (T-1). */
    static double pos(int t, int nFrames, int nSamples) {
        return nSamples > 1 ? t * (double) (nFrames - 1) / (nSamples - 1) : 0;
    }

    /** {i0, i1} and weight of sample t, i0 = min(floor(pos), F-2). */
    static int lo(int t, int nFrames, int nSamples) {
        if (nFrames < 2) return 0;
        return Math.min((int) Math.floor(pos(t, nFrames, nSamples)), nFrames - 2);
    }

    static int hi(int t, int nFrames, int nSamples) {
        return Math.min(lo(t, nFrames, nSamples) + 1, nFrames - 1);
    }

    static double weight(int t, int nFrames, int nSamples) {
        return nFrames < 2 ? 0 : pos(t, nFrames, nSamples) - lo(t, nFrames, nSamples);
    }

    /** Linear upsampling of frame series x[off + f*stride] to sample t. */
    static double up(double[] x, int off, int stride, int t, int nFrames, int nSamples) {
        double w = weight(t, nFrames, nSamples);
        return (1 - w) * x[off + lo(t, nFrames, nSamples) * stride] + w * x[off + hi(t, nFrames, nSamples) * stride];
    }

    static float[] uniform(Random r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    static double[] toDouble(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double maxAbsDiff(float[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** ||a - b|| / max(||b||, tiny). */
    static double relErr(float[] a, double[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    }

    static double relErr(double[] a, double[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /**
     * Central finite differences of the scalar L(x) = loss.apply(x) for every entry of x (in place,
     * restored afterwards), step h * max(1, |x_i|).
     */
    static double[] finiteDiff(double[] x, double h, Function<double[], Double> loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i], step = h * Math.max(1, Math.abs(keep));
            x[i] = keep + step;
            double up = loss.apply(x);
            x[i] = keep - step;
            double down = loss.apply(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * step);
        }
        return g;
    }

    /** |DTFT| at frequency hz of Hann-windowed x[off, off+n), sample rate sr (direct sum in double). */
    static double hannMagnitude(float[] x, int off, int n, double sr, double hz) {
        double re = 0, im = 0, step = 2 * Math.PI * hz / sr;
        // Rotation recurrence re-seeded every 1024 samples keeps the double error negligible.
        double c = 1, s = 0, cs = Math.cos(step), sn = Math.sin(step);
        for (int i = 0; i < n; i++) {
            if ((i & 1023) == 0) {
                c = Math.cos(step * i);
                s = Math.sin(step * i);
            }
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            double v = win * x[off + i];
            re += v * c;
            im -= v * s;
            double c2 = c * cs - s * sn;
            s = s * cs + c * sn;
            c = c2;
        }
        return Math.hypot(re, im);
    }

    /** Frequency (Hz) of the largest Hann-windowed DTFT magnitude on a grid around guess. */
    static double peakNear(float[] x, int off, int n, double sr, double guess, double halfWidth, double step) {
        double best = guess, bestMag = -1;
        for (double f = guess - halfWidth; f <= guess + halfWidth; f += step) {
            double m = hannMagnitude(x, off, n, sr, f);
            if (m > bestMag) {
                bestMag = m;
                best = f;
            }
        }
        return best;
    }
}
