package org.ddsp4j.kernel;

/**
 * Shared conventions of the synthesizer kernels ({@link HarmonicKernel}, {@link OscillatorBankKernel},
 * {@link WavetableKernel}): shape checks, frame-to-sample upsampling and phase wrapping.
 *
 * <p><b>Upsampling</b> is linear with {@code align_corners=True} semantics (PyTorch
 * {@code interpolate(mode="linear", align_corners=True)}): sample {@code t} of {@code nSamples} sits at
 * frame position {@code pos = t * (nFrames - 1) / (nSamples - 1)} (0 when {@code nSamples == 1}); its
 * segment is {@code i0 = min(floor(pos), nFrames - 2)} and its weight {@code w = pos - i0}, so
 * {@code x_up(t) = (1 - w) * x[i0] + w * x[i0 + 1]}. With one frame the control is constant.
 *
 * <p><b>Phase</b> is the inclusive cumulative sum {@code phi(t) = phi0 + 2*pi * sum_{s<=t} f_up(s) / sr},
 * kept in double and wrapped to {@code [0, 2*pi)} after every sample, so hours of audio stay in tune.
 */
final class SynthControls {
    static final double TWO_PI = 2 * Math.PI;

    private SynthControls() {}

    /** Frame position scale {@code (nFrames - 1) / (nSamples - 1)}, 0 for a single sample. */
    static double scale(int nFrames, int nSamples) {
        return nSamples > 1 ? (nFrames - 1) / (double) (nSamples - 1) : 0.0;
    }

    /** Segment index {@code i0} of frame position {@code pos} (see class doc). */
    static int segment(double pos, int nFrames) {
        int i0 = (int) pos;
        return nFrames < 2 ? 0 : Math.min(i0, nFrames - 2);
    }

    /** Wraps a phase in radians to {@code [0, 2*pi)}. */
    static double wrap(double phase) {
        if (phase >= 0 && phase < TWO_PI) return phase;
        double r = phase - TWO_PI * Math.floor(phase / TWO_PI);
        return r >= TWO_PI ? 0.0 : r; // floor rounding can leave exactly 2*pi
    }

    static void checkSizes(int batch, int nFrames, int nSamples, double sampleRate) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (nFrames < 1) throw new IllegalArgumentException("nFrames must be >= 1, got " + nFrames);
        if (nSamples < 1) throw new IllegalArgumentException("nSamples must be >= 1, got " + nSamples);
        if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sampleRate must be a positive finite number of Hz, got " + sampleRate);
        }
    }

    /** Checks that {@code a} is non-null and holds exactly {@code n} values. */
    static void checkLength(String name, float[] a, long n, String shape) {
        if (a == null) throw new IllegalArgumentException(name + " must not be null (expected " + shape + ")");
        if (a.length != n) {
            throw new IllegalArgumentException(name + " has " + a.length + " values but " + shape + " needs " + n);
        }
    }

    /** Like {@link #checkLength} but null is allowed. */
    static void checkOptional(String name, float[] a, long n, String shape) {
        if (a != null) checkLength(name, a, n, shape);
    }

    /** Checks that a product of sizes fits in a Java array. */
    static int product(String what, long... dims) {
        long p = 1;
        for (long d : dims) p *= d;
        if (p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " needs " + p + " values, more than a Java array holds; split the batch");
        }
        return (int) p;
    }
}
