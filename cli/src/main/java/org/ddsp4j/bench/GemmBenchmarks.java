package org.ddsp4j.bench;

import java.util.Random;
import org.ddsp4j.kernel.Gemm;

/** GEMM workloads: the square 512^3 product and the products of one GRU step (forward, backward). */
public final class GemmBenchmarks {
    private GemmBenchmarks() {}

    /** gemm_512: 20 products of 512 x 512 by 512 x 512 per call. */
    public static Benchmark square512() {
        return new Forward("gemm_512", 512, 512, 512, 20);
    }

    /** gemm_gru: 2000 products (16 x 512) @ (512 x 1536) per call, as the reference. */
    public static Benchmark gru() {
        return new Forward("gemm_gru", 16, 512, 1536, 2000);
    }

    /** gemm_gru_bwd: 1000 GRU backward steps (X^T dY and dY W^T) per call. */
    public static Benchmark gruBackward() {
        return new GruBackward();
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** {@code reps} times C[m x n] = A[m x k] B[k x n], as reference.py's gemm modes. */
    private static final class Forward implements Benchmark {
        private final String name;
        private final int m, k, n, reps;
        private float[] a, b, c;

        Forward(String name, int m, int k, int n, int reps) {
            this.name = name;
            this.m = m;
            this.k = k;
            this.n = n;
            this.reps = reps;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String referenceMode() {
            return name;
        }

        @Override
        public void setup() {
            Random rnd = new Random(42);
            a = random(rnd, m * k);
            b = random(rnd, k * n);
            c = new float[m * n];
        }

        @Override
        public void runOnce() {
            for (int r = 0; r < reps; r++) {
                Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            }
        }

        @Override
        public double flops() {
            return 2.0 * m * n * k * reps;
        }
    }

    /**
     * The two transposed products of a GRU layer's backward step (batch 16, input 512, 3 gates of
     * 512): weight gradient {@code dW[512 x 1536] += X^T dY} with X [16 x 512], dY [16 x 1536], and
     * input gradient {@code dX[16 x 512] = dY W^T} with W [512 x 1536]. 1000 steps per call.
     */
    private static final class GruBackward implements Benchmark {
        private static final int BATCH = 16, IN = 512, OUT = 1536, REPS = 1000;
        private float[] x, dy, w, dw, dx;

        @Override
        public String name() {
            return "gemm_gru_bwd";
        }


        @Override
        public void setup() {
            Random rnd = new Random(43);
            x = random(rnd, BATCH * IN);
            dy = random(rnd, BATCH * OUT);
            w = random(rnd, IN * OUT);
            dw = new float[IN * OUT];
            dx = new float[BATCH * IN];
        }

        @Override
        public void runOnce() {
            for (int r = 0; r < REPS; r++) {
                Gemm.sgemm(true, false, IN, OUT, BATCH, 1f, x, 0, IN, dy, 0, OUT, 1f, dw, 0, OUT);
                Gemm.sgemm(false, true, BATCH, IN, OUT, 1f, dy, 0, OUT, w, 0, OUT, 0f, dx, 0, IN);
            }
        }

        @Override
        public double flops() {
            return 2.0 * 2.0 * BATCH * IN * OUT * REPS;
        }
    }
}
