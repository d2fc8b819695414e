package org.ddsp4j.dsp;

import org.ddsp4j.kernel.WavetableKernel;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Time-varying wavetable synthesis from frame-rate controls (ddsp's {@code wavetable_synthesis}):
 * <pre>
 *   audio[b, t] = amp(t) * table_t(phi(t) W / 2 pi),   phi(t) = initialPhase + 2 pi * sum_{s &lt;= t} f0(s) / sr
 * </pre>
 * where {@code table_t} is the frame-rate table {@code [W]} (one period) upsampled linearly in time and
 * read with linear interpolation (wrapping at W). Amplitude and f0 are upsampled linearly
 * (align-corners, as {@link HarmonicSynth}). There is no band-limiting: keep the table's content below
 * {@code sr / (2 f0)} harmonics.
 *
 * <p>A fused op on {@link WavetableKernel} (phase in double, hand-written backward), differentiable
 * w.r.t. the table, f0, amplitude and the initial phase.
 */
public final class WavetableSynth {
    private WavetableSynth() {}

    /** Result of {@link #render(Tensor, Tensor, Tensor, Tensor, int, float)}: audio and the phase to continue from. */
    public record Output(Tensor audio, float[] finalPhase) {}

    /**
     * @param wavetable  {@code [batch, nFrames, W]} one period per frame
     * @param f0Hz       {@code [batch, nFrames, 1]} Hz
     * @param amplitude  {@code [batch, nFrames, 1]} linear
     * @param nSamples   output length
     * @param sampleRate Hz
     * @return {@code [batch, nSamples]}
     */
    public static Tensor render(Tensor wavetable, Tensor f0Hz, Tensor amplitude, int nSamples, float sampleRate) {
        return render(wavetable, f0Hz, amplitude, null, nSamples, sampleRate).audio();
    }

    /**
     * With state in and out, for block-by-block rendering.
     *
     * @param initialPhase {@code [batch]} radians, or null for 0; differentiable when it requires a gradient
     * @return the audio {@code [batch, nSamples]} and {@code finalPhase [batch]} (radians in {@code [0, 2 pi)})
     */
    public static Output render(Tensor wavetable, Tensor f0Hz, Tensor amplitude, Tensor initialPhase,
                                int nSamples, float sampleRate) {
        int[] ws = wavetable.shape(), fs = f0Hz.shape(), as = amplitude.shape();
        if (ws.length != 3 || fs.length != 3 || fs[2] != 1 || !java.util.Arrays.equals(fs, as) || ws[0] != fs[0] || ws[1] != fs[1]) {
            throw new IllegalArgumentException("WavetableSynth: need wavetable [batch, nFrames, W], f0Hz [batch, nFrames, 1], "
                    + "amplitude [batch, nFrames, 1]; got " + Shape.str(ws) + ", " + Shape.str(fs) + ", " + Shape.str(as));
        }
        int b = ws[0], f = ws[1], w = ws[2];
        if (initialPhase != null && initialPhase.size() != b) {
            throw new IllegalArgumentException("WavetableSynth: initialPhase must be [batch] = [" + b + "], got "
                    + Shape.str(initialPhase.shape()));
        }
        float[] audio = new float[b * nSamples], finalPhase = new float[b];
        float[] ph = initialPhase == null ? null : initialPhase.data();
        WavetableKernel.forward(b, f, w, nSamples, sampleRate, wavetable.data(), f0Hz.data(), amplitude.data(), ph, audio, finalPhase);
        Tensor[] inputs = initialPhase == null ? new Tensor[] {wavetable, f0Hz, amplitude}
                : new Tensor[] {wavetable, f0Hz, amplitude, initialPhase};
        Tensor out = Tensor.fromOp("wavetable_synth", audio, new int[] {b, nSamples}, gy -> WavetableKernel.backward(
                b, f, w, nSamples, sampleRate, wavetable.data(), f0Hz.data(), amplitude.data(), ph, gy,
                wavetable.requiresGrad() ? wavetable.gradBuffer() : null,
                f0Hz.requiresGrad() ? f0Hz.gradBuffer() : null,
                amplitude.requiresGrad() ? amplitude.gradBuffer() : null,
                initialPhase != null && initialPhase.requiresGrad() ? initialPhase.gradBuffer() : null), inputs);
        return new Output(out, finalPhase);
    }
}
