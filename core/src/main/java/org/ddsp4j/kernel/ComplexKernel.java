package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pointwise products of interleaved complex arrays ({@code re0, im0, re1, im1, ...}), the
 * frequency-domain step of FFT convolution and correlation, with the Vector API. Lengths and
 * offsets count floats; {@code len} must be even.
 */
public final class ComplexKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** (re, im) -> (im, re). */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
    /** (re, im) -> (re, re). */
    private static final VectorShuffle<Float> DUP_RE = VectorShuffle.fromOp(S, i -> i & ~1);
    /** (re, im) -> (im, im). */
    private static final VectorShuffle<Float> DUP_IM = VectorShuffle.fromOp(S, i -> i | 1);
    /** (+1, -1, ...) and (-1, +1, ...). */
    private static final FloatVector PM, MP;

    static {
        float[] pm = new float[VL];
        for (int i = 0; i < VL; i++) pm[i] = (i & 1) == 0 ? 1f : -1f;
        PM = FloatVector.fromArray(S, pm, 0);
        MP = PM.neg();
    }

    private ComplexKernel() {}

    /** {@code a[aOff..] *= b[bOff..]}, or {@code *= conj(b)} when {@code conj}, over {@code len} floats. */
    public static void mulInPlace(float[] a, int aOff, float[] b, int bOff, int len, boolean conj) {
        check(a, aOff, len, "a");
        check(b, bOff, len, "b");
        FloatVector sign = conj ? PM : MP;
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += VL) {
            FloatVector x = FloatVector.fromArray(S, a, aOff + i);
            FloatVector y = FloatVector.fromArray(S, b, bOff + i);
            // (xr yr -/+ xi yi, xi yr +/- xr yi)
            x.mul(y.rearrange(DUP_RE)).add(x.rearrange(SWAP).mul(y.rearrange(DUP_IM)).mul(sign))
                    .intoArray(a, aOff + i);
        }
        float sg = conj ? -1f : 1f;
        for (; i < len; i += 2) {
            float ar = a[aOff + i], ai = a[aOff + i + 1], br = b[bOff + i], bi = sg * b[bOff + i + 1];
            a[aOff + i] = ar * br - ai * bi;
            a[aOff + i + 1] = ar * bi + ai * br;
        }
    }

    /** {@code acc[accOff..] += g[gOff..] * conj(x[xOff..])} over {@code len} floats. */
    public static void macConj(float[] acc, int accOff, float[] g, int gOff, float[] x, int xOff, int len) {
        check(acc, accOff, len, "acc");
        check(g, gOff, len, "g");
        check(x, xOff, len, "x");
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += VL) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector av = FloatVector.fromArray(S, acc, accOff + i);
            // (gr xr + gi xi, gi xr - gr xi)
            av.add(gv.mul(xv.rearrange(DUP_RE))).add(gv.rearrange(SWAP).mul(xv.rearrange(DUP_IM)).mul(PM))
                    .intoArray(acc, accOff + i);
        }
        for (; i < len; i += 2) {
            float gr = g[gOff + i], gi = g[gOff + i + 1], xr = x[xOff + i], xi = x[xOff + i + 1];
            acc[accOff + i] += gr * xr + gi * xi;
            acc[accOff + i + 1] += gi * xr - gr * xi;
        }
    }

    private static void check(float[] a, int off, int len, String what) {
        if ((len & 1) != 0) throw new IllegalArgumentException("complex length must be even (re, im pairs), got " + len);
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(what + ": need " + len + " floats from offset " + off
                    + " but the array has " + a.length);
        }
    }
}
