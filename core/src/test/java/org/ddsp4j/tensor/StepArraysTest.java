package org.ddsp4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StepArraysTest {
    @Test
    void aClosedStepsArraysServeTheNextStep() {
        StepArrays pool = new StepArrays();
        float[] a, b;
        try (StepArrays s = pool.open()) {
            a = StepArrays.take(100, false);
            b = StepArrays.take(100, true);
            a[3] = 7f;
            b[5] = 9f;
        }
        try (StepArrays s = pool.open()) {
            float[] c = StepArrays.take(100, true), d = StepArrays.take(100, false), e = StepArrays.take(100, false);
            assertSame(b, c, "last in, first out");
            assertSame(a, d);
            assertEquals(0f, c[5], "zeroed when asked");
            assertEquals(7f, d[3], "else as it was left");
            assertNotSame(a, e, "more than the pool holds: a new one");
            assertEquals(200, pool.reusedFloats());
            assertEquals(300, pool.newFloats());
        }
    }

    @Test
    void outsideAScopeArraysAreNewAndNeverTakenBack() {
        float[] a = StepArrays.take(10, false), b = StepArrays.take(10, false);
        assertNotSame(a, b);
        StepArrays pool = new StepArrays();
        try (StepArrays s = pool.open()) {
            StepArrays.take(10, false);
        }
        assertNotSame(StepArrays.take(10, false), StepArrays.take(10, false));
    }

    @Test
    void scopesDoNotNestOrCrossThreads() throws Exception {
        StepArrays pool = new StepArrays(), other = new StepArrays();
        try (StepArrays s = pool.open()) {
            assertThrows(IllegalStateException.class, other::open);
            Thread t = new Thread(() -> assertNotSame(StepArrays.take(4, false), StepArrays.take(4, false)));
            t.start();
            t.join();
        }
    }
}
