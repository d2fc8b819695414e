package org.ddsp4j.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.nn.Gru;
import org.ddsp4j.tensor.Tensor;

/** Neural-network layer benchmarks. */
public final class NnBenchmarks {
    private NnBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new GruFwdBwd());
    }

    /**
     * {@code gru_fwdbwd}: GRU(512, 512) over x [16, 1000, 512] from a zero state, forward plus
     * backward of the sum of all outputs, gradients w.r.t. the weights only (x is data), as
     * reference.py's {@code torch.nn.GRU(512, 512, batch_first=True)} mode.
     */
    static final class GruFwdBwd implements Benchmark {
        static final int B = 16, T = 1000, IN = 512, H = 512;
        private Gru gru;
        private Tensor x;

        @Override
        public String name() {
            return "gru_fwdbwd";
        }

        @Override
        public String referenceMode() {
            return "gru_fwdbwd";
        }

        @Override
        public void setup() {
            SplittableRandom rng = new SplittableRandom(0);
            gru = new Gru(IN, H, rng);
            x = Tensor.randn(rng, 1f, B, T, IN);
        }

        @Override
        public void runOnce() {
            gru.zeroGrad();
            gru.forward(x).outputs().sum().backward();
        }

        @Override
        public double flops() {
            // Matrix products only: forward x W_ih and per-step h W_hh; backward dW_ih, dW_hh and per-step dh.
            double inProj = 2.0 * B * T * IN * 3 * H, rec = 2.0 * B * T * H * 3 * H;
            return inProj + rec + inProj + 2 * rec;
        }
    }
}
