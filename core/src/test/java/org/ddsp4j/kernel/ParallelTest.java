package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Parallel.forRange: every index exactly once, inline nesting, error propagation. */
class ParallelTest {
    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyIndexRunsExactlyOnceForManyShapes() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n = 0; n <= 40; n++) {
                for (int minChunk : new int[] {1, 2, 7, 100}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                    Parallel.forRange(n, minChunk, (from, to) -> {
                        assertTrue(from < to, "empty chunk [" + from + ", " + to + ")");
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " of n " + n + ", threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void chunksAreBalancedAndContiguous() {
        assertEquals(0, Parallel.chunkStart(11, 2, 0));
        assertEquals(5, Parallel.chunkStart(11, 2, 1));
        assertEquals(11, Parallel.chunkStart(11, 2, 2));
        assertEquals(6, Parallel.chunkStart(20, 3, 1));
        assertEquals(13, Parallel.chunkStart(20, 3, 2));
    }

    @Test
    void nestedCallsRunInlineAndCoverTheirRange() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        for (int rep = 0; rep < 200; rep++) {
            Parallel.forRange(64, 1, (f0, f1) -> {
                for (int i = f0; i < f1; i++) {
                    int row = i;
                    Parallel.forRange(64, 1, (g0, g1) -> {
                        for (int j = g0; j < g1; j++) hits.incrementAndGet(row * 64 + j);
                    });
                }
            });
        }
        for (int i = 0; i < 64 * 64; i++) assertEquals(200, hits.get(i), "cell " + i);
    }

    @Test
    void exceptionInAnyChunkReachesTheCaller() {
        Parallel.setThreads(2);
        for (int bad : new int[] {0, 99}) {
            IllegalStateException e = new IllegalStateException("boom " + bad);
            IllegalStateException got = assertThrows(IllegalStateException.class, () ->
                    Parallel.forRange(100, 1, (from, to) -> {
                        if (from <= bad && bad < to) throw e;
                    }));
            assertSame(e, got);
        }
        // The team still works afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void rejectsNonPositiveThreadCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
