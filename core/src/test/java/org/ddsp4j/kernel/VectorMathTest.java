package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath} against {@link Math} (float functions: the double result rounded to float,
 * i.e. correctly rounded but for rare double roundings) and {@link StrictMath} (sin, cos), over
 * every 4099th float bit pattern (about a million values from -NaN to +NaN, subnormals and
 * infinities included) and a list of edge cases; and the scalar twins against every lane of the
 * vector forms, bit for bit. Measured worst cases: exp, log, tanh 1 ulp, sigmoid 2 ulp, sin and
 * cos 1 ulp.
 */
class VectorMathTest {
    private static final float[] EDGES = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 1e-30f, 1e-8f, -1e-8f, 0.5f, -0.5f, 0.625f, -0.625f, 0.62500006f, 1f, -1f, 2f, Math.nextDown(1f),
        Math.nextUp(1f), 9.010913f, 9.011f, -9.011f, 16f, -16.7f, -17f, 20f, -20f, 44f, 88.72283f, 88.72284f, 89f, 100f,
        -86f, -87.33655f, -87.4f, -100f, -103.27893f, -103.97f, -104f, -110f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    private interface FloatFn {
        float apply(float x);
    }

    private interface ArrayFn {
        void apply(float[] x, int xOff, float[] y, int yOff, int n);
    }

    /** Distance in units in the last place between two floats (0 for two NaNs). */
    static long ulps(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int b = Float.floatToIntBits(f);
        return b >= 0 ? b : (long) Integer.MIN_VALUE - b; // -0 and +0 both map to 0
    }

    static long ulps(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        long ia = Double.doubleToLongBits(a), ib = Double.doubleToLongBits(b);
        if (ia < 0) ia = Long.MIN_VALUE - ia;
        if (ib < 0) ib = Long.MIN_VALUE - ib;
        return Math.abs(ia - ib);
    }

    /** Checks the vector form against the scalar twin (bits) and the reference (ulps); returns the worst ulp error. */
    private static long sweep(String name, ArrayFn vector, FloatFn twin, DoubleUnaryOperator reference, long maxUlps) {
        int n = 1 << 16;
        float[] x = new float[n], y = new float[n + 5];
        long worst = 0;
        float worstAt = 0;
        for (long base = 0; base < (1L << 32); base += (long) n * 4099) {
            int count = 0;
            for (int i = 0; i < n && base + (long) i * 4099 < (1L << 32); i++, count++) x[i] = Float.intBitsToFloat((int) (base + (long) i * 4099));
            if (base == 0) System.arraycopy(EDGES, 0, x, 0, EDGES.length);
            vector.apply(x, 0, y, 3, count); // an offset output and a ragged tail
            for (int i = 0; i < count; i++) {
                float got = y[3 + i];
                assertEquals(Float.floatToIntBits(twin.apply(x[i])), Float.floatToIntBits(got), name + ": scalar twin vs vector lane at " + x[i]);
                long u = ulps(got, (float) reference.applyAsDouble(x[i]));
                if (u > worst) {
                    worst = u;
                    worstAt = x[i];
                }
            }
        }
        assertTrue(worst <= maxUlps, name + ": " + worst + " ulp at " + worstAt + " (" + twin.apply(worstAt) + " vs "
                + (float) reference.applyAsDouble(worstAt) + ")");
        return worst;
    }

    @Test
    void expWithinOneUlp() {
        sweep("exp", VectorMath::exp, VectorMath::exp, Math::exp, 1);
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(1f, VectorMath.exp(-0f));
        assertEquals(1f, VectorMath.exp(Float.MIN_VALUE));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(88.72284f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(-104f));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertTrue(ulps(VectorMath.exp(88.72283f), (float) Math.exp(88.72283f)) <= 1, "the largest finite result");
        float sub = VectorMath.exp(-100f); // a subnormal result, rounded once
        assertTrue(sub > 0 && sub < Float.MIN_NORMAL && ulps(sub, (float) Math.exp(-100)) <= 1, "exp(-100) = " + sub);
    }

    @Test
    void logWithinOneUlp() {
        sweep("log", VectorMath::log, VectorMath::log, Math::log, 1);
        assertEquals(0f, VectorMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.log(-0f));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.log(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.log(-1f)));
        assertTrue(Float.isNaN(VectorMath.log(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(VectorMath.log(Float.NaN)));
        assertEquals((float) Math.log(Float.MIN_VALUE), VectorMath.log(Float.MIN_VALUE));
        assertEquals((float) Math.log(Float.MAX_VALUE), VectorMath.log(Float.MAX_VALUE));
    }

    @Test
    void tanhWithinOneUlpAndSaturatesExactly() {
        sweep("tanh", VectorMath::tanh, VectorMath::tanh, Math::tanh, 1);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(VectorMath.tanh(-0f)), "tanh(-0) = -0");
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(VectorMath.tanh(0f)));
        assertEquals(Float.MIN_VALUE, VectorMath.tanh(Float.MIN_VALUE));
        for (float x = 9.02f; x < 100f; x *= 1.01f) { // the saturation range: exactly +-1, like Math.tanh rounded
            assertEquals(1f, VectorMath.tanh(x), "tanh(" + x + ")");
            assertEquals(-1f, VectorMath.tanh(-x), "tanh(" + -x + ")");
        }
        assertEquals(1f, VectorMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, VectorMath.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.tanh(Float.NaN)));
    }

    @Test
    void sigmoidWithinTwoUlpsIncludingTheSubnormalTail() {
        sweep("sigmoid", VectorMath::sigmoid, VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), 2);
        assertEquals(0.5f, VectorMath.sigmoid(0f));
        assertEquals(1f, VectorMath.sigmoid(20f));
        assertEquals(1f, VectorMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.sigmoid(Float.NaN)));
        float tail = VectorMath.sigmoid(-95f);
        assertTrue(tail > 0 && ulps(tail, (float) (1 / (1 + Math.exp(95)))) <= 2, "sigmoid(-95) = " + tail);
    }

    @Test
    void sinCosWithinOneUlpOfStrictMath() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 1 << 16;
        double[] x = new double[n], s = new double[n + 3], c = new double[n + 3];
        long worstS = 0, worstC = 0;
        for (int rep = 0; rep < 24; rep++) {
            for (int i = 0; i < n; i++) {
                x[i] = switch (i % 6) {
                    case 0 -> r.nextDouble(0, 2 * Math.PI); // the synthesizers' phases
                    case 1 -> r.nextDouble(-100, 100);
                    case 2 -> Math.scalb(r.nextDouble(-1, 1), r.nextInt(-1074, 22)); // down to subnormals
                    case 3 -> Math.PI / 2 * r.nextInt(-700_000, 700_000); // next to zeros of sin or cos
                    case 4 -> r.nextDouble(-0x1p21, 0x1p21); // both sides of the StrictMath fallback at 2^20
                    default -> Double.longBitsToDouble(r.nextLong()); // anything, NaN and huge included
                };
            }
            if (rep == 0) {
                double[] edges = {0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 0x1p-27, Math.PI, -Math.PI / 2, 0x1p20,
                    -0x1p20, Math.nextUp(0x1p20), 1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.NaN};
                System.arraycopy(edges, 0, x, 0, edges.length);
            }
            int count = n - rep; // ragged tails
            VectorMath.sinCos(x, 0, s, 3, c, 1, count);
            for (int i = 0; i < count; i++) {
                assertEquals(Double.doubleToLongBits(VectorMath.sin(x[i])), Double.doubleToLongBits(s[3 + i]), "sin twin at " + x[i]);
                assertEquals(Double.doubleToLongBits(VectorMath.cos(x[i])), Double.doubleToLongBits(c[1 + i]), "cos twin at " + x[i]);
                long us = ulps(s[3 + i], StrictMath.sin(x[i])), uc = ulps(c[1 + i], StrictMath.cos(x[i]));
                assertTrue(us <= 1, "sin(" + x[i] + ") = " + s[3 + i] + ", StrictMath " + StrictMath.sin(x[i]));
                assertTrue(uc <= 1, "cos(" + x[i] + ") = " + c[1 + i] + ", StrictMath " + StrictMath.cos(x[i]));
                worstS = Math.max(worstS, us);
                worstC = Math.max(worstC, uc);
            }
        }
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(VectorMath.sin(-0.0)), "sin(-0) = -0");
        assertEquals(1.0, VectorMath.cos(0.0));
        assertTrue(Double.isNaN(VectorMath.sin(Double.POSITIVE_INFINITY)) && Double.isNaN(VectorMath.cos(Double.NaN)));
    }

    @Test
    void sinCosInPlaceAndWithOneOutput() {
        double[] x = new double[37], ref = new double[37];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.37 - 5;
            ref[i] = VectorMath.cos(x[i]);
        }
        x[5] = 3e9; // StrictMath lane, in place
        ref[5] = StrictMath.cos(3e9);
        VectorMath.sinCos(x, 0, null, 0, x, 0, x.length);
        for (int i = 0; i < x.length; i++) assertEquals(ref[i], x[i], "cos in place at " + i);
    }

    @Test
    void floatFunctionsWorkInPlace() {
        float[] x = new float[45], ref = new float[45];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.3f - 7;
            ref[i] = VectorMath.tanh(x[i]);
        }
        VectorMath.tanh(x, 0, x, 0, x.length);
        for (int i = 0; i < x.length; i++) assertEquals(ref[i], x[i]);
    }

    @Test
    void lanesSumInAFixedPairwiseOrder() {
        int fl = FloatVector.SPECIES_PREFERRED.length(), dl = DoubleVector.SPECIES_PREFERRED.length();
        SplittableRandom r = new SplittableRandom(3);
        for (int rep = 0; rep < 1000; rep++) {
            float[] f = new float[fl + 3];
            double[] d = new double[dl + 1];
            for (int i = 0; i < f.length; i++) f[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-20, 20)));
            for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() * Math.exp(r.nextDouble(-40, 40));
            float fs = pairwise(java.util.Arrays.copyOfRange(f, 3, 3 + fl));
            double ds = pairwise(java.util.Arrays.copyOfRange(d, 1, 1 + dl));
            assertEquals(Float.floatToIntBits(fs), Float.floatToIntBits(VectorMath.sumPairwise(f, 3, fl)));
            assertEquals(Double.doubleToLongBits(ds), Double.doubleToLongBits(VectorMath.sumPairwise(d, 1, dl)));
        }
        assertEquals(6f, VectorMath.sumPairwise(new float[] {1, 2, 3}, 0, 1) + 5f);
        assertThrows(IllegalArgumentException.class, () -> VectorMath.sumPairwise(new float[6], 0, 6));
    }

    /** Lane i plus lane i + L/2, then the first half the same way, down to one value. */
    private static float pairwise(float[] v) {
        float[] t = v.clone();
        for (int s = t.length / 2; s > 0; s /= 2) for (int i = 0; i < s; i++) t[i] = t[i] + t[i + s];
        return t[0];
    }

    private static double pairwise(double[] v) {
        double[] t = v.clone();
        for (int s = t.length / 2; s > 0; s /= 2) for (int i = 0; i < s; i++) t[i] = t[i] + t[i + s];
        return t[0];
    }

    @Test
    void rangesAreChecked() {
        float[] x = new float[10];
        var e = assertThrows(IllegalArgumentException.class, () -> VectorMath.exp(x, 5, x, 0, 6));
        assertTrue(e.getMessage().contains("offset 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorMath.log(x, 0, new float[3], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.sinCos(new double[4], 0, new double[2], 0, null, 0, 4));
    }
}
