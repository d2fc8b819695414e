package org.ddsp4j.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementary functions on flat arrays that give the same bits in every JIT tier: {@code exp},
 * {@code log}, {@code tanh}, {@code sigmoid} in float and {@code sin}/{@code cos} in double, plus
 * the sum of a vector's lanes in a fixed order ({@link #sumPairwise}).
 *
 * <p>Why: the Vector API's own {@code lanewise(EXP / LOG / TANH / SIN / COS)} run a per-lane Java
 * fallback until C2 compiles the calling method and the SVML stubs after, which round differently,
 * and a floating-point {@code reduceLanes(ADD)} sums the lanes in order when interpreted but as a
 * tree when compiled; so results depended on how warm the JIT was. Everything here is built from
 * {@code +, -, *, /}, fma, min/max, comparisons, blends and bit operations, each
 * of which IEEE 754 (and the Vector API) defines exactly per lane: range reduction, then a
 * minimax/Taylor polynomial (Cephes for the float functions, fdlibm's kernels for sin/cos).
 *
 * <p>Each array function has a scalar twin ({@link #exp(float)}, ...) that performs the same
 * operations in the same order, so it is bit-identical to every lane of the vector form; the vector
 * loops use it for their tails, and callers may use it for single values. The array functions may
 * work in place ({@code x == y} with the same offset). Accuracy (tests: {@code VectorMathTest}, about
 * a million floats from -NaN to +NaN): exp, log and tanh within 1 ulp and sigmoid within 2 ulp of
 * {@link Math}'s double result rounded to float, sin and cos within 1 ulp of {@link StrictMath}; all
 * handle 0, -0, subnormals, infinities and NaN as {@link Math} does. sin/cos of
 * {@code |x| > 2^20} (and of non-finite x) come from {@link StrictMath}, whose reduction handles
 * any magnitude and is pure Java.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();

    // exp (Cephes expf): x = k ln2 + r, |r| <= ln2 / 2, e^r by a degree-7 polynomial, times 2^k.
    /** exp of anything below underflows to 0, above overflows to infinity: inputs are clamped into [EXP_MIN, EXP_MAX]. */
    private static final float EXP_MIN = -104f, EXP_MAX = 89f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI - LN2_LO_NEG, LN2_HI with 9 significant bits (so k * LN2_HI is exact). */
    private static final float LN2_HI = 0.693359375f, LN2_LO_NEG = 2.12194440e-4f;
    /** 1.5 * 2^23: {@code x + MAGIC} rounds x to an integer held in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = 0x4B400000;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f;
    private static final float E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    // log (Cephes logf): x = 2^k m, m in [sqrt(1/2), sqrt(2)), log(1 + f) with f = m - 1 by a polynomial.
    /** Bits of sqrt(1/2) (rounded down): subtracting them puts the exponent of x / sqrt(1/2) in bits 23.. */
    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f;
    private static final float L3 = -1.2420140846e-1f, L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f;
    private static final float L6 = 2.0000714765e-1f, L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;

    // tanh (Cephes tanhf): x + x^3 P(x^2) below 0.625, 1 - 2 / (e^(2|x|) + 1) above, sign copied.
    private static final float TANH_SMALL = 0.625f;
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f;
    private static final float T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    // sin / cos (fdlibm __kernel_sin / __kernel_cos after a Cody-Waite reduction by pi/2 with fma).
    /** Beyond this |x| (and for non-finite x) sin/cos use StrictMath's full-range reduction. */
    private static final double SINCOS_MAX = 0x1p20;
    private static final double TWO_OVER_PI = 0.6366197723675814;
    /** pi/2 = PIO2_1 + PIO2_2 + PIO2_3 (+ 2^-160). */
    private static final double PIO2_1 = 1.5707963267948966, PIO2_2 = 6.123233995736766e-17, PIO2_3 = -1.4973849048591698e-33;
    /** 1.5 * 2^52, the double {@link #MAGIC}. */
    private static final double MAGIC_D = 6755399441055744.0;
    private static final double TINY = 0x1p-27;
    private static final double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
            S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
            S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private static final double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
            C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
            C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

    private VectorMath() {}

    // ------------------------------------------------------------------------------------ exp

    /** {@code y[yOff + i] = e^x[xOff + i]} for {@code i < n}. */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        FloatVector negLn2Hi = bc(-LN2_HI), ln2LoNeg = bc(LN2_LO_NEG);
        FloatVector e0 = bc(E0), e1 = bc(E1), e2 = bc(E2), e3 = bc(E3), e4 = bc(E4), e5 = bc(E5);
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xOff + i).max(EXP_MIN).min(EXP_MAX);
            FloatVector km = v.fma(LOG2E, MAGIC), k = km.sub(MAGIC);
            FloatVector r = k.fma(negLn2Hi, v);
            r = k.fma(ln2LoNeg, r);
            FloatVector p = r.fma(e0, e1).fma(r, e2).fma(r, e3).fma(r, e4).fma(r, e5);
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            IntVector ki = km.reinterpretAsInts().sub(MAGIC_BITS), k1 = ki.lanewise(VectorOperators.ASHR, 1);
            e.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = exp(x[xOff + i]);
    }

    /** e^x; the same bits as every lane of {@link #exp(float[], int, float[], int, int)}. */
    public static float exp(float x) {
        float v = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float km = Math.fma(v, LOG2E, MAGIC), k = km - MAGIC;
        float r = Math.fma(k, -LN2_HI, v);
        r = Math.fma(k, LN2_LO_NEG, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E0, E1), r, E2), r, E3), r, E4), r, E5);
        float e = Math.fma(p, r * r, r) + 1f;
        int ki = Float.floatToRawIntBits(km) - MAGIC_BITS, k1 = ki >> 1;
        return e * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((ki - k1 + 127) << 23);
    }

    // ------------------------------------------------------------------------------------ log

    /** {@code y[yOff + i] = ln x[xOff + i]} for {@code i < n}. */
    public static void log(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        FloatVector ln2Hi = bc(LN2_HI), negLn2Lo = bc(-LN2_LO_NEG), minusHalf = bc(-0.5f);
        FloatVector l0 = bc(L0), l1 = bc(L1), l2 = bc(L2), l3 = bc(L3), l4 = bc(L4), l5 = bc(L5), l6 = bc(L6);
        FloatVector l7 = bc(L7), l8 = bc(L8);
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
            VectorMask<Float> sub = v.compare(VectorOperators.LT, Float.MIN_NORMAL);
            FloatVector xs = v.blend(v.mul(0x1p23f), sub);
            IntVector bits = xs.reinterpretAsInts();
            IntVector k = bits.sub(SQRT_HALF_BITS).lanewise(VectorOperators.ASHR, 23);
            FloatVector f = bits.sub(k.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats().sub(1f);
            FloatVector kf = k.add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC)
                    .add(FloatVector.zero(FS).blend(-23f, sub));
            FloatVector z = f.mul(f);
            FloatVector p = f.fma(l0, l1).fma(f, l2).fma(f, l3).fma(f, l4).fma(f, l5).fma(f, l6).fma(f, l7).fma(f, l8);
            FloatVector q = p.mul(f).mul(z);
            q = kf.fma(negLn2Lo, q);
            q = z.fma(minusHalf, q);
            FloatVector r = kf.fma(ln2Hi, f.add(q));
            r = r.blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f));
            r = r.blend(Float.NaN, v.compare(VectorOperators.LT, 0f));
            r = r.blend(v, v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY).or(v.test(VectorOperators.IS_NAN)));
            r.intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = log(x[xOff + i]);
    }

    /** ln x; the same bits as every lane of {@link #log(float[], int, float[], int, int)}. */
    public static float log(float x) {
        boolean sub = x < Float.MIN_NORMAL;
        float xs = sub ? x * 0x1p23f : x;
        int bits = Float.floatToRawIntBits(xs);
        int k = (bits - SQRT_HALF_BITS) >> 23;
        float f = Float.intBitsToFloat(bits - (k << 23)) - 1f;
        float kf = (Float.intBitsToFloat(k + MAGIC_BITS) - MAGIC) + (sub ? -23f : 0f);
        float z = f * f;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, L0, L1), f, L2), f, L3),
                f, L4), f, L5), f, L6), f, L7), f, L8);
        float q = p * f * z;
        q = Math.fma(kf, -LN2_LO_NEG, q);
        q = Math.fma(z, -0.5f, q);
        float r = Math.fma(kf, LN2_HI, f + q);
        if (x == 0f) r = Float.NEGATIVE_INFINITY;
        if (x < 0f) r = Float.NaN;
        if (x == Float.POSITIVE_INFINITY || Float.isNaN(x)) r = x;
        return r;
    }

    // ------------------------------------------------------------------------------------ tanh

    /** {@code y[yOff + i] = tanh x[xOff + i]} for {@code i < n}. */
    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        FloatVector negLn2Hi = bc(-LN2_HI), ln2LoNeg = bc(LN2_LO_NEG);
        FloatVector e0 = bc(E0), e1 = bc(E1), e2 = bc(E2), e3 = bc(E3), e4 = bc(E4), e5 = bc(E5);
        FloatVector two = bc(2f), t0 = bc(T0), t1 = bc(T1), t2 = bc(T2), t3 = bc(T3), t4 = bc(T4);
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xOff + i), a = v.abs();
            FloatVector s = a.mul(a);
            FloatVector small = s.fma(t0, t1).fma(s, t2).fma(s, t3).fma(s, t4).mul(s).fma(a, a);
            // e^(2a), as in exp(float[] ...)
            FloatVector w = a.add(a).max(EXP_MIN).min(EXP_MAX);
            FloatVector km = w.fma(LOG2E, MAGIC), k = km.sub(MAGIC);
            FloatVector r = k.fma(negLn2Hi, w);
            r = k.fma(ln2LoNeg, r);
            FloatVector p = r.fma(e0, e1).fma(r, e2).fma(r, e3).fma(r, e4).fma(r, e5);
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            IntVector ki = km.reinterpretAsInts().sub(MAGIC_BITS), k1 = ki.lanewise(VectorOperators.ASHR, 1);
            e = e.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector large = two.div(e.add(1f)).neg().add(1f);
            FloatVector t = small.blend(large, a.compare(VectorOperators.GT, TANH_SMALL));
            t.reinterpretAsInts().or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats().intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = tanh(x[xOff + i]);
    }

    /** tanh x; the same bits as every lane of {@link #tanh(float[], int, float[], int, int)}. */
    public static float tanh(float x) {
        float a = Math.abs(x), s = a * a;
        float t;
        if (a > TANH_SMALL) {
            t = -(2f / (exp(a + a) + 1f)) + 1f;
        } else {
            t = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(s, T0, T1), s, T2), s, T3), s, T4) * s, a, a);
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    // ------------------------------------------------------------------------------------ sigmoid

    /**
     * {@code y[yOff + i] = 1 / (1 + e^-x[xOff + i])} for {@code i < n}, computed as
     * {@code (x < 0 ? e : 1) / (1 + e)} with {@code e = e^-|x|}, so that the negative tail keeps its
     * tiny (even subnormal) values.
     */
    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        check(x, xOff, y, yOff, n);
        FloatVector negLn2Hi = bc(-LN2_HI), ln2LoNeg = bc(LN2_LO_NEG);
        FloatVector e0 = bc(E0), e1 = bc(E1), e2 = bc(E2), e3 = bc(E3), e4 = bc(E4), e5 = bc(E5);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
            // e^-|x|, as in exp(float[] ...)
            FloatVector w = v.abs().neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector km = w.fma(LOG2E, MAGIC), k = km.sub(MAGIC);
            FloatVector r = k.fma(negLn2Hi, w);
            r = k.fma(ln2LoNeg, r);
            FloatVector p = r.fma(e0, e1).fma(r, e2).fma(r, e3).fma(r, e4).fma(r, e5);
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            IntVector ki = km.reinterpretAsInts().sub(MAGIC_BITS), k1 = ki.lanewise(VectorOperators.ASHR, 1);
            e = e.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            one.blend(e, v.compare(VectorOperators.LT, 0f)).div(e.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = sigmoid(x[xOff + i]);
    }

    /** The logistic sigmoid; the same bits as every lane of {@link #sigmoid(float[], int, float[], int, int)}. */
    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        return (x < 0f ? e : 1f) / (e + 1f);
    }

    // ------------------------------------------------------------------------------------ sin, cos

    /**
     * {@code sin[sOff + i] = sin x[xOff + i]} and {@code cos[cOff + i] = cos x[xOff + i]} for
     * {@code i < n}; either output may be null. Both come from one reduction.
     */
    public static void sinCos(double[] x, int xOff, double[] sin, int sOff, double[] cos, int cOff, int n) {
        if (n < 0 || xOff < 0 || xOff + n > x.length) throw new IllegalArgumentException(range("x", x.length, xOff, n));
        if (sin != null && (sOff < 0 || sOff + n > sin.length)) throw new IllegalArgumentException(range("sin", sin.length, sOff, n));
        if (cos != null && (cOff < 0 || cOff + n > cos.length)) throw new IllegalArgumentException(range("cos", cos.length, cOff, n));
        DoubleVector negPio2a = bc(-PIO2_1), negPio2b = bc(-PIO2_2), negPio2c = bc(-PIO2_3);
        DoubleVector s1 = bc(S1), s2 = bc(S2), s3 = bc(S3), s4 = bc(S4), s5 = bc(S5), s6 = bc(S6);
        DoubleVector c1 = bc(C1), c2 = bc(C2), c3 = bc(C3), c4 = bc(C4), c5 = bc(C5), c6 = bc(C6);
        int i = 0;
        for (int bound = DS.loopBound(n); i < bound; i += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, x, xOff + i);
            DoubleVector km = v.fma(TWO_OVER_PI, MAGIC_D), k = km.sub(MAGIC_D);
            DoubleVector r = k.fma(negPio2a, v);
            r = k.fma(negPio2b, r);
            r = k.fma(negPio2c, r);
            DoubleVector z = r.mul(r), ar = r.abs();
            DoubleVector sp = z.fma(s6, s5).fma(z, s4).fma(z, s3).fma(z, s2).fma(z, s1);
            // sin x = x below 2^-27 (keeps -0 and subnormals; the reduction would turn -0 into +0)
            DoubleVector sr = z.mul(r).fma(sp, r).blend(v, v.abs().compare(VectorOperators.LT, TINY));
            DoubleVector cp = z.fma(c6, c5).fma(z, c4).fma(z, c3).fma(z, c2).fma(z, c1).mul(z);
            // fdlibm's qx: about |r|/4 (0 below 0.3, 0.28125 above 0.78125) with a short mantissa, so
            // that 1 - qx and z/2 - qx are exact and 1 - z/2 loses nothing.
            DoubleVector qx = ar.reinterpretAsLongs().and(0xFFFFFFFF00000000L).sub(0x0020000000000000L).reinterpretAsDoubles();
            qx = qx.blend(0.0, ar.compare(VectorOperators.LT, 0.3)).blend(0.28125, ar.compare(VectorOperators.GT, 0.78125));
            DoubleVector cr = z.fma(cp, qx.sub(z.mul(0.5))).add(qx.neg().add(1.0));
            LongVector q = km.reinterpretAsLongs();
            VectorMask<Double> odd = q.and(1L).compare(VectorOperators.NE, 0L).cast(DS);
            if (sin != null) {
                LongVector sign = q.and(2L).lanewise(VectorOperators.LSHL, 62);
                sr.blend(cr, odd).reinterpretAsLongs().lanewise(VectorOperators.XOR, sign).reinterpretAsDoubles()
                        .intoArray(sin, sOff + i);
            }
            if (cos != null) {
                LongVector sign = q.add(1L).and(2L).lanewise(VectorOperators.LSHL, 62);
                cr.blend(sr, odd).reinterpretAsLongs().lanewise(VectorOperators.XOR, sign).reinterpretAsDoubles()
                        .intoArray(cos, cOff + i);
            }
            VectorMask<Double> big = v.abs().compare(VectorOperators.LE, SINCOS_MAX).not();
            if (big.anyTrue()) {
                for (int l = 0; l < DL; l++) {
                    double xl = v.lane(l); // x may be an output (in place)
                    if (Math.abs(xl) <= SINCOS_MAX) continue;
                    if (sin != null) sin[sOff + i + l] = StrictMath.sin(xl);
                    if (cos != null) cos[cOff + i + l] = StrictMath.cos(xl);
                }
            }
        }
        for (; i < n; i++) {
            double xi = x[xOff + i];
            if (sin != null) sin[sOff + i] = sin(xi);
            if (cos != null) cos[cOff + i] = cos(xi);
        }
    }

    /** sin x; the same bits as every lane of {@link #sinCos}. */
    public static double sin(double x) {
        return sinOrCos(x, false);
    }

    /** cos x; the same bits as every lane of {@link #sinCos}. */
    public static double cos(double x) {
        return sinOrCos(x, true);
    }

    private static double sinOrCos(double x, boolean cosine) {
        if (!(Math.abs(x) <= SINCOS_MAX)) return cosine ? StrictMath.cos(x) : StrictMath.sin(x);
        double km = Math.fma(x, TWO_OVER_PI, MAGIC_D), k = km - MAGIC_D;
        double r = Math.fma(k, -PIO2_1, x);
        r = Math.fma(k, -PIO2_2, r);
        r = Math.fma(k, -PIO2_3, r);
        double z = r * r, ar = Math.abs(r);
        double sp = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, S6, S5), z, S4), z, S3), z, S2), z, S1);
        double sr = Math.abs(x) < TINY ? x : Math.fma(z * r, sp, r);
        double cp = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, C6, C5), z, C4), z, C3), z, C2), z, C1) * z;
        double qx = Double.longBitsToDouble((Double.doubleToRawLongBits(ar) & 0xFFFFFFFF00000000L) - 0x0020000000000000L);
        if (ar < 0.3) qx = 0.0;
        if (ar > 0.78125) qx = 0.28125;
        double cr = Math.fma(z, cp, qx - z * 0.5) + (-qx + 1.0);
        long q = Double.doubleToRawLongBits(km);
        boolean odd = (q & 1L) != 0;
        double v = cosine ? (odd ? sr : cr) : (odd ? cr : sr);
        long sign = ((cosine ? q + 1L : q) & 2L) << 62;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) ^ sign);
    }

    // ------------------------------------------------------------------------------------ sums

    /**
     * The sum of {@code x[off .. off + n)}, {@code n} a power of two (typically a vector's lanes,
     * stored with {@code intoArray}), by a fixed pairwise tree: element {@code i} plus element
     * {@code i + n/2} for every {@code i < n/2}, then the same on the first half, down to one value.
     * Use it instead of a floating-point {@code reduceLanes(ADD)}, which sums in lane order when
     * interpreted but as a tree when compiled. May overwrite {@code x[off .. off + n)}. It takes an array,
     * not a vector, on purpose: a helper with a vector parameter that C2 declines to inline (as in a
     * large kernel) would box the vector on every call.
     */
    public static float sumPairwise(float[] x, int off, int n) {
        if (n == 16) { // AVX-512 lanes, spelled out: independent additions, no stores
            float a0 = x[off] + x[off + 8], a1 = x[off + 1] + x[off + 9], a2 = x[off + 2] + x[off + 10];
            float a3 = x[off + 3] + x[off + 11], a4 = x[off + 4] + x[off + 12], a5 = x[off + 5] + x[off + 13];
            float a6 = x[off + 6] + x[off + 14], a7 = x[off + 7] + x[off + 15];
            float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
            return (b0 + b2) + (b1 + b3);
        }
        if (n == 8) {
            float a0 = x[off] + x[off + 4], a1 = x[off + 1] + x[off + 5], a2 = x[off + 2] + x[off + 6];
            float a3 = x[off + 3] + x[off + 7];
            return (a0 + a2) + (a1 + a3);
        }
        checkPowerOfTwo(n);
        for (int s = n >> 1; s > 0; s >>= 1) {
            for (int i = off; i < off + s; i++) x[i] += x[i + s];
        }
        return x[off];
    }

    /** {@link #sumPairwise(float[], int, int)} for doubles. */
    public static double sumPairwise(double[] x, int off, int n) {
        if (n == 8) { // AVX-512 lanes, spelled out
            double a0 = x[off] + x[off + 4], a1 = x[off + 1] + x[off + 5], a2 = x[off + 2] + x[off + 6];
            double a3 = x[off + 3] + x[off + 7];
            return (a0 + a2) + (a1 + a3);
        }
        checkPowerOfTwo(n);
        for (int s = n >> 1; s > 0; s >>= 1) {
            for (int i = off; i < off + s; i++) x[i] += x[i + s];
        }
        return x[off];
    }

    private static void checkPowerOfTwo(int n) {
        if (n < 1 || (n & (n - 1)) != 0) throw new IllegalArgumentException("sumPairwise: n must be a power of two, got " + n);
    }

    private static FloatVector bc(float c) {
        return FloatVector.broadcast(FS, c);
    }

    private static DoubleVector bc(double c) {
        return DoubleVector.broadcast(DS, c);
    }

    private static void check(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < 0 || xOff < 0 || xOff + n > x.length) throw new IllegalArgumentException(range("x", x.length, xOff, n));
        if (yOff < 0 || yOff + n > y.length) throw new IllegalArgumentException(range("y", y.length, yOff, n));
    }

    private static String range(String name, int length, int off, int n) {
        return name + ": " + n + " values from offset " + off + " do not fit in an array of " + length;
    }
}
