package org.ddsp4j.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges across the cores. Work below {@code minChunk} items per task runs on the
 * calling thread, so small ops pay nothing. The thread count is {@code -Dddsp4j.threads=N}
 * (default: available processors) and can be changed at run time with {@link #setThreads}.
 */
public final class Parallel {
    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int threads = Integer.getInteger("ddsp4j.threads",
            Runtime.getRuntime().availableProcessors());
    private static volatile ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));

    private Parallel() {}

    /** Number of worker threads used by parallel kernels. */
    public static int threads() {
        return threads;
    }

    /** Sets the worker thread count (1 makes every kernel single-threaded). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n == threads) return;
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(n);
        threads = n;
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
     * of at least {@code minChunk} items each. Runs inline when one chunk suffices or when already
     * inside a worker (no nested parallelism).
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || n <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            if (n > 0) body.run(0, n);
            return;
        }
        int per = (n + chunks - 1) / chunks;
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[chunks - 1];
                int k = 0;
                for (int c = 1; c < chunks; c++) {
                    int from = c * per, to = Math.min(n, from + per);
                    if (from >= to) break;
                    tasks[k++] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(from, to);
                        }
                    };
                }
                for (int i = 0; i < k; i++) tasks[i].fork();
                body.run(0, Math.min(n, per));
                for (int i = 0; i < k; i++) tasks[i].join();
            }
        });
    }
}
