package org.ddsp4j.bench;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.Parallel;

/**
 * What this machine can do at most, the yardsticks the kernels are measured against ({@code ./ddsp bench}'s
 * "% of limit" column): {@code fma_peak}, float32 fused multiply-adds of the Vector API's widest species on
 * independent accumulators (no memory traffic: the arithmetic limit), and {@code mem_bandwidth}, the STREAM
 * triad {@code a = b + s c} over arrays far larger than the caches (the memory limit). Both run on the
 * benchmark's threads, each thread on its own part.
 */
public final class LimitBenchmarks {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators per thread: enough to cover the FMA latency on every pipe (4 cycles x 2-4 pipes). */
    static final int ACCUMULATORS = 16;
    /** Rounds per thread and call: ~1e9 flops per thread. */
    static final int ROUNDS = 1_000_000_000 / (2 * ACCUMULATORS * 16);
    /** Triad arrays: 3 x 64 MiB, beyond any cache of this machine kind. */
    static final int TRIAD_FLOATS = 16 << 20;

    private LimitBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new FmaPeak(), new Triad());
    }

    /** {@code fma_peak}: GFLOP/s of independent vector FMAs. */
    static final class FmaPeak implements Benchmark {
        volatile float sink;

        @Override
        public String name() {
            return "fma_peak";
        }

        @Override
        public void setup() {}

        @Override
        public void runOnce() {
            float[] out = new float[Parallel.threads()];
            Parallel.forRange(Parallel.threads(), 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) out[t] = fmaLoop(ROUNDS, 1f + t * 1e-7f);
            });
            float s = 0;
            for (float v : out) s += v;
            sink = s;
        }

        @Override
        public double flops() {
            return 2.0 * S.length() * ACCUMULATORS * ROUNDS * Parallel.threads();
        }

        @Override
        public Bound bound() {
            return Bound.ARITHMETIC;
        }

        /** {@code rounds} x 16 independent FMAs of {@code x * y + acc}; x, y near 1 so nothing overflows or goes subnormal. */
        static float fmaLoop(int rounds, float seed) {
            FloatVector x = FloatVector.broadcast(S, 0.9999999f), y = FloatVector.broadcast(S, seed * 1e-9f);
            FloatVector a0 = FloatVector.broadcast(S, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3), a4 = a0.add(4),
                    a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7), a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10),
                    a11 = a0.add(11), a12 = a0.add(12), a13 = a0.add(13), a14 = a0.add(14), a15 = a0.add(15);
            for (int r = 0; r < rounds; r++) {
                a0 = a0.fma(x, y);
                a1 = a1.fma(x, y);
                a2 = a2.fma(x, y);
                a3 = a3.fma(x, y);
                a4 = a4.fma(x, y);
                a5 = a5.fma(x, y);
                a6 = a6.fma(x, y);
                a7 = a7.fma(x, y);
                a8 = a8.fma(x, y);
                a9 = a9.fma(x, y);
                a10 = a10.fma(x, y);
                a11 = a11.fma(x, y);
                a12 = a12.fma(x, y);
                a13 = a13.fma(x, y);
                a14 = a14.fma(x, y);
                a15 = a15.fma(x, y);
            }
            FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                    .add(a12).add(a13).add(a14).add(a15);
            return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        }
    }

    /** {@code mem_bandwidth}: the STREAM triad, 12 bytes of traffic per element counted (two reads, one write). */
    static final class Triad implements Benchmark {
        private float[] a, b, c;

        @Override
        public String name() {
            return "mem_bandwidth";
        }

        @Override
        public void setup() {
            a = new float[TRIAD_FLOATS];
            b = new float[TRIAD_FLOATS];
            c = new float[TRIAD_FLOATS];
            java.util.Arrays.fill(b, 1f);
            java.util.Arrays.fill(c, 2f);
        }

        @Override
        public void runOnce() {
            FloatVector s = FloatVector.broadcast(S, 0.5f);
            Parallel.forRange(TRIAD_FLOATS, 1 << 16, (i0, i1) -> {
                int i = i0, end = i0 + S.loopBound(i1 - i0);
                for (; i < end; i += S.length()) {
                    FloatVector.fromArray(S, c, i).fma(s, FloatVector.fromArray(S, b, i)).intoArray(a, i);
                }
                for (; i < i1; i++) a[i] = b[i] + 0.5f * c[i];
            });
        }

        @Override
        public double bytes() {
            return 12.0 * TRIAD_FLOATS;
        }

        @Override
        public Bound bound() {
            return Bound.MEMORY;
        }
    }
}
