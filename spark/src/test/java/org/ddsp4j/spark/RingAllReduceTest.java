package org.ddsp4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The ring over real sockets, its workers as threads, rendezvous through an in-memory all-gather. */
class RingAllReduceTest {
    static float[][] sums(int workers, int n, int calls) throws Exception {
        LocalRendezvous gather = new LocalRendezvous(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int r = 0; r < workers; r++) {
                int rank = r;
                results.add(pool.submit(() -> {
                    try (RingAllReduce ring = RingAllReduce.connect(rank, workers, "127.0.0.1", gather.of(rank))) {
                        float[] buf = null;
                        for (int c = 0; c < calls; c++) {
                            buf = input(rank, n, c);
                            ring.allReduceSum(buf);
                        }
                        assertEquals(calls, ring.calls());
                        assertEquals(calls * 4L * (2L * (workers - 1) * n / workers), ring.bytesSent(), 8.0 * calls * workers);
                        return buf;
                    }
                }));
            }
            float[][] out = new float[workers][];
            for (int r = 0; r < workers; r++) out[r] = results.get(r).get();
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static float[] input(int rank, int n, int call) {
        SplittableRandom rng = new SplittableRandom(1000L * rank + call);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    @Test
    void everyWorkerGetsTheSameBitsAndTheyAreTheSum() throws Exception {
        for (int workers : new int[] {2, 3, 4}) {
            int n = 10_007;   // not a multiple of the worker count
            float[][] got = sums(workers, n, 3);
            for (int r = 1; r < workers; r++) assertArrayEquals(got[0], got[r], 0f, workers + " workers: rank " + r);
            for (int i = 0; i < n; i++) {
                double want = 0;
                for (int r = 0; r < workers; r++) want += input(r, n, 2)[i];
                assertEquals(want, got[0][i], 1e-5 * (1 + Math.abs(want)), "element " + i);
            }
            assertArrayEquals(got[0], sums(workers, n, 3)[1], 0f, "the same bits on a second run");
        }
    }

    @Test
    void oneWorkerLeavesTheBufferAlone() throws IOException {
        try (RingAllReduce ring = RingAllReduce.connect(0, 1, "127.0.0.1", m -> m)) {
            float[] x = {1, 2, 3};
            ring.allReduceSum(x);
            assertArrayEquals(new float[] {1, 2, 3}, x);
        }
    }

    @Test
    void aPeerThatHangsUpFailsTheCall() throws Exception {
        LocalRendezvous gather = new LocalRendezvous(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RingAllReduce> other = pool.submit(() -> RingAllReduce.connect(1, 2, "127.0.0.1", gather.of(1)));
            try (RingAllReduce ring = RingAllReduce.connect(0, 2, "127.0.0.1", gather.of(0))) {
                other.get().close();
                IOException e = assertThrows(IOException.class, () -> ring.allReduceSum(new float[1 << 20]));
                assertEquals(IOException.class.getPackageName(), e.getClass().getPackageName());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
