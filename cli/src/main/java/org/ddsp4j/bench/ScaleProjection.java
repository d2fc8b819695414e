package org.ddsp4j.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.spark.RingAllReduce;
import org.ddsp4j.train.Trainer;

/**
 * The numbers behind docs/results/scale.md: for each configuration, the measured step time of one worker at the
 * per-worker batches of 1, 2, 4, 8 and 16 examples (on {@code --threads} threads), the measured ring all-reduce of its
 * gradient between two workers over this machine's loopback, and from those the projected step time and efficiency
 * of W = 4, 16 and 64 synchronous workers on a 10 Gbit/s network, for a global batch of 16 (strong scaling) and for
 * 16 examples per worker (weak scaling).
 *
 * <p>Run: {@code java ... org.ddsp4j.bench.ScaleProjection [threads] [config...]} (scripts/bench-scale.sh).
 */
public final class ScaleProjection {
    /** The network of the projection: 10 Gbit/s, 50 us per message (a switch hop and the kernels' TCP stack). */
    static final double LINK_BYTES_PER_S = 10e9 / 8, LATENCY_S = 50e-6;

    private ScaleProjection() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        List<String> configs = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("solo", "nsynth");
        Parallel.setThreads(threads);
        System.out.printf(Locale.ROOT, "scale projection: %d thread(s) per worker, machine: %s, load %s%n", threads,
                Machine.cpuModel(), Machine.loadAverage());
        for (String name : configs) project(name);
    }

    static void project(String name) throws Exception {
        int[] batches = {1, 2, 4, 8, 16};
        double[] step = new double[batches.length];
        long params = 0;
        for (int i = 0; i < batches.length; i++) {
            ModelConfig cfg = ModelConfig.builtIn(name).set("train.batch", String.valueOf(batches[i]));
            List<DdspExample> ex = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(42);
            for (int k = 0; k < batches[i]; k++) ex.add(TrainBenchmarks.TrainStep.example(cfg, rng));
            Path dir = Files.createTempDirectory("ddsp4j-scale");
            Trainer t = new Trainer(cfg, new ModelDir(dir), ex, List.of(), false);
            t.setLog(new PrintStream(OutputStream.nullOutputStream()));
            params = t.model().parameterCount();
            step[i] = medianStepSeconds(t, batches[i]);
            System.out.printf(Locale.ROOT, "%s: batch %2d per worker: %.3f s/step (%.3f s per example)%n", name, batches[i], step[i],
                    step[i] / batches[i]);
        }
        long bytes = 4 * (params + 2);
        double ring = ringSeconds((int) (params + 2));
        double wireBytes = bytes;   // two workers: each sends 2 (W-1)/W = 1 buffer
        System.out.printf(Locale.ROOT, "%s: %,d parameters = %.1f MB of gradients per step; 2-worker ring all-reduce over loopback "
                + "%.1f ms (%.2f GB/s per direction)%n", name, params, bytes / 1e6, ring * 1e3, wireBytes / ring / 1e9);
        System.out.printf(Locale.ROOT, "%s: projected on 10 Gbit/s (all-reduce 2(W-1)/W x %.1f MB / 1.25 GB/s + 2(W-1) x 50 us):%n", name, bytes / 1e6);
        System.out.printf(Locale.ROOT, "  %-9s %-14s %10s %12s %10s %12s %10s%n", "workers", "scaling", "batch/wkr", "compute s",
                "reduce s", "step s", "efficiency");
        double best16 = bestSeconds(batches, step, 16);
        System.out.printf(Locale.ROOT, "%s: one worker, 16 examples at its best (in parts of the fastest batch): %.3f s%n", name, best16);
        for (int w : new int[] {1, 2, 4, 16, 64}) {
            double reduce = w == 1 ? 0 : 2.0 * (w - 1) / w * bytes / LINK_BYTES_PER_S + 2.0 * (w - 1) * LATENCY_S;
            // Strong: a global batch of 16 split over w; weak: 16 per worker. A worker computes its rows in the parts
            // (train.micro_batches) that are fastest on it, and efficiency is against one worker doing the same.
            if (16 % w == 0) {
                int b = 16 / w;
                double compute = bestSeconds(batches, step, b);
                System.out.printf(Locale.ROOT, "  %-9d %-14s %10d %12.3f %10.3f %12.3f %9.0f%%%n", w, "strong (16)", b, compute, reduce,
                        compute + reduce, 100 * best16 / w / (compute + reduce));
            }
            System.out.printf(Locale.ROOT, "  %-9d %-14s %10d %12.3f %10.3f %12.3f %9.0f%%%n", w, "weak (16/wkr)", 16, best16, reduce,
                    best16 + reduce, 100 * best16 / (best16 + reduce));
        }
    }

    /** The fastest way to compute {@code rows} examples on one worker: in parts of a measured batch that divides it. */
    static double bestSeconds(int[] batches, double[] step, int rows) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < batches.length; i++) {
            if (rows % batches[i] == 0) best = Math.min(best, step[i] * (rows / batches[i]));
        }
        return best;
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalArgumentException(v + " not measured");
    }

    /** Median of timed steps after two warm-up steps; at least 3 timed and 10 s for small batches. */
    static double medianStepSeconds(Trainer t, int batch) {
        for (int i = 0; i < 2; i++) t.trainStep();
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < 3 || (System.nanoTime() - start < 10e9 && times.size() < 15)) {
            long t0 = System.nanoTime();
            t.trainStep();
            times.add((System.nanoTime() - t0) / 1e9);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    /** Median time of a 2-worker ring all-reduce of {@code n} floats over loopback (two threads). */
    static double ringSeconds(int n) throws Exception {
        org.ddsp4j.spark.LocalRendezvous rendezvous = new org.ddsp4j.spark.LocalRendezvous(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<double[]>> out = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                out.add(pool.submit(() -> {
                    try (RingAllReduce ring = RingAllReduce.connect(rank, 2, "127.0.0.1", rendezvous.of(rank))) {
                        float[] buf = new float[n];
                        double[] t = new double[12];
                        for (int i = 0; i < t.length; i++) {
                            rendezvous.await();
                            long t0 = System.nanoTime();
                            ring.allReduceSum(buf);
                            t[i] = (System.nanoTime() - t0) / 1e9;
                        }
                        return t;
                    }
                }));
            }
            double[] t = out.get(0).get();
            out.get(1).get();
            Arrays.sort(t, 2, t.length);
            return t[2 + (t.length - 2) / 2];
        } finally {
            pool.shutdownNow();
        }
    }
}
