package org.ddsp4j.dsp;

import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Additive harmonic synthesis from frame-rate controls:
 * <pre>
 *   audio[b, t] = amp(t) * sum_{k=1..K} [k f0(t) &lt; sr/2] * dist_k(t) * sin(k * phi(t)),
 *   phi(t) = 2 pi * sum_{s &lt;= t} f0(s) / sr
 * </pre>
 * with every control upsampled linearly ({@link Upsampling#linear}, align-corners). The distribution
 * is used as given (normalize it first, see {@code processors.Harmonic}).
 *
 * <p>This is the composite-op implementation (every step a tensor op, so its backward is automatic):
 * it materializes {@code [batch, nSamples, nHarmonics]} and keeps the phase in float32 (fine for
 * seconds, drifts by ~1e-3 rad per 10^4 rad), so it is the reference for the fused
 * {@code kernel.HarmonicKernel} op rather than the fast path.
 */
public final class HarmonicSynth {
    private HarmonicSynth() {}

    /**
     * @param f0Hz         {@code [batch, nFrames, 1]} fundamental frequency, Hz
     * @param amplitudes   {@code [batch, nFrames, 1]} overall linear amplitude
     * @param distribution {@code [batch, nFrames, nHarmonics]} harmonic weights
     * @param nSamples     output length
     * @param sampleRate   Hz
     * @return {@code [batch, nSamples]}
     */
    public static Tensor render(Tensor f0Hz, Tensor amplitudes, Tensor distribution, int nSamples, float sampleRate) {
        int[] fs = f0Hz.shape(), as = amplitudes.shape(), ds = distribution.shape();
        if (fs.length != 3 || fs[2] != 1 || !java.util.Arrays.equals(fs, as) || ds.length != 3 || ds[0] != fs[0] || ds[1] != fs[1]) {
            throw new IllegalArgumentException("HarmonicSynth: need f0Hz [batch, nFrames, 1], amplitudes [batch, nFrames, 1], "
                    + "distribution [batch, nFrames, nHarmonics]; got " + Shape.str(fs) + ", " + Shape.str(as) + ", " + Shape.str(ds));
        }
        int k = ds[2];
        Tensor f0Up = Upsampling.linear(f0Hz, nSamples);                     // [B, T, 1]
        Tensor phase = f0Up.mul((float) (2 * Math.PI / sampleRate)).cumsum(1); // [B, T, 1] radians
        float[] ks = new float[k];
        for (int i = 0; i < k; i++) ks[i] = i + 1;
        // Nyquist gate per sample, a constant (no gradient through the comparison).
        float[] f = f0Up.data(), gate = new float[f.length * k];
        float nyquist = sampleRate / 2;
        for (int i = 0; i < f.length; i++)
            for (int h = 0; h < k; h++) gate[i * k + h] = (h + 1) * Math.abs(f[i]) < nyquist ? 1f : 0f;
        Tensor sines = phase.mul(Tensor.of(ks, k)).sin().mul(Tensor.of(gate, fs[0], nSamples, k));
        Tensor weights = Upsampling.linear(distribution, nSamples).mul(Upsampling.linear(amplitudes, nSamples));
        return sines.mul(weights).sum(-1, false);
    }
}
