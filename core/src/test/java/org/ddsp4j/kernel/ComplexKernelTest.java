package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** ComplexKernel against scalar complex arithmetic in double, for lengths around the vector width. */
class ComplexKernelTest {
    @Test
    void mulAndMacConjMatchScalarComplexArithmetic() {
        Random r = new Random(5);
        for (int pairs = 0; pairs <= 40; pairs++) {
            int len = 2 * pairs, off = pairs % 3;
            float[] a = new float[len + off], b = new float[len + 2 * off], acc = new float[len + 1];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int i = 0; i < acc.length; i++) acc[i] = (float) r.nextGaussian();
            for (boolean conj : new boolean[] {false, true}) {
                float[] got = a.clone();
                ComplexKernel.mulInPlace(got, off, b, 2 * off, len, conj);
                for (int k = 0; k < pairs; k++) {
                    double ar = a[off + 2 * k], ai = a[off + 2 * k + 1];
                    double br = b[2 * off + 2 * k], bi = (conj ? -1 : 1) * b[2 * off + 2 * k + 1];
                    assertEquals(ar * br - ai * bi, got[off + 2 * k], 1e-5, "re " + k + " len " + len + " conj " + conj);
                    assertEquals(ar * bi + ai * br, got[off + 2 * k + 1], 1e-5, "im " + k);
                }
            }
            float[] got = acc.clone();
            ComplexKernel.macConj(got, 1, a, off, b, 2 * off, len);
            for (int k = 0; k < pairs; k++) {
                double gr = a[off + 2 * k], gi = a[off + 2 * k + 1], xr = b[2 * off + 2 * k], xi = b[2 * off + 2 * k + 1];
                assertEquals(acc[1 + 2 * k] + gr * xr + gi * xi, got[1 + 2 * k], 1e-5, "mac re " + k);
                assertEquals(acc[2 + 2 * k] + gi * xr - gr * xi, got[2 + 2 * k], 1e-5, "mac im " + k);
            }
            assertEquals(acc[0], got[0], 0f, "must not write before accOff");
        }
    }

    @Test
    void rejectsOddLengthAndShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> ComplexKernel.mulInPlace(new float[4], 0, new float[4], 0, 3, false));
        assertThrows(IllegalArgumentException.class, () -> ComplexKernel.macConj(new float[4], 0, new float[4], 0, new float[2], 0, 4));
    }
}
