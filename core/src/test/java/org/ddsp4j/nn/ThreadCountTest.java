package org.ddsp4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.FftConvolution;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gradients summed over many rows (Dense weights and bias, LayerNorm gamma and beta, GRU weights,
 * a shared reverb IR, the spectral loss) are the same bits on 1, 2, 3 and 4 threads. The sizes are
 * chosen so that every one of those sums is cut into several chunks and every product is split.
 */
class ThreadCountTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** The loss and every gradient of a Dense - LayerNorm - GRU - reverb - spectral-loss graph. */
    private static List<float[]> lossAndGradients() {
        SplittableRandom rng = new SplittableRandom(7);
        int b = 4, t = 1300, d = 32; // 5200 rows: 3 chunks of column sums, 11 of LayerNorm sums
        Dense dense = new Dense(d, d, rng);
        LayerNorm norm = new LayerNorm(d);
        Gru gru = new Gru(d, d, rng);
        Tensor x = Tensor.randn(rng, 1f, b, t, d).requiresGrad(true);
        Tensor ir = Tensor.randn(rng, 0.1f, 1, 513).requiresGrad(true);
        Tensor target = Tensor.randn(rng, 0.1f, b, t * d);
        Tensor y = gru.forward(norm.forwardLeakyRelu(dense.forward(x), 0.2f)).outputs().reshape(b, t * d);
        Tensor wet = FftConvolution.fftConvolve(y, ir, FftConvolution.Padding.SAME);
        Tensor loss = SpectralLoss.builder().fftSizes(new int[] {512, 128}).build().loss(target, wet);
        loss.backward();
        List<float[]> out = new ArrayList<>();
        out.add(new float[] {loss.item()});
        out.add(x.grad().clone());
        out.add(ir.grad().clone());
        for (Module m : new Module[] {dense, norm, gru}) m.namedParameters().values().forEach(p -> out.add(p.grad().clone()));
        return out;
    }

    @Test
    void gradientsSummedOverRowsDoNotDependOnTheThreadCount() {
        Parallel.setThreads(1);
        List<float[]> ref = lossAndGradients();
        for (int threads = 2; threads <= 4; threads++) {
            Parallel.setThreads(threads);
            List<float[]> got = lossAndGradients();
            assertEquals(ref.size(), got.size());
            for (int i = 0; i < ref.size(); i++) assertArrayEquals(ref.get(i), got.get(i), 0f, threads + " threads, tensor " + i);
        }
    }
}
