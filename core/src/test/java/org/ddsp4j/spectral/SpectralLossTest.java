package org.ddsp4j.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradCheck;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused multi-scale loss against a composition of differentiable ops and finite differences. */
class SpectralLossTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    /** The loss built from ops: Stft.magnitude, log, abs, mean (backward by autodiff). */
    private static Tensor composite(Tensor target, Tensor pred, int[] sizes, float wMag, float wLog) {
        Tensor total = Tensor.scalar(0f);
        for (int n : sizes) {
            Tensor a = Stft.magnitude(pred, n, n / 4, Padding.REFLECT), b = Stft.magnitude(target, n, n / 4, Padding.REFLECT);
            total = total.add(a.sub(b).abs().mean().mul(wMag));
            total = total.add(a.add(1e-7f).log().sub(b.add(1e-7f).log()).abs().mean().mul(wLog));
        }
        return total;
    }

    @Test
    void valueAndGradientMatchComposite() {
        // Sizes large enough for the SIMD path (interleaved spectra of 34..514 floats) and its scalar tail.
        int[] sizes = {256, 64, 32, 16};
        for (float[] w : new float[][] {{1, 1}, {0.5f, 2}, {1, 0}, {0, 1}}) {
            Tensor target = Tensor.randn(rng, 0.1f, 3, 999);
            Tensor p1 = Tensor.randn(rng, 0.1f, 3, 999).requiresGrad(true), p2 = p1.detach().requiresGrad(true);
            SpectralLoss loss = SpectralLoss.builder().fftSizes(sizes).magWeight(w[0]).logMagWeight(w[1]).build();
            Tensor fused = loss.loss(target, p1), ref = composite(target, p2, sizes, w[0], w[1]);
            assertEquals(ref.item(), fused.item(), 1e-5 * Math.abs(ref.item()), "value, weights " + w[0] + "/" + w[1]);
            fused.backward();
            ref.backward();
            float[] g1 = p1.grad(), g2 = p2.grad();
            double maxRef = 0, maxErr = 0;
            for (int i = 0; i < g1.length; i++) {
                maxRef = Math.max(maxRef, Math.abs(g2[i]));
                maxErr = Math.max(maxErr, Math.abs(g1[i] - g2[i]));
            }
            assertTrue(maxErr <= 1e-4 * maxRef, "gradient error " + maxErr + " vs max " + maxRef);
        }
    }

    /**
     * Finite differences need a loss without kinks inside the step: with target = -1.5 x prediction,
     * B = 1.5 A in every bin, so sign(A - B) = -1 everywhere (the random-target case, full of kinks, is
     * covered by the comparison with the autodiff composite above).
     */
    @Test
    void gradientMatchesFiniteDifferences() {
        for (int[] sizes : new int[][] {{16, 8}, {32, 16}}) {
            for (int n : new int[] {37, 50}) {
                Tensor pred = Tensor.uniform(rng, -1, 1, 2, n).requiresGrad(true);
                Tensor target = pred.detach().mul(-1.5f);
                SpectralLoss loss = SpectralLoss.builder().fftSizes(sizes).magWeight(0.7f).logMagWeight(1.3f).build();
                GradCheck.Result r = new GradCheck().step(1e-4).tolerance(3e-3, 2e-2).check(in -> loss.loss(target, in[0]), pred);
                assertTrue(r.ok(), java.util.Arrays.toString(sizes) + " n " + n + ": " + r);
            }
        }
    }

    @Test
    void optionalTerms() {
        // Loudness term by finite differences (1.5x louder target: no kink in |dB difference|).
        Tensor p0 = Tensor.uniform(rng, -1, 1, 2, 40).requiresGrad(true);
        Tensor t0 = p0.detach().mul(1.5f);
        SpectralLoss withLoudness = SpectralLoss.builder().fftSizes(16, 8).loudnessWeight(0.05f).loudness(1000, 250, 16).build();
        GradCheck.Result r = new GradCheck().step(1e-4).tolerance(3e-3, 2e-2).check(in -> withLoudness.loss(t0, in[0]), p0);
        assertTrue(r.ok(), r.toString());

        Tensor target = Tensor.uniform(rng, -1, 1, 2, 40);
        Tensor pred = Tensor.uniform(rng, -1, 1, 2, 40).requiresGrad(true);
        SpectralLoss loss = SpectralLoss.builder().fftSizes(16, 8).deltaTimeWeight(0.7f).deltaFreqWeight(0.3f)
                .loudnessWeight(0.01f).loudness(1000, 250, 16).build();
        // The delta terms add exactly their composite value.
        Tensor base = SpectralLoss.builder().fftSizes(16, 8).build().loss(target, pred.detach());
        Tensor full = loss.loss(target, pred.detach());
        double extra = 0;
        for (int n : new int[] {16, 8}) {
            Tensor a = Stft.magnitude(pred.detach(), n, n / 4, Padding.REFLECT), b = Stft.magnitude(target, n, n / 4, Padding.REFLECT);
            extra += 0.7 * meanAbsDiff(a, b, 1) + 0.3 * meanAbsDiff(a, b, 2);
        }
        float[] la = Spectral.loudness(pred.detach(), 1000, 250, 16, 80).data(), lb = Spectral.loudness(target, 1000, 250, 16, 80).data();
        double l = 0;
        for (int i = 0; i < la.length; i++) l += Math.abs(la[i] - lb[i]);
        extra += 0.01 * l / la.length;
        assertEquals(base.item() + extra, full.item(), 1e-5 * full.item());
    }

    /** mean |diff_axis(a) - diff_axis(b)| over [B, F, K] computed by index loops. */
    private static double meanAbsDiff(Tensor a, Tensor b, int axis) {
        int[] s = a.shape();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < s[0]; i++) {
            for (int f = 0; f < s[1] - (axis == 1 ? 1 : 0); f++) {
                for (int k = 0; k < s[2] - (axis == 2 ? 1 : 0); k++) {
                    int f2 = axis == 1 ? f + 1 : f, k2 = axis == 2 ? k + 1 : k;
                    sum += Math.abs((a.get(i, f2, k2) - a.get(i, f, k)) - (b.get(i, f2, k2) - b.get(i, f, k)));
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Test
    void zeroForIdenticalPositiveOtherwiseAndDecreasesTowardsTarget() {
        Tensor target = Tensor.randn(rng, 0.1f, 2, 4000), other = Tensor.randn(rng, 0.1f, 2, 4000);
        SpectralLoss loss = SpectralLoss.defaults();
        assertEquals(0f, loss.loss(target, target.detach()).item());
        double prev = Double.POSITIVE_INFINITY;
        for (double alpha : new double[] {0, 0.25, 0.5, 0.75, 0.95}) {
            float[] mix = new float[target.size()];
            for (int i = 0; i < mix.length; i++) mix[i] = (float) (alpha * target.data()[i] + (1 - alpha) * other.data()[i]);
            double v = loss.loss(target, Tensor.of(mix, 2, 4000)).item();
            assertTrue(v > 0 && v < prev, "alpha " + alpha + ": " + v + " after " + prev);
            prev = v;
        }
    }

    @Test
    void noGradientWorkWithoutGrad() {
        Tensor target = Tensor.randn(rng, 0.1f, 1, 3000), pred = Tensor.randn(rng, 0.1f, 1, 3000).requiresGrad(true);
        float withGrad = SpectralLoss.defaults().loss(target, pred).item();
        try (GradMode g = GradMode.off()) {
            Tensor l = SpectralLoss.defaults().loss(target, pred);
            assertEquals(withGrad, l.item());
            assertTrue(l.isLeaf());
        }
    }

    @Test
    void rejectsBadConfigAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> SpectralLoss.builder().fftSizes(100).build());
        assertThrows(IllegalArgumentException.class, () -> SpectralLoss.builder().overlap(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> SpectralLoss.builder().fftSizes().build());
        assertThrows(IllegalArgumentException.class, () -> SpectralLoss.defaults().loss(Tensor.zeros(2, 3000), Tensor.zeros(2, 3001)));
        assertThrows(IllegalArgumentException.class, () -> Losses.meanDifference(Tensor.zeros(2, 3), Tensor.zeros(3, 2), Losses.Type.L1));
    }

    @Test
    void meanDifference() {
        Tensor a = Tensor.vector(1, 2, 3, 4), b = Tensor.vector(2, 0, 3, 8);
        assertEquals((1 + 2 + 0 + 4) / 4f, Losses.meanDifference(a, b, Losses.Type.L1).item(), 1e-6);
        assertEquals((1 + 4 + 0 + 16) / 4f, Losses.meanDifference(a, b, Losses.Type.L2).item(), 1e-6);
        Tensor x = Tensor.uniform(rng, -1, 1, 3, 4).requiresGrad(true), t = Tensor.uniform(rng, -1, 1, 3, 4);
        for (Losses.Type type : Losses.Type.values()) {
            GradCheck.Result r = new GradCheck().check(in -> Losses.meanDifference(t, in[0], type), x);
            assertTrue(r.ok(), type + ": " + r);
        }
    }

    /** The dry path's level: its value against a plain loop, its gradient against finite differences, its shape checks. */
    @Test
    void dryLevel() {
        int b = 2, hop = 8, frames = 5, n = frames * hop;
        Tensor dry = Tensor.uniform(rng, -0.5f, 0.5f, b, n).requiresGrad(true), target = Tensor.uniform(rng, -1f, 1f, b, n);
        for (int i = 0; i < hop; i++) dry.data()[2 * hop + i] *= 1e-3f;     // a quiet frame: a tail's level
        double expected = 0;
        for (int row = 0; row < b; row++) {
            double pt = 0;
            for (int i = 0; i < n; i++) pt += Math.pow(target.data()[row * n + i], 2) / n;
            for (int f = 0; f < frames; f++) {
                double pd = 0;
                for (int i = 0; i < hop; i++) pd += Math.pow(dry.data()[row * n + f * hop + i], 2) / hop;
                expected += Math.log((pd / pt + Losses.DRY_LEVEL_FLOOR) / (pd / pt + Losses.DRY_LEVEL_KNEE)) / (b * frames);
            }
        }
        assertEquals(expected, Losses.dryLevel(dry, target, hop).item(), 1e-5);
        GradCheck.Result r = new GradCheck().step(1e-4).tolerance(3e-3, 2e-2).check(in -> Losses.dryLevel(in[0], target, hop), dry);
        assertTrue(r.ok(), r.toString());
        assertThrows(IllegalArgumentException.class, () -> Losses.dryLevel(Tensor.zeros(2, 40), Tensor.zeros(2, 40), 7));
        assertThrows(IllegalArgumentException.class, () -> Losses.dryLevel(Tensor.zeros(2, 40), Tensor.zeros(1, 40), 8));
    }
}
