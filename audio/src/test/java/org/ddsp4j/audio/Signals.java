package org.ddsp4j.audio;

/** Reference measurements on test signals (naive, double precision). */
final class Signals {
    private Signals() {}

    /** A sine {@code amp * sin(2 pi f t + phase)}, {@code [n]}. */
    static float[] sine(int n, double freqHz, int sampleRate, double amp, double phase) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amp * Math.sin(2 * Math.PI * freqHz * i / sampleRate + phase));
        return x;
    }

    /**
     * Frequency from upward zero crossings (linearly interpolated) within {@code [from, to)}:
     * (crossings - 1) periods between the first and the last crossing.
     */
    static double zeroCrossingHz(float[] x, int from, int to, int sampleRate) {
        double first = -1, last = -1;
        int count = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double t = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (count == 0) first = t;
                last = t;
                count++;
            }
        }
        if (count < 2) return 0;
        return (count - 1) / (last - first) * sampleRate;
    }

    /** Amplitude of the component at {@code freqHz} by least-squares fit of a sine and cosine on {@code [from, to)}. */
    static double amplitudeAt(float[] x, int from, int to, double freqHz, int sampleRate) {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * freqHz * i / sampleRate;
            double s = Math.sin(w), c = Math.cos(w);
            ss += s * s; cc += c * c; sc += s * c; xs += x[i] * s; xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
        return Math.hypot(a, b);
    }

    /** Root mean square on {@code [from, to)}. */
    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) x[i] * x[i];
        return Math.sqrt(s / Math.max(1, to - from));
    }

    /** Largest absolute difference. */
    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
