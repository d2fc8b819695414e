package org.ddsp4j.model;

import org.ddsp4j.kernel.HarmonicKernel;
import org.ddsp4j.tensor.Tensor;

/**
 * The harmonic synthesizer as a differentiable tensor op over the fused {@link HarmonicKernel}
 * (forward and hand-written backward on flat arrays). Controls in physical units, already scaled:
 * this is the "signal" half of the harmonic processor; {@link Autoencoder} does the "controls" half.
 */
public final class HarmonicSynth {
    private HarmonicSynth() {}

    /**
     * @param f0Hz         {@code [B, F]} fundamental in Hz (a constant here: no gradient is taken)
     * @param amplitude    {@code [B, F]} overall linear amplitude
     * @param distribution {@code [B, F, K]} harmonic weights, normalized, zero above Nyquist
     * @param nSamples     output samples per row
     * @param sampleRate   Hz
     * @return {@code [B, nSamples]} audio
     */
    public static Tensor render(Tensor f0Hz, Tensor amplitude, Tensor distribution, int nSamples, int sampleRate) {
        int[] s = distribution.shape();
        if (s.length != 3) throw new IllegalArgumentException("harmonic distribution must be [B, F, K], got rank " + s.length);
        int b = s[0], f = s[1], k = s[2];
        if (f0Hz.size() != b * f || amplitude.size() != b * f) {
            throw new IllegalArgumentException("f0 (" + f0Hz.size() + " values) and amplitude (" + amplitude.size()
                    + ") must both be [B, F] = [" + b + ", " + f + "]");
        }
        float[] out = new float[b * nSamples];
        float[] f0 = f0Hz.data(), amp = amplitude.data(), dist = distribution.data();
        HarmonicKernel.forward(b, f, k, nSamples, sampleRate, f0, amp, dist, null, out, null);
        return Tensor.fromOp("harmonicSynth", out, new int[] {b, nSamples}, g -> {
            float[] ga = amplitude.requiresGrad() ? new float[b * f] : null;
            float[] gd = distribution.requiresGrad() ? new float[b * f * k] : null;
            HarmonicKernel.backward(b, f, k, nSamples, sampleRate, f0, amp, dist, null, g, null, ga, gd, null);
            if (ga != null) amplitude.accumulateGrad(ga);
            if (gd != null) distribution.accumulateGrad(gd);
        }, amplitude, distribution);
    }
}
