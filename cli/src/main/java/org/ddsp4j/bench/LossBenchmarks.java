package org.ddsp4j.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.tensor.Tensor;

/** Losses: the multi-scale spectral loss, forward and backward. */
public final class LossBenchmarks {
    private LossBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new MssFwdBwd(16, 64000));
    }

    /**
     * reference.py {@code mss_fwdbwd}: x, t = 0.1 * randn(B, T), x trainable; loss over FFT sizes
     * 2048..64 (hop n/4, Hann, centred with reflect padding), L1 on |S| and log(|S| + 1e-7), the
     * target's spectrum recomputed every call; forward + backward w.r.t. x.
     */
    static final class MssFwdBwd implements Benchmark {
        private final int batch, nSamples;
        private final SpectralLoss loss = SpectralLoss.defaults();
        private Tensor x, t;

        MssFwdBwd(int batch, int nSamples) {
            this.batch = batch;
            this.nSamples = nSamples;
        }

        @Override
        public String name() {
            return "mss_fwdbwd";
        }

        @Override
        public String referenceMode() {
            return "mss_fwdbwd";
        }

        @Override
        public void setup() {
            SplittableRandom rng = new SplittableRandom(0);
            x = Tensor.randn(rng, 0.1f, batch, nSamples).requiresGrad(true);
            t = Tensor.randn(rng, 0.1f, batch, nSamples);
        }

        @Override
        public void runOnce() {
            x.zeroGrad();
            loss.loss(t, x).backward();
        }
    }
}
