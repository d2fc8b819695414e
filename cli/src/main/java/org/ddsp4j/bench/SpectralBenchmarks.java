package org.ddsp4j.bench;

import java.util.List;
import java.util.Random;
import org.ddsp4j.kernel.RealFft;
import org.ddsp4j.spectral.Loudness;

/** Spectral kernels: batched real FFT and A-weighted loudness. */
public final class SpectralBenchmarks {
    private SpectralBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new RfftBatch(2048, 256), new LoudnessBatch(16, 4 * 16000));
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * 0.1);
        return x;
    }

    /** {@code count} forward real FFTs of size {@code n} ([count, n] -> [count, n/2+1] complex). */
    static final class RfftBatch implements Benchmark {
        private final int n, count;
        private RealFft fft;
        private float[] in, out;

        RfftBatch(int n, int count) {
            this.n = n;
            this.count = count;
        }

        @Override
        public String name() {
            return "rfft_" + n + "_batch";
        }


        @Override
        public void setup() {
            fft = RealFft.of(n);
            in = noise(n * count, 1);
            out = new float[(n + 2) * count];
        }

        @Override
        public void runOnce() {
            fft.forwardBatch(in, 0, n, out, 0, n + 2, count);
        }

        /** The conventional 2.5 n log2 n flops of a real FFT. */
        @Override
        public double flops() {
            return 2.5 * n * (31 - Integer.numberOfLeadingZeros(n)) * count;
        }
    }

    /** A-weighted loudness at 250 frames/s of {@code count} clips of {@code nSamples} at 16 kHz. */
    static final class LoudnessBatch implements Benchmark {
        private final int count, nSamples;
        private float[][] audio;

        LoudnessBatch(int count, int nSamples) {
            this.count = count;
            this.nSamples = nSamples;
        }

        @Override
        public String name() {
            return "loudness_4s";
        }


        @Override
        public void setup() {
            audio = new float[count][];
            for (int b = 0; b < count; b++) audio[b] = noise(nSamples, 10 + b);
        }

        @Override
        public void runOnce() {
            for (float[] a : audio) Loudness.loudnessDb(a, 16000, 250);
        }
    }
}
