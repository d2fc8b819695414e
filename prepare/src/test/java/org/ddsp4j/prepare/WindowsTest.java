package org.ddsp4j.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void countsFullWindows() {
        assertEquals(0, Windows.count(63999, 64000, 16000));
        assertEquals(1, Windows.count(64000, 64000, 16000));
        assertEquals(1, Windows.count(79999, 64000, 16000));
        assertEquals(2, Windows.count(80000, 64000, 16000));
        assertEquals(3, Windows.count(104000, 64000, 16000)); // 6.5 s: starts 0, 1, 2 s; 0.5 s tail dropped
    }

    @Test
    void padsShortFilesToOneExample() {
        float[] x = {1, 2, 3};
        float[] p = Windows.pad(x, 8, 2, false);
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 0, 0}, p);
    }

    @Test
    void tailIsDroppedOrPadded() {
        float[] x = new float[11];
        assertSame(x, Windows.pad(x, 8, 2, false));
        assertEquals(12, Windows.pad(x, 8, 2, true).length); // windows 0..8, 2..10, 4..12 (padded)
        assertEquals(3, Windows.count(12, 8, 2));
        float[] exact = new float[10];
        assertSame(exact, Windows.pad(exact, 8, 2, true)); // nothing uncovered
    }

    @Test
    void sliceChecksBounds() {
        assertArrayEquals(new float[] {2, 3}, Windows.slice(new float[] {1, 2, 3}, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Windows.slice(new float[3], 2, 2));
    }

    @Test
    void configMatchesMagentaCentredLayout() {
        PrepareConfig c = PrepareConfig.defaults();
        assertEquals(64000, c.exampleSamples());
        assertEquals(1001, c.exampleFrames());
        assertEquals(16000, c.strideSamples());
        assertEquals(64, c.hopSamples());
        assertThrows(IllegalArgumentException.class, () -> new PrepareConfig(16000, 300, 4, 1, 0.1, 8, 1, false, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new PrepareConfig(16000, 250, 4.001, 1, 0.1, 8, 1, false, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new PrepareConfig(16000, 250, 4, 1, 1.0, 8, 1, false, 0.5));
    }
}
