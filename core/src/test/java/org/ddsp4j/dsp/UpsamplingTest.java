package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class UpsamplingTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    /** Naive align-corners interpolation in double. */
    private static float[] naiveLinear(float[] x, int b, int f, int c, int n) {
        float[] y = new float[b * n * c];
        for (int bb = 0; bb < b; bb++)
            for (int t = 0; t < n; t++)
                for (int ch = 0; ch < c; ch++) {
                    double pos = n == 1 ? 0 : t * (f - 1.0) / (n - 1.0);
                    int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, f - 1);
                    double w = pos - lo;
                    y[(bb * n + t) * c + ch] = (float) ((1 - w) * x[(bb * f + lo) * c + ch] + w * x[(bb * f + hi) * c + ch]);
                }
        return y;
    }

    /** Naive ddsp upsample_with_windows: append endpoint, window each frame, overlap-add, trim. */
    private static float[] naiveWindowed(float[] x, int b, int f, int c, int n, boolean endpoint) {
        int fe = endpoint ? f + 1 : f, hop = n / (fe - 1), wl = 2 * hop;
        float[] y = new float[b * n * c];
        for (int bb = 0; bb < b; bb++)
            for (int ch = 0; ch < c; ch++) {
                double[] ola = new double[(fe + 1) * hop];
                for (int k = 0; k < fe; k++) {
                    double v = x[(bb * f + Math.min(k, f - 1)) * c + ch];
                    for (int j = 0; j < wl; j++) ola[k * hop + j] += v * (0.5 - 0.5 * Math.cos(2 * Math.PI * j / wl));
                }
                for (int t = 0; t < n; t++) y[(bb * n + t) * c + ch] = (float) ola[t + hop];
            }
        return y;
    }

    @Test
    void linearMatchesNaiveAndHitsFrames() {
        int b = 2, f = 5, c = 3, n = 33;
        Tensor x = Tensor.uniform(rng, -1, 1, b, f, c);
        float[] y = Upsampling.linear(x, n).data();
        DspTestSupport.assertClose(naiveLinear(x.data(), b, f, c, n), y, 1e-6, "linear");
        // Align corners: sample t = k*(n-1)/(f-1) = 8k is frame k exactly.
        for (int k = 0; k < f; k++) DspTestSupport.assertClose(new float[] {x.get(1, k, 2)}, new float[] {y[(n + 8 * k) * c + 2]}, 1e-6, "frame " + k);
        DspTestSupport.assertClose(naiveLinear(x.data(), b, f, c, 3), Upsampling.resample(x, 3, Upsampling.Align.CORNERS).data(), 1e-6, "down");
    }

    @Test
    void holdLastConvention() {
        Tensor x = Tensor.of(new float[] {0f, 4f}, 1, 2, 1);
        float[] y = Upsampling.resample(x, 4, Upsampling.Align.HOLD_LAST).data();
        DspTestSupport.assertClose(new float[] {0f, 2f, 4f, 4f}, y, 1e-6, "hold last");
    }

    @Test
    void windowedMatchesNaiveOverlapAdd() {
        int b = 2, f = 4, c = 2;
        Tensor x = Tensor.uniform(rng, -1, 1, b, f, c);
        DspTestSupport.assertClose(naiveWindowed(x.data(), b, f, c, 32, true), Upsampling.windowed(x, 32, true).data(), 1e-6, "endpoint");
        DspTestSupport.assertClose(naiveWindowed(x.data(), b, f, c, 30, false), Upsampling.windowed(x, 30, false).data(), 1e-6, "no endpoint");
        // Constant controls stay constant (the windows sum to one).
        float[] flat = Upsampling.windowed(Tensor.full(0.7f, 1, 3, 1), 24, true).data();
        for (float v : flat) DspTestSupport.assertClose(new float[] {0.7f}, new float[] {v}, 1e-6, "constant");
        assertThrows(IllegalArgumentException.class, () -> Upsampling.windowed(x, 30, true));
        assertThrows(IllegalArgumentException.class, () -> Upsampling.windowed(x, 3, true));
    }

    @Test
    void gradients() {
        DspTestSupport.gradCheck("linear", in -> Upsampling.linear(in[0], 13), DspTestSupport.uniform(rng, -1, 1, 2, 4, 2));
        DspTestSupport.gradCheck("linear F=1", in -> Upsampling.linear(in[0], 5), DspTestSupport.uniform(rng, -1, 1, 1, 1, 2));
        DspTestSupport.gradCheck("hold last", in -> Upsampling.resample(in[0], 11, Upsampling.Align.HOLD_LAST), DspTestSupport.uniform(rng, -1, 1, 2, 4, 1));
        DspTestSupport.gradCheck("down", in -> Upsampling.resample(in[0], 3, Upsampling.Align.CORNERS), DspTestSupport.uniform(rng, -1, 1, 1, 7, 2));
        DspTestSupport.gradCheck("windowed", in -> Upsampling.windowed(in[0], 16, true), DspTestSupport.uniform(rng, -1, 1, 2, 4, 2));
        DspTestSupport.gradCheck("windowed no endpoint", in -> Upsampling.windowed(in[0], 12, false), DspTestSupport.uniform(rng, -1, 1, 1, 4, 1));
    }
}
