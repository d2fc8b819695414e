package org.ddsp4j.bench;

import java.util.Random;
import org.ddsp4j.kernel.HarmonicKernel;
import org.ddsp4j.kernel.Parallel;

/**
 * Harmonic synthesizer benchmarks, the same work as {@code harmonic_fwd} / {@code harmonic_fwdbwd} in
 * {@code shared/bench/reference.py}: B=16 rows, T=64000 samples at 16 kHz, F=1000 frames, K=100
 * harmonics, f0 = (110 + 330*U) * (1 + 0.01*N) Hz. Each call does softmax over harmonics, the
 * frame-rate Nyquist mask {@code k*f0 < sr/2}, renormalization {@code d / max(sum d, 1e-7)}, then the
 * fused synthesis kernel (upsampling, phase cumsum, sines, sum); fwdbwd adds the backward of all of it
 * w.r.t. f0, amplitude and the distribution logits.
 */
public final class SynthBenchmarks {
    static final int B = 16, T = 64000, F = 1000, K = 100;
    static final double SR = 16000;

    private SynthBenchmarks() {}

    /** harmonic_fwd. */
    public static Benchmark harmonicForward() {
        return new Harmonic(false);
    }

    /** harmonic_fwdbwd. */
    public static Benchmark harmonicForwardBackward() {
        return new Harmonic(true);
    }

    private static final class Harmonic implements Benchmark {
        final boolean backward;
        float[] f0, amp, logits, soft, dist, audio, grad, gF0, gAmp, gDist, gLogits;

        Harmonic(boolean backward) {
            this.backward = backward;
        }

        @Override
        public String name() {
            return backward ? "harmonic_fwdbwd" : "harmonic_fwd";
        }

        @Override
        public String referenceMode() {
            return name();
        }

        @Override
        public void setup() {
            Random r = new Random(0);
            f0 = new float[B * F];
            amp = new float[B * F];
            logits = new float[B * F * K];
            for (int b = 0; b < B; b++) {
                double base = 110 + 330 * r.nextDouble();
                for (int f = 0; f < F; f++) f0[b * F + f] = (float) (base * (1 + 0.01 * r.nextGaussian()));
            }
            for (int i = 0; i < amp.length; i++) amp[i] = r.nextFloat();
            for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
            dist = new float[B * F * K];
            soft = new float[B * F * K];
            audio = new float[B * T];
            if (backward) {
                grad = new float[B * T];
                for (int i = 0; i < grad.length; i++) grad[i] = (float) r.nextGaussian();
                gF0 = new float[B * F];
                gAmp = new float[B * F];
                gDist = new float[B * F * K];
                gLogits = new float[B * F * K];
            }
        }

        @Override
        public void runOnce() {
            normalize(f0, logits, soft, dist);
            HarmonicKernel.forward(B, F, K, T, SR, f0, amp, dist, null, audio, null);
            if (!backward) return;
            java.util.Arrays.fill(gF0, 0);
            java.util.Arrays.fill(gAmp, 0);
            java.util.Arrays.fill(gDist, 0);
            HarmonicKernel.backward(B, F, K, T, SR, f0, amp, dist, null, grad, gF0, gAmp, gDist, null);
            normalizeBackward(f0, soft, dist, gDist, gLogits);
        }
    }

    /**
     * dist = softmax(logits) * [k*f0 < sr/2], divided by max(sum, 1e-7); per frame. The softmax is kept
     * in {@code soft} for the backward pass, as autograd would.
     */
    static void normalize(float[] f0, float[] logits, float[] soft, float[] dist) {
        Parallel.forRange(B * F, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int o = row * K;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < K; k++) max = Math.max(max, logits[o + k]);
                double sum = 0;
                for (int k = 0; k < K; k++) {
                    double e = Math.exp(logits[o + k] - max);
                    dist[o + k] = (float) e;
                    sum += e;
                }
                double masked = 0;
                for (int k = 0; k < K; k++) {
                    double sm = dist[o + k] / sum, p = sm * ((k + 1) * (double) f0[row] < SR / 2 ? 1 : 0);
                    soft[o + k] = (float) sm;
                    dist[o + k] = (float) p;
                    masked += p;
                }
                double z = Math.max(masked, 1e-7);
                for (int k = 0; k < K; k++) dist[o + k] = (float) (dist[o + k] / z);
            }
        });
    }

    /** Backward of {@link #normalize}: gradLogits from gradDist (overwritten). */
    static void normalizeBackward(float[] f0, float[] soft, float[] dist, float[] gradDist, float[] gradLogits) {
        Parallel.forRange(B * F, 64, (from, to) -> {
            double[] p = new double[K], gq = new double[K];
            for (int row = from; row < to; row++) {
                int o = row * K;
                double masked = 0;
                for (int k = 0; k < K; k++) {
                    p[k] = soft[o + k];
                    if ((k + 1) * (double) f0[row] < SR / 2) masked += p[k];
                }
                // d = q / Z: dL/dq = (gd - sum(gd * d)) / Z while Z is above the clamp, else gd / Z.
                double z = Math.max(masked, 1e-7), dot = 0;
                if (masked > 1e-7) for (int k = 0; k < K; k++) dot += gradDist[o + k] * (double) dist[o + k];
                double pg = 0;
                for (int k = 0; k < K; k++) {
                    boolean on = (k + 1) * (double) f0[row] < SR / 2;
                    gq[k] = on ? (gradDist[o + k] - dot) / z : 0; // dL/dp through the mask
                    pg += p[k] * gq[k];
                }
                for (int k = 0; k < K; k++) gradLogits[o + k] = (float) (p[k] * (gq[k] - pg)); // softmax
            }
        });
    }
}
