package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.Tensor;

/** Shared helpers for the dsp tests. */
final class DspTestSupport {
    private DspTestSupport() {}

    static void gradCheck(String what, Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = new GradCheck().check(f, in);
        assertTrue(r.ok(), what + ": " + r);
    }

    static void gradCheck(String what, GradCheck gc, Function<Tensor[], Tensor> f, Tensor... in) {
        GradCheck.Result r = gc.check(f, in);
        assertTrue(r.ok(), what + ": " + r);
    }

    static Tensor uniform(SplittableRandom rng, float lo, float hi, int... shape) {
        return Tensor.uniform(rng, lo, hi, shape).requiresGrad(true);
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " at " + i);
        }
    }
}
