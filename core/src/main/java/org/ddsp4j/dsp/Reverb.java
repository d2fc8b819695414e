package org.ddsp4j.dsp;

import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Convolution reverb with an impulse response (ddsp's {@code effects.Reverb.get_signal}):
 * {@code y = x + conv(x, ir')[0, T)} where {@code ir'} is the IR with its first tap zeroed, so that a
 * learned IR cannot double the dry path (the dry signal is added separately). The IR comes from a
 * trainable tensor, {@link ExpDecayReverb} or {@link FilteredNoiseReverb}.
 */
public final class Reverb {
    private Reverb() {}

    /**
     * Applies the reverb.
     *
     * @param audio  {@code [batch, nSamples]} dry signal
     * @param ir     {@code [batch or 1, irSize]} impulse response in samples (tap 0 is ignored);
     *               differentiable, as is the audio
     * @param addDry add the dry signal ({@code true} in ddsp); false returns the wet signal only
     * @return {@code [batch, nSamples]}: the reverb tail past the end of the audio is cut
     */
    public static Tensor apply(Tensor audio, Tensor ir, boolean addDry) {
        if (ir.rank() != 2) {
            throw new IllegalArgumentException("Reverb: ir must be [batch or 1, irSize], got " + Shape.str(ir.shape()));
        }
        Tensor wet = FftConvolution.fftConvolve(audio, maskDry(ir), FftConvolution.Padding.SAME, 0);
        return addDry ? wet.add(audio) : wet;
    }

    /** The IR with tap 0 zeroed (its gradient there is zero), {@code [rows, irSize]}. */
    public static Tensor maskDry(Tensor ir) {
        int n = ir.dim(-1);
        float[] mask = new float[n];
        java.util.Arrays.fill(mask, 1f);
        mask[0] = 0f;
        return ir.mul(Tensor.of(mask, n));
    }
}
