package org.ddsp4j.dsp;

import org.ddsp4j.kernel.HarmonicKernel;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Additive harmonic synthesis from frame-rate controls:
 * <pre>
 *   audio[b, t] = amp(t) * sum_{k=1..K} [k |f0(t)| &lt; sr/2] * dist_k(t) * sin(k * phi(t)),
 *   phi(t) = initialPhase + 2 pi * sum_{s &lt;= t} f0(s) / sr
 * </pre>
 * with every control upsampled linearly ({@link Upsampling#linear}, align-corners:
 * sample t reads frame position {@code t (F - 1) / (T - 1)}). The distribution is used as given
 * (normalize it first, see {@code processors.Harmonic}); the Nyquist gate is per sample and has no
 * gradient.
 *
 * <p>{@link #render} is a fused op on {@link HarmonicKernel} (phase in double, never materializes
 * {@code [batch, nSamples, nHarmonics]}, hand-written backward); {@link #renderComposite} is the same
 * math from tensor primitives (float32 phase, large memory), kept as the independent reference.
 */
public final class HarmonicSynth {
    private HarmonicSynth() {}

    /** Result of {@link #render(Tensor, Tensor, Tensor, Tensor, int, float)}: audio and the phase to continue from. */
    public record Output(Tensor audio, float[] finalPhase) {}

    /**
     * Fused harmonic synthesis, differentiable w.r.t. f0, amplitudes and distribution.
     *
     * @param f0Hz         {@code [batch, nFrames, 1]} fundamental frequency, Hz
     * @param amplitudes   {@code [batch, nFrames, 1]} overall linear amplitude
     * @param distribution {@code [batch, nFrames, nHarmonics]} harmonic weights
     * @param nSamples     output length
     * @param sampleRate   Hz
     * @return {@code [batch, nSamples]}
     */
    public static Tensor render(Tensor f0Hz, Tensor amplitudes, Tensor distribution, int nSamples, float sampleRate) {
        return render(f0Hz, amplitudes, distribution, null, nSamples, sampleRate).audio();
    }

    /**
     * Fused harmonic synthesis with state in and out, for block-by-block rendering.
     *
     * @param initialPhase {@code [batch]} radians before the first sample, or null for 0; differentiable
     *                     when it requires a gradient
     * @return the audio {@code [batch, nSamples]} and {@code finalPhase [batch]} (radians in
     *     {@code [0, 2 pi)}), the initial phase of the next block
     */
    public static Output render(Tensor f0Hz, Tensor amplitudes, Tensor distribution, Tensor initialPhase,
                                int nSamples, float sampleRate) {
        int f = f0Hz.rank() > 1 ? f0Hz.dim(1) : 1;
        return render(f0Hz, amplitudes, distribution, initialPhase, nSamples, sampleRate,
                nSamples > 1 ? (f - 1) / (double) (nSamples - 1) : 0.0);
    }

    /**
     * Fused harmonic synthesis in the frame convention shared by offline and streaming rendering:
     * frame {@code k} sits at sample {@code k * hop}, controls are linear between frames and the last
     * frame is held for its interval ({@code [batch, nFrames * hop]} out). A stream of
     * {@code HarmonicKernel.BlockRenderer} blocks renders the same samples.
     */
    public static Tensor renderFrames(Tensor f0Hz, Tensor amplitudes, Tensor distribution, int hop, float sampleRate) {
        if (hop < 1) throw new IllegalArgumentException("HarmonicSynth: hop must be >= 1, got " + hop);
        int[] fs = check(f0Hz, amplitudes, distribution);
        return render(f0Hz, amplitudes, distribution, null, fs[1] * hop, sampleRate, 1.0 / hop).audio();
    }

    /**
     * Fused harmonic synthesis with an explicit frame position per sample ({@code min(t * framesPerSample, F - 1)}).
     */
    public static Output render(Tensor f0Hz, Tensor amplitudes, Tensor distribution, Tensor initialPhase,
                                int nSamples, float sampleRate, double framesPerSample) {
        int[] fs = check(f0Hz, amplitudes, distribution);
        int b = fs[0], f = fs[1], k = distribution.dim(2);
        if (initialPhase != null && initialPhase.size() != b) {
            throw new IllegalArgumentException("HarmonicSynth: initialPhase must be [batch] = [" + b + "], got " + Shape.str(initialPhase.shape()));
        }
        float[] audio = new float[b * nSamples], finalPhase = new float[b];
        float[] ph = initialPhase == null ? null : initialPhase.data();
        HarmonicKernel.forward(b, f, k, nSamples, framesPerSample, sampleRate, f0Hz.data(), amplitudes.data(), distribution.data(), ph, audio, finalPhase);
        Tensor[] inputs = initialPhase == null ? new Tensor[] {f0Hz, amplitudes, distribution} : new Tensor[] {f0Hz, amplitudes, distribution, initialPhase};
        Tensor out = Tensor.fromOp("harmonic_synth", audio, new int[] {b, nSamples}, gy -> HarmonicKernel.backward(
                b, f, k, nSamples, framesPerSample, sampleRate, f0Hz.data(), amplitudes.data(), distribution.data(), ph, gy,
                f0Hz.requiresGrad() ? f0Hz.gradBuffer() : null,
                amplitudes.requiresGrad() ? amplitudes.gradBuffer() : null,
                distribution.requiresGrad() ? distribution.gradBuffer() : null,
                initialPhase != null && initialPhase.requiresGrad() ? initialPhase.gradBuffer() : null), inputs);
        return new Output(out, finalPhase);
    }

    private static int[] check(Tensor f0Hz, Tensor amplitudes, Tensor distribution) {
        int[] fs = f0Hz.shape(), as = amplitudes.shape(), ds = distribution.shape();
        if (fs.length != 3 || fs[2] != 1 || !java.util.Arrays.equals(fs, as) || ds.length != 3 || ds[0] != fs[0] || ds[1] != fs[1]) {
            throw new IllegalArgumentException("HarmonicSynth: need f0Hz [batch, nFrames, 1], amplitudes [batch, nFrames, 1], "
                    + "distribution [batch, nFrames, nHarmonics]; got " + Shape.str(fs) + ", " + Shape.str(as) + ", " + Shape.str(ds));
        }
        return fs;
    }

    /**
     * The same synthesis from tensor primitives (automatic backward); float32 phase (drifts by
     * ~1e-3 rad per 10^4 rad) and {@code [batch, nSamples, nHarmonics]} intermediates: a reference
     * for tests, not for production.
     */
    public static Tensor renderComposite(Tensor f0Hz, Tensor amplitudes, Tensor distribution, int nSamples, float sampleRate) {
        int[] fs = check(f0Hz, amplitudes, distribution);
        int k = distribution.dim(2);
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
