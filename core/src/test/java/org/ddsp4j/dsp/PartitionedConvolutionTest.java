package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionedConvolutionTest {
    /** {@code y[t] = sum_j x[t - j] h[j]} in double, the first {@code x.length} samples. */
    private static double[] direct(float[] x, float[] h) {
        double[] y = new double[x.length];
        for (int t = 0; t < x.length; t++)
            for (int j = 0; j < h.length && j <= t; j++) y[t] += (double) x[t - j] * h[j];
        return y;
    }

    private static float[] uniform(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }

    @Test
    void blocksEqualDirectConvolution() {
        SplittableRandom rng = new SplittableRandom(3);
        // (irSize, blockSize): IR shorter than, equal to and many times a block; blocks of 1, odd and power-of-two sizes.
        int[][] cases = {{1, 4}, {5, 8}, {64, 64}, {1000, 64}, {333, 48}, {40, 1}, {257, 7}};
        for (int[] c : cases) {
            int irSize = c[0], blockSize = c[1], blocks = 3 + 2 * irSize / blockSize;
            float[] h = uniform(rng, irSize), x = uniform(rng, blocks * blockSize);
            double[] ref = direct(x, h);
            PartitionedConvolution conv = new PartitionedConvolution(h, blockSize);
            float[] y = new float[x.length];
            for (int b = 0; b < blocks; b++) conv.process(x, b * blockSize, y, b * blockSize);
            // float FFT of a sum of up to irSize products of values in [-1, 1): error ~ 1e-6 * sqrt(irSize)
            double tol = 2e-6 * Math.sqrt(irSize) * 4;
            for (int t = 0; t < x.length; t++) {
                assertEquals(ref[t], y[t], tol, "irSize " + irSize + " block " + blockSize + " sample " + t);
            }
            // reset forgets the history: the same input again gives the same output
            conv.reset();
            float[] y2 = new float[x.length];
            for (int b = 0; b < blocks; b++) conv.process(x, b * blockSize, y2, b * blockSize);
            for (int t = 0; t < x.length; t++) assertEquals(y[t], y2[t], 0f, "after reset, sample " + t);
        }
    }

    @Test
    void inPlaceAndImpulse() {
        float[] h = {0f, 0.5f, -0.25f, 0.125f, 1f};
        PartitionedConvolution conv = new PartitionedConvolution(h, 2);
        float[] x = new float[8];
        x[0] = 1f;
        for (int b = 0; b < 4; b++) conv.process(x, 2 * b, x, 2 * b);
        float[] expect = {0f, 0.5f, -0.25f, 0.125f, 1f, 0f, 0f, 0f};
        for (int i = 0; i < 8; i++) assertEquals(expect[i], x[i], 1e-6f, "sample " + i);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionedConvolution(new float[0], 4));
        assertThrows(IllegalArgumentException.class, () -> new PartitionedConvolution(new float[3], 0));
    }
}
