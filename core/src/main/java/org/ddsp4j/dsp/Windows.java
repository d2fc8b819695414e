package org.ddsp4j.dsp;

/** Window functions as float arrays. */
public final class Windows {
    private Windows() {}

    /**
     * Hann window of {@code n} samples: periodic {@code 0.5 - 0.5 cos(2 pi i / n)} (the default of
     * {@code tf.signal.hann_window} and {@code torch.hann_window}; overlap-adds to a constant at hop
     * {@code n/2}) or symmetric {@code 0.5 - 0.5 cos(2 pi i / (n - 1))}.
     */
    public static float[] hann(int n, boolean periodic) {
        if (n < 1) throw new IllegalArgumentException("window length must be >= 1, got " + n);
        float[] w = new float[n];
        if (n == 1) {
            w[0] = 1f;
            return w;
        }
        double d = periodic ? n : n - 1;
        for (int i = 0; i < n; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / d));
        return w;
    }
}
