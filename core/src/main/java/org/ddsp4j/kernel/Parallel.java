package org.ddsp4j.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits index ranges across the cores. Work below {@code minChunk} items per task runs on the
 * calling thread, so small ops pay nothing. The thread count is {@code -Dddsp4j.threads=N}
 * (default: available processors) and can be changed at run time with {@link #setThreads}.
 *
 * <p>Results must not depend on the thread count: {@link #forRange} suits work whose items are
 * independent (each writes only its own outputs); a sum across items goes through
 * {@link #forChunks}, whose cut is fixed by the size alone, with the partials combined in chunk order.
 *
 * <p>Why not a ForkJoinPool: a kernel of a few hundred microseconds (one GRU-sized GEMM) lost
 * most of its second core to the pool's hand-offs (submit, wake a worker, wake another to steal,
 * wake the blocked caller). Here the calling thread runs chunk 0 itself and {@code threads - 1}
 * persistent daemon workers claim the others (whichever thread is free first takes the next
 * chunk, so a worker that the OS has descheduled on a loaded machine does not hold the call up:
 * the caller runs its chunk too); a worker that just finished spins for
 * {@link #SPIN_NANOS} before parking, so back-to-back parallel calls start without a wake-up.
 * Calls from inside a parallel body, or from a second thread while the workers are busy, run
 * inline on the calling thread (no nested parallelism, never blocks).
 */
public final class Parallel {
    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Body of {@link #forChunks}: chunk number {@code chunk} covers {@code [from, to)}. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk, int from, int to);
    }

    /** How long an idle worker (and a waiting caller) spins before parking: {@code -Dddsp4j.spinMicros=N}, default 20. */
    static final long SPIN_NANOS = 1000L * Long.getLong("ddsp4j.spinMicros", 20);

    private static volatile int threads = Math.max(1, Integer.getInteger("ddsp4j.threads",
            Runtime.getRuntime().availableProcessors()));
    private static volatile Team team = new Team(threads);

    private Parallel() {}

    /** Number of worker threads used by parallel kernels. */
    public static int threads() {
        return threads;
    }

    /** Sets the worker thread count (1 makes every kernel single-threaded). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n == threads) return;
        Team old = team;
        team = new Team(n);
        threads = n;
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks
     * of at least {@code minChunk} items each (sizes differ by at most one). Runs inline when one
     * chunk suffices, when already inside a parallel body, or when another thread holds the workers.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int t = threads;
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, minChunk)));
        if (n <= 0) return;
        if (chunks <= 1 || n == 1 || Team.INSIDE.get()[0]) {
            body.run(0, n);
            return;
        }
        Team tm = team;
        if (tm.size < chunks || !tm.busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            tm.run(n, chunks, body);
        } finally {
            tm.busy.set(false);
        }
    }

    /** Number of chunks {@link #forChunks} cuts {@code [0, n)} into: {@code ceil(n / chunkSize)}. */
    public static int chunkCount(int n, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be >= 1, got " + chunkSize);
        return n <= 0 ? 0 : (int) (((long) n + chunkSize - 1) / chunkSize);
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks of {@code chunkSize} items (the last one
     * shorter), numbered {@code 0 .. chunkCount(n, chunkSize) - 1}; the chunks are spread over the
     * threads as {@link #forRange} spreads items. The cut depends only on {@code n} and
     * {@code chunkSize}, never on the thread count, so a reduction that keeps one partial result
     * per chunk and combines them in chunk order gives the same bits on any number of threads
     * (the rule for every sum across rows: weight and bias gradients, loss sums).
     */
    public static void forChunks(int n, int chunkSize, ChunkBody body) {
        int count = chunkCount(n, chunkSize);
        forRange(count, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) body.run(c, c * chunkSize, (int) Math.min(n, (long) (c + 1) * chunkSize));
        });
    }

    /** Start of chunk {@code c} of {@code chunks} over {@code [0, n)}. */
    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /** One parallel loop, published to the workers through a volatile field. */
    private static final class Job {
        final int n, chunks;
        final RangeBody body;
        final Thread caller;
        /** Next chunk to claim (chunk 0 is the caller's). */
        final AtomicInteger next = new AtomicInteger(1);
        /** Chunks other than 0 not yet finished. */
        final AtomicInteger pending;
        volatile Throwable error;

        Job(int n, int chunks, RangeBody body, Thread caller) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks - 1);
        }

        /** Runs unclaimed chunks until none is left; returns whether this finished the last one. */
        boolean drain() {
            boolean last = false;
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run(chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1));
                } catch (Throwable e) {
                    error = e;
                }
                last = pending.decrementAndGet() == 0;
            }
            return last;
        }
    }

    /** The calling thread plus {@code size - 1} persistent workers. */
    private static final class Team {
        /** Per thread: true while running a parallel body (nested calls then run inline). */
        static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

        final int size;
        final AtomicBoolean busy = new AtomicBoolean();
        private final Thread[] workers;
        private volatile Job job;
        private volatile boolean stop;

        Team(int size) {
            this.size = size;
            workers = new Thread[size - 1];
            for (int w = 0; w < workers.length; w++) {
                int id = w + 1;
                Thread th = new Thread(() -> loop(id), "ddsp4j-parallel-" + id);
                th.setDaemon(true);
                workers[w] = th;
                th.start();
            }
        }

        void shutdown() {
            stop = true;
            for (Thread w : workers) LockSupport.unpark(w);
        }

        void run(int n, int chunks, RangeBody body) {
            Job j = new Job(n, chunks, body, Thread.currentThread());
            job = j;
            for (int w = 0; w < chunks - 1; w++) LockSupport.unpark(workers[w]);
            boolean[] inside = INSIDE.get();
            inside[0] = true;
            Throwable mine = null;
            try {
                body.run(0, chunkStart(n, chunks, 1));
            } catch (Throwable e) {
                mine = e;
            }
            // A worker that the OS has not scheduled yet leaves its chunk to the caller.
            try {
                j.drain();
            } finally {
                inside[0] = false;
            }
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (j.pending.get() != 0) {
                if (++spins < 64 || System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000);
                }
            }
            Throwable e = mine != null ? mine : j.error;
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error r) throw r;
            if (e != null) throw new RuntimeException(e);
        }

        private void loop(int id) {
            INSIDE.get()[0] = true;
            Job seen = null;
            while (!stop) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                int spins = 0;
                Job j;
                while ((j = job) == seen && !stop) {
                    if (++spins < 64 || System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (stop) return;
                seen = j;
                if (j.drain()) LockSupport.unpark(j.caller);
            }
        }
    }
}
