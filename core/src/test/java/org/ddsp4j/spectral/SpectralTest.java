package org.ddsp4j.spectral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.spectral.Spectral.MelNorm;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SpectralTest {
    private final SplittableRandom rng = new SplittableRandom(5);

    /**
     * The step trades float32 rounding of the outputs (worse for small steps and large outputs, like
     * mel sums of magnitudes) against curvature (worse for large steps near the log's small arguments).
     */
    private static void gradCheck(String what, double step, java.util.function.Function<Tensor[], Tensor> f, Tensor x) {
        GradCheck.Result r = new GradCheck().step(step).tolerance(3e-3, 2e-2).check(f, x);
        assertTrue(r.ok(), what + ": " + r);
    }

    @Test
    void melScaleIsHtk() {
        assertEquals(1000.0, Spectral.hzToMel(1000.0), 0.05); // HTK: 1000 Hz ~ 1000 mel
        assertEquals(2595 * Math.log10(1 + 440 / 700.0), Spectral.hzToMel(440), 1e-9);
        for (double hz : new double[] {0, 55, 1234.5, 8000}) assertEquals(hz, Spectral.melToHz(Spectral.hzToMel(hz)), 1e-6);
    }

    @Test
    void melMatrixShapePeaksAndArea() {
        int sr = 16000, nFft = 4096, nMels = 40, bins = nFft / 2 + 1;
        float[] m = Spectral.melMatrix(sr, nFft, nMels, 0, 8000, MelNorm.NONE);
        assertEquals(bins * nMels, m.length);
        float[] s = Spectral.melMatrix(sr, nFft, nMels, 0, 8000, MelNorm.SLANEY);
        double binHz = (double) sr / nFft, melStep = Spectral.hzToMel(8000) / (nMels + 1);
        for (int j = 0; j < nMels; j++) {
            double centre = Spectral.melToHz(melStep * (j + 1));
            int best = 0;
            double area = 0;
            for (int k = 0; k < bins; k++) {
                if (m[k * nMels + j] > m[best * nMels + j]) best = k;
                area += s[k * nMels + j] * binHz;
                assertTrue(m[k * nMels + j] >= 0 && m[k * nMels + j] <= 1, "weights in [0, 1]");
            }
            // Peak at the bin nearest the centre frequency, height 1 up to the grid's offset.
            assertEquals(centre, best * binHz, binHz + 1e-9, "peak of filter " + j); // asymmetric slopes: either neighbour
            double left = Spectral.melToHz(melStep * j), right = Spectral.melToHz(melStep * (j + 2));
            double offset = Math.abs(best * binHz - centre);
            assertEquals(1.0, m[best * nMels + j], offset / (centre - left) + offset / (right - centre) + 1e-6, "height " + j);
            // Slaney: unit area in Hz (Riemann sum on the bin grid; the narrowest filter spans ~12 bins).
            assertEquals(1.0, area, 0.02, "area of filter " + j);
        }
        assertThrows(IllegalArgumentException.class, () -> Spectral.melMatrix(sr, nFft, nMels, 0, 9000, MelNorm.NONE));
    }

    @Test
    void dctIsOrthonormalAndMatchesNaive() {
        int n = 12, out = 12;
        float[] d = Spectral.dctMatrix(n, out);
        for (int a = 0; a < out; a++) {
            for (int b = 0; b < out; b++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += d[i * out + a] * d[i * out + b];
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, "columns " + a + ", " + b);
            }
        }
        // MFCC = naive DCT-II (ortho) of the log-mel, written out from the definition.
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 600);
        Tensor logMel = Spectral.logMel(x, 16000, 256, 64, 20, 0, 8000);
        Tensor mfcc = Spectral.mfcc(x, 16000, 256, 64, 20, 0, 8000, 13);
        assertArrayEquals(new int[] {2, 1 + 600 / 64, 13}, mfcc.shape());
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < mfcc.dim(1); f++) {
                for (int c = 0; c < 13; c++) {
                    double sum = 0;
                    for (int m = 0; m < 20; m++) sum += logMel.get(b, f, m) * Math.cos(Math.PI / 20 * (m + 0.5) * c);
                    sum *= c == 0 ? Math.sqrt(1.0 / 20) : Math.sqrt(2.0 / 20);
                    assertEquals(sum, mfcc.get(b, f, c), 1e-4 * Math.max(1, Math.abs(sum)));
                }
            }
        }
    }

    @Test
    void melSpectrogramIsMagnitudeTimesFilterbank() {
        Tensor x = Tensor.uniform(rng, -1, 1, 1, 300);
        Tensor mel = Spectral.melSpectrogram(x, 8000, 64, 16, 8, 100, 4000);
        Tensor mag = Stft.magnitude(x, 64, 16, Padding.REFLECT);
        float[] w = Spectral.melMatrix(8000, 64, 8, 100, 4000, MelNorm.NONE);
        for (int f = 0; f < mag.dim(1); f++) {
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 33; k++) s += mag.get(0, f, k) * w[k * 8 + j];
                assertEquals(s, mel.get(0, f, j), 1e-4 * Math.max(1, s));
            }
        }
    }

    @Test
    void loudnessEqualsLoudnessDb() {
        int sr = 16000, fps = 250, n = 4000;
        Tensor x = Tensor.randn(rng, 0.1f, 3, n);
        // Add a quiet row and a silent stretch so the -80 dB clip is exercised.
        for (int i = 0; i < n; i++) x.data()[2 * n + i] *= i < n / 2 ? 0f : 1e-3f;
        Tensor l = Spectral.loudness(x, sr, fps);
        Tensor r = Spectral.rmsDb(x, sr, fps);
        for (int b = 0; b < 3; b++) {
            float[] row = java.util.Arrays.copyOfRange(x.data(), b * n, (b + 1) * n);
            float[] ref = Loudness.loudnessDb(row, sr, fps), rms = Loudness.rmsDb(row, sr, fps);
            for (int f = 0; f < ref.length; f++) {
                assertEquals(ref[f], l.get(b, f), 0f, "loudness row " + b + " frame " + f);
                assertEquals(rms[f], r.get(b, f), 0f, "rms row " + b + " frame " + f);
            }
        }
    }

    @Test
    void gradients() {
        // 38 samples, hop 4: the last frame is not centred on the last sample, so (with reflect padding)
        // only frame 0 has a purely real spectrum, whose |Re| kinks the step could straddle.
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 38).requiresGrad(true);
        gradCheck("logMagnitude", 1e-4, in -> Spectral.logMagnitude(in[0], 16, 4, Padding.ZERO), x);
        gradCheck("melSpectrogram", 1e-3, in -> Spectral.melSpectrogram(in[0], 8000, 16, 4, 3, 0, 4000), x);
        gradCheck("logMel", 1e-4, in -> Spectral.logMel(in[0], 8000, 16, 4, 3, 0, 4000), x);
        gradCheck("mfcc", 1e-4, in -> Spectral.mfcc(in[0], 8000, 16, 4, 3, 0, 4000, 3), x);
        // Loudness at 1 kHz, 250 frames/s (hop 4), nFft 16: the same code as 16 kHz / 512, small enough to check.
        gradCheck("loudness", 1e-3, in -> Spectral.loudness(in[0], 1000, 250, 16, 80), x);
        // rmsDb at 500 Hz: frames of defaultNFft(500) = 16 samples, hop 2.
        gradCheck("rmsDb", 1e-3, in -> Spectral.rmsDb(in[0], 500, 250), x);
        Tensor quiet = Tensor.uniform(rng, -1e-5f, 1e-5f, 1, 37).requiresGrad(true);
        Spectral.loudness(quiet, 1000, 250, 16, 80).sum().backward();
        for (float g : quiet.grad()) assertEquals(0f, g, "clipped frames have no gradient");
    }
}
