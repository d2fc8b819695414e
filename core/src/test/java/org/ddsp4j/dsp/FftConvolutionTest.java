package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.FftConvolution.Padding;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FftConvolutionTest {
    private final SplittableRandom rng = new SplittableRandom(5);

    /** Direct time-varying convolution in double: frame f of the audio with IR f, overlap-added. */
    private static double[][] directFull(float[] x, int batch, int t, float[] h, int hb, int frames, int n) {
        int hop = t / frames;
        double[][] y = new double[batch][t + n - 1];
        for (int b = 0; b < batch; b++)
            for (int f = 0; f < frames; f++) {
                int ho = ((hb == 1 ? 0 : b) * frames + f) * n;
                for (int i = 0; i < hop; i++)
                    for (int k = 0; k < n; k++) y[b][f * hop + i + k] += (double) x[b * t + f * hop + i] * h[ho + k];
            }
        return y;
    }

    private static float[] crop(double[][] full, int start, int len) {
        float[] out = new float[full.length * len];
        for (int b = 0; b < full.length; b++)
            for (int i = 0; i < len; i++) out[b * len + i] = (float) full[b][start + i];
        return out;
    }

    @Test
    void staticMatchesDirectConvolution() {
        int batch = 3, t = 50, n = 17;
        Tensor x = Tensor.uniform(rng, -1, 1, batch, t);
        for (int hb : new int[] {1, batch}) {
            Tensor h = Tensor.uniform(rng, -1, 1, hb, n);
            double[][] full = directFull(x.data(), batch, t, h.data(), hb, 1, n);
            assertArrayEquals(crop(full, 0, t + n - 1), FftConvolution.fftConvolve(x, h, Padding.VALID).data(), 1e-5f, "valid hb=" + hb);
            assertArrayEquals(crop(full, n / 2, t), FftConvolution.fftConvolve(x, h, Padding.SAME).data(), 1e-5f, "same hb=" + hb);
            assertArrayEquals(crop(full, 0, t), FftConvolution.fftConvolve(x, h, Padding.SAME, 0).data(), 1e-5f, "same d=0 hb=" + hb);
            assertArrayEquals(crop(full, n - 1, t), FftConvolution.fftConvolve(x, h, Padding.SAME, n - 1).data(), 1e-5f, "same d=n-1");
        }
    }

    @Test
    void framewiseMatchesDirectTimeVaryingConvolution() {
        for (FftConvolution.Method m : FftConvolution.Method.values()) framewise(m);
    }

    private void framewise(FftConvolution.Method m) {
        int batch = 2, frames = 6, hop = 8, t = frames * hop;
        Tensor x = Tensor.uniform(rng, -1, 1, batch, t);
        for (int n : new int[] {5, 16, 33}) {
            for (int hb : new int[] {1, batch}) {
                Tensor h = Tensor.uniform(rng, -1, 1, hb, frames, n);
                double[][] full = directFull(x.data(), batch, t, h.data(), hb, frames, n);
                assertArrayEquals(crop(full, 0, t + n - 1), FftConvolution.fftConvolve(x, h, Padding.VALID, -1, m).data(), 1e-5f, "valid n=" + n + " " + m);
                assertArrayEquals(crop(full, n / 2, t), FftConvolution.fftConvolve(x, h, Padding.SAME, -1, m).data(), 1e-5f, "same n=" + n + " " + m);
                assertArrayEquals(crop(full, 3, t), FftConvolution.fftConvolve(x, h, Padding.SAME, 3, m).data(), 1e-5f, "same d=3 n=" + n + " " + m);
            }
        }
    }

    @Test
    void gradients() {
        int batch = 2;
        for (Padding p : Padding.values()) {
            DspTestSupport.gradCheck("static per-row " + p, in -> FftConvolution.fftConvolve(in[0], in[1], p),
                    DspTestSupport.uniform(rng, -1, 1, batch, 11), DspTestSupport.uniform(rng, -1, 1, batch, 6));
            DspTestSupport.gradCheck("static shared " + p, in -> FftConvolution.fftConvolve(in[0], in[1], p, 2),
                    DspTestSupport.uniform(rng, -1, 1, 3, 9), DspTestSupport.uniform(rng, -1, 1, 1, 5));
            for (FftConvolution.Method m : new FftConvolution.Method[] {FftConvolution.Method.FFT, FftConvolution.Method.DIRECT}) {
                DspTestSupport.gradCheck("framewise per-row " + p + " " + m, in -> FftConvolution.fftConvolve(in[0], in[1], p, -1, m),
                        DspTestSupport.uniform(rng, -1, 1, batch, 12), DspTestSupport.uniform(rng, -1, 1, batch, 3, 5));
                DspTestSupport.gradCheck("framewise shared " + p + " " + m, in -> FftConvolution.fftConvolve(in[0], in[1], p, 1, m),
                        DspTestSupport.uniform(rng, -1, 1, 3, 8), DspTestSupport.uniform(rng, -1, 1, 1, 2, 6));
            }
        }
        // Only the IR differentiated (the audio is a constant), as in the noise synth.
        Tensor noise = Tensor.uniform(rng, -1, 1, 2, 12);
        DspTestSupport.gradCheck("ir only", in -> FftConvolution.fftConvolve(noise, in[0], Padding.SAME),
                DspTestSupport.uniform(rng, -1, 1, 2, 4, 7));
    }

    @Test
    void badShapesAreRejected() {
        Tensor x = Tensor.zeros(2, 10);
        assertThrows(IllegalArgumentException.class, () -> FftConvolution.fftConvolve(x, Tensor.zeros(3, 4), Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> FftConvolution.fftConvolve(x, Tensor.zeros(2, 3, 4), Padding.SAME));
        assertThrows(IllegalArgumentException.class, () -> FftConvolution.fftConvolve(x, Tensor.zeros(2, 4), Padding.SAME, 4));
        assertThrows(IllegalArgumentException.class, () -> FftConvolution.fftConvolve(Tensor.zeros(10), Tensor.zeros(1, 4), Padding.SAME));
    }
}
