package org.ddsp4j.kernel;

/**
 * Full linear convolution through the FFT on flat float arrays:
 * {@code y[t] = sum_j x[t - j] h[j]} for {@code t in [0, nx + nh - 1)}, computed with a real FFT of
 * size {@link #fftSize nfft} = the next power of two {@code >= nx + nh - 1} (so there is no circular
 * wrap-around). Results match direct convolution to float32 rounding of the FFT (relative error of a
 * few 1e-7 times log2(nfft), relative to the output's scale).
 */
public final class Convolution {
    private Convolution() {}

    /** The FFT size used for inputs of lengths {@code nx} and {@code nh}: next power of two {@code >= nx+nh-1}. */
    public static int fftSize(int nx, int nh) {
        checkLengths(nx, nh);
        long need = (long) nx + nh - 1;
        if (need > (1 << 30)) {
            throw new IllegalArgumentException("convolution of lengths " + nx + " and " + nh + " is too long for one FFT");
        }
        return need <= 2 ? 2 : Integer.highestOneBit((int) need - 1) << 1;
    }

    /** Full convolution of {@code x[nx]} with {@code h[nh]}; returns {@code nx + nh - 1} samples. */
    public static float[] full(float[] x, float[] h) {
        checkLengths(x.length, h.length);
        float[] out = new float[x.length + h.length - 1];
        full(x, 0, x.length, h, 0, h.length, out, 0);
        return out;
    }

    /**
     * Full convolution of {@code x[xOff .. xOff+nx)} with {@code h[hOff .. hOff+nh)} into
     * {@code out[outOff .. outOff+nx+nh-1)}. {@code out} must not overlap the inputs.
     */
    public static void full(float[] x, int xOff, int nx, float[] h, int hOff, int nh, float[] out, int outOff) {
        int nfft = fftSize(nx, nh);
        check(x, xOff, nx, "x");
        check(h, hOff, nh, "h");
        check(out, outOff, nx + nh - 1, "out");
        RealFft f = RealFft.of(nfft);
        float[] hs = new float[nfft + 2];
        spectrum(f, h, hOff, nh, hs);
        float[] buf = new float[nfft + 2];
        convolveOne(f, x, xOff, nx, hs, buf, out, outOff, nx + nh - 1);
    }

    /**
     * Batched full convolution with one shared kernel: {@code x} is {@code [count, nx]} row-major,
     * {@code h} is {@code [nh]}, {@code out} is {@code [count, nx+nh-1]}. Runs on several cores.
     */
    public static void fullBatch(float[] x, int nx, int count, float[] h, int nh, float[] out) {
        checkBatch(x, nx, count, out, nh);
        check(h, 0, nh, "h");
        int nfft = fftSize(nx, nh), ny = nx + nh - 1;
        RealFft f = RealFft.of(nfft);
        float[] hs = new float[nfft + 2];
        spectrum(f, h, 0, nh, hs);
        Parallel.forRange(count, Math.max(1, 65536 / nfft), (from, to) -> {
            float[] buf = new float[nfft + 2];
            for (int b = from; b < to; b++) convolveOne(f, x, b * nx, nx, hs, buf, out, b * ny, ny);
        });
    }

    /**
     * Batched full convolution with one kernel per signal: {@code x} is {@code [count, nx]},
     * {@code h} is {@code [count, nh]}, {@code out} is {@code [count, nx+nh-1]}. Runs on several cores.
     */
    public static void fullBatchPerSignal(float[] x, int nx, float[] h, int nh, int count, float[] out) {
        checkBatch(x, nx, count, out, nh);
        if ((long) count * nh > h.length) {
            throw new IllegalArgumentException("h: need [count=" + count + ", nh=" + nh + "] = " + (long) count * nh
                    + " floats but it has " + h.length);
        }
        int nfft = fftSize(nx, nh), ny = nx + nh - 1;
        RealFft f = RealFft.of(nfft);
        Parallel.forRange(count, Math.max(1, 32768 / nfft), (from, to) -> {
            float[] hs = new float[nfft + 2];
            float[] buf = new float[nfft + 2];
            for (int b = from; b < to; b++) {
                spectrum(f, h, b * nh, nh, hs);
                convolveOne(f, x, b * nx, nx, hs, buf, out, b * ny, ny);
            }
        });
    }

    /** Zero-padded spectrum of {@code a[off .. off+len)} into {@code spec} (nfft+2 floats). */
    private static void spectrum(RealFft f, float[] a, int off, int len, float[] spec) {
        f.forwardPadded(a, off, len, spec, 0);
    }

    private static void convolveOne(RealFft f, float[] x, int xOff, int nx, float[] hs, float[] buf,
                                    float[] out, int outOff, int ny) {
        spectrum(f, x, xOff, nx, buf);
        ComplexKernel.mulInPlace(buf, 0, hs, 0, f.size() + 2, false);
        f.inverse(buf, 0, buf, 0);
        System.arraycopy(buf, 0, out, outOff, ny);
    }

    private static void checkLengths(int nx, int nh) {
        if (nx < 1 || nh < 1) {
            throw new IllegalArgumentException("convolution needs nx >= 1 and nh >= 1, got nx " + nx + ", nh " + nh);
        }
    }

    private static void checkBatch(float[] x, int nx, int count, float[] out, int nh) {
        checkLengths(nx, nh);
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if ((long) count * nx > x.length) {
            throw new IllegalArgumentException("x: need [count=" + count + ", nx=" + nx + "] = " + (long) count * nx
                    + " floats but it has " + x.length);
        }
        long ny = (long) nx + nh - 1;
        if (count * ny > out.length) {
            throw new IllegalArgumentException("out: need [count=" + count + ", nx+nh-1=" + ny + "] = " + count * ny
                    + " floats but it has " + out.length);
        }
    }

    private static void check(float[] a, int off, int len, String what) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(what + ": need " + len + " floats from offset " + off
                    + " but the array has " + a.length);
        }
    }
}
