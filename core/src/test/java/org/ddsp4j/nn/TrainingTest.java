package org.ddsp4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Functional;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** End to end: a GRU + Dense learns to output its input delayed by 3 steps, with Adam. */
class TrainingTest {
    static final int DELAY = 3, B = 16, T = 24, H = 32, STEPS = 150;

    /** x uniform in [-1, 1] per [B, T], y[b, t] = x[b, t - DELAY] (zero for t < DELAY). */
    private static void delayBatch(SplittableRandom rng, float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        for (int i = 0; i < y.length; i++) {
            int t = i % T;
            y[i] = t >= DELAY ? x[i - DELAY] : 0f;
        }
    }

    @Test
    void gruLearnsADelayLine() {
        SplittableRandom rng = new SplittableRandom(2026);
        class Net extends Module {
            final Gru gru = addModule("gru", new Gru(1, H, rng));
            final Dense out = addModule("out", new Dense(H, 1, rng));

            Tensor forward(Tensor x) {
                return out.forward(gru.forward(x).outputs());
            }
        }
        Net net = new Net();
        Adam adam = new Adam(net, Adam.Config.defaults().withLearningRate(1e-2f));
        SplittableRandom data = new SplittableRandom(7);
        double first = 0, last = 0;
        for (int step = 0; step < STEPS; step++) {
            // Fresh batch every step: uniform input in [-1, 1], target x[t - 3] (zero before the start).
            float[] x = new float[B * T], y = new float[B * T];
            delayBatch(data, x, y);
            net.zeroGrad();
            Tensor loss = Functional.mse(net.forward(Tensor.of(x, B, T, 1)), Tensor.of(y, B, T, 1));
            loss.backward();
            adam.step();
            if (step < 10) first += loss.item() / 10;
            if (step >= STEPS - 10) last += loss.item() / 10;
        }
        System.out.printf("delay-line training: initial loss %.4f, final loss %.5f%n", first, last);
        // The target's variance is 1/3 * (T - 3) / T ~ 0.29; predicting zero gives that loss.
        assertTrue(first > 0.2, "initial loss " + first);
        // Measured: initial 0.275, final 4.3e-4 after 150 steps (seeds as above); the bound leaves 20x margin.
        assertTrue(last < 0.01, "final loss " + last + " (initial " + first + ")");
    }
}
