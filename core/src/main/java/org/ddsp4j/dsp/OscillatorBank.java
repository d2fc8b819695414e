package org.ddsp4j.dsp;

import java.util.Arrays;
import org.ddsp4j.kernel.OscillatorBankKernel;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * A bank of K free sinusoidal oscillators from frame-rate controls (ddsp's {@code oscillator_bank}):
 * <pre>
 *   audio[b, t] = sum_k [|f_k(t)| &lt; sr/2] * a_k(t) * sin(phi_k(t)),
 *   phi_k(t)    = initialPhase[b, k] + 2 pi * sum_{s &lt;= t} f_k(s) / sr
 * </pre>
 * with frequencies and amplitudes upsampled linearly (align-corners, as {@link HarmonicSynth}).
 * Unlike the harmonic synth every oscillator has its own frequency, so it can model inharmonic
 * partials. The Nyquist gate is per sample and has no gradient.
 *
 * <p>A fused op on {@link OscillatorBankKernel}: phase in double, the
 * {@code [batch, nSamples, K]} intermediates are never materialized, backward is hand-written.
 */
public final class OscillatorBank {
    private OscillatorBank() {}

    /** Result of {@link #render(Tensor, Tensor, Tensor, int, float)}: audio and the phases to continue from. */
    public record Output(Tensor audio, float[] finalPhase) {}

    /**
     * Renders the bank, differentiable w.r.t. frequencies and amplitudes.
     *
     * @param freqsHz    {@code [batch, nFrames, K]} oscillator frequencies, Hz
     * @param amps       {@code [batch, nFrames, K]} linear amplitudes
     * @param nSamples   output length
     * @param sampleRate Hz
     * @return {@code [batch, nSamples]}
     */
    public static Tensor render(Tensor freqsHz, Tensor amps, int nSamples, float sampleRate) {
        return render(freqsHz, amps, null, nSamples, sampleRate).audio();
    }

    /**
     * Renders the bank with state in and out, for block-by-block rendering.
     *
     * @param initialPhase {@code [batch, K]} radians before the first sample, or null for 0;
     *                     differentiable when it requires a gradient
     * @return the audio {@code [batch, nSamples]} and {@code finalPhase [batch * K]} (radians in
     *     {@code [0, 2 pi)}, row-major {@code [batch, K]}), the initial phase of the next block
     */
    public static Output render(Tensor freqsHz, Tensor amps, Tensor initialPhase, int nSamples, float sampleRate) {
        int[] fs = freqsHz.shape(), as = amps.shape();
        if (fs.length != 3 || !Arrays.equals(fs, as)) {
            throw new IllegalArgumentException("OscillatorBank: need freqsHz and amps both [batch, nFrames, K]; got "
                    + Shape.str(fs) + " and " + Shape.str(as));
        }
        int b = fs[0], f = fs[1], k = fs[2];
        if (initialPhase != null && initialPhase.size() != b * k) {
            throw new IllegalArgumentException("OscillatorBank: initialPhase must be [batch, K] = [" + b + ", " + k
                    + "], got " + Shape.str(initialPhase.shape()));
        }
        float[] audio = new float[b * nSamples], finalPhase = new float[b * k];
        float[] ph = initialPhase == null ? null : initialPhase.data();
        OscillatorBankKernel.forward(b, f, k, nSamples, sampleRate, freqsHz.data(), amps.data(), ph, audio, finalPhase);
        Tensor[] inputs = initialPhase == null ? new Tensor[] {freqsHz, amps} : new Tensor[] {freqsHz, amps, initialPhase};
        Tensor out = Tensor.fromOp("oscillator_bank", audio, new int[] {b, nSamples}, gy -> OscillatorBankKernel.backward(
                b, f, k, nSamples, sampleRate, freqsHz.data(), amps.data(), ph, gy,
                freqsHz.requiresGrad() ? freqsHz.gradBuffer() : null,
                amps.requiresGrad() ? amps.gradBuffer() : null,
                initialPhase != null && initialPhase.requiresGrad() ? initialPhase.gradBuffer() : null), inputs);
        return new Output(out, finalPhase);
    }
}
