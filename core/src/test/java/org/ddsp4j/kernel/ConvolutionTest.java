package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvolutionTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (2 * r.nextDouble() - 1);
        return a;
    }

    /** Direct convolution in double. */
    private static double[] direct(float[] x, int xOff, int nx, float[] h, int hOff, int nh) {
        double[] y = new double[nx + nh - 1];
        for (int i = 0; i < nx; i++) for (int j = 0; j < nh; j++) y[i + j] += (double) x[xOff + i] * h[hOff + j];
        return y;
    }

    /** Asserts |got - want| <= 1e-5 * (1 + max|want|) everywhere. */
    private static void assertClose(double[] want, float[] got, int off, String what) {
        double scale = 1;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[off + i], 1e-5 * scale, what + " index " + i);
        }
    }

    @Test
    void fftSizeIsNextPowerOfTwo() {
        assertEquals(2, Convolution.fftSize(1, 1));
        assertEquals(2, Convolution.fftSize(1, 2));
        assertEquals(4, Convolution.fftSize(2, 2));
        assertEquals(4, Convolution.fftSize(3, 2));
        assertEquals(8, Convolution.fftSize(3, 3));
        assertEquals(1024, Convolution.fftSize(1000, 25));
        assertEquals(2048, Convolution.fftSize(1000, 26));
    }

    @Test
    void matchesDirectConvolution() {
        int[][] sizes = {{1, 1}, {1, 5}, {5, 1}, {2, 3}, {17, 4}, {100, 100}, {1000, 31}, {4000, 257}, {64, 1}};
        for (int[] s : sizes) {
            float[] x = random(s[0], s[0]), h = random(s[1], 100 + s[1]);
            assertClose(direct(x, 0, s[0], h, 0, s[1]), Convolution.full(x, h), 0, "nx=" + s[0] + " nh=" + s[1]);
        }
    }

    @Test
    void deltaKernelShifts() {
        float[] x = random(50, 1);
        float[] h = new float[4];
        h[3] = 1f;
        float[] y = Convolution.full(x, h);
        for (int i = 0; i < 53; i++) assertEquals(i < 3 ? 0f : x[i - 3], y[i], 1e-6f, "index " + i);
    }

    @Test
    void offsetsAreRespected() {
        float[] x = random(40, 2), h = random(20, 3);
        float[] out = new float[7 + 10 + 5 - 1 + 3];
        java.util.Arrays.fill(out, 9f);
        Convolution.full(x, 7, 10, h, 4, 5, out, 3);
        assertClose(direct(x, 7, 10, h, 4, 5), out, 3, "offsets");
        for (int i = 0; i < 3; i++) assertEquals(9f, out[i]);
        for (int i = 3 + 14; i < out.length; i++) assertEquals(9f, out[i]);
    }

    @Test
    void batchedSharedKernelEqualsSingle() {
        int nx = 300, nh = 65, count = 40, ny = nx + nh - 1;
        float[] x = random(nx * count, 4), h = random(nh, 5), out = new float[ny * count];
        Convolution.fullBatch(x, nx, count, h, nh, out);
        for (int b = 0; b < count; b++) assertClose(direct(x, b * nx, nx, h, 0, nh), out, b * ny, "signal " + b);
    }

    @Test
    void batchedPerSignalKernelEqualsSingle() {
        int nx = 200, nh = 33, count = 60, ny = nx + nh - 1;
        float[] x = random(nx * count, 6), h = random(nh * count, 7), out = new float[ny * count];
        Convolution.fullBatchPerSignal(x, nx, h, nh, count, out);
        float[] one = new float[ny];
        for (int b = 0; b < count; b++) {
            assertClose(direct(x, b * nx, nx, h, b * nh, nh), out, b * ny, "signal " + b);
            Convolution.full(x, b * nx, nx, h, b * nh, nh, one, 0);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(out, b * ny, b * ny + ny), "batch vs single " + b);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> Convolution.full(new float[0], new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> Convolution.fullBatch(new float[10], 5, 3, new float[2], 2, new float[100]));
        assertThrows(IllegalArgumentException.class,
                () -> Convolution.fullBatch(new float[10], 5, 2, new float[2], 2, new float[11]));
    }
}
