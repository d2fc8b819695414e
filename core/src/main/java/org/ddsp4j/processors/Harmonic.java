package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.HarmonicSynth;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Harmonic synthesizer processor (ddsp's {@code synths.Harmonic}).
 *
 * <p>Inputs: {@code amplitudes [batch, nFrames, 1]}, {@code harmonic_distribution [batch, nFrames, nHarmonics]}
 * (raw network outputs), {@code f0_hz [batch, nFrames, 1]} (Hz, used as is). Controls: amplitudes =
 * {@code expSigmoid(raw)}; distribution = {@code expSigmoid(raw)}, harmonics with {@code k f0 >= sr/2}
 * zeroed (when normalizing below Nyquist), then divided by its sum over harmonics (so the overall
 * amplitude sets the loudness). Signal: {@link HarmonicSynth#render} (the fused {@code HarmonicKernel} op), {@code [batch, nSamples]}.
 */
public final class Harmonic implements Processor {
    public static final List<String> INPUTS = List.of("amplitudes", "harmonic_distribution", "f0_hz");
    private final int nSamples;
    private final float sampleRate;
    private final boolean scale;
    private final boolean normalizeBelowNyquist;

    /**
     * @param nSamples              output length (e.g. 64000 for 4 s at 16 kHz)
     * @param sampleRate            Hz
     * @param scale                 apply {@code expSigmoid} to the raw amplitudes and distribution
     * @param normalizeBelowNyquist drop harmonics at or above Nyquist before normalizing (ddsp: true)
     */
    public Harmonic(int nSamples, float sampleRate, boolean scale, boolean normalizeBelowNyquist) {
        if (nSamples < 1 || !(sampleRate > 0)) {
            throw new IllegalArgumentException("Harmonic: nSamples " + nSamples + " and sampleRate " + sampleRate + " must be positive");
        }
        this.nSamples = nSamples;
        this.sampleRate = sampleRate;
        this.scale = scale;
        this.normalizeBelowNyquist = normalizeBelowNyquist;
    }

    /** ddsp's defaults: scaled, normalized below Nyquist. */
    public Harmonic(int nSamples, float sampleRate) {
        this(nSamples, sampleRate, true, true);
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        Tensor amps = Processor.require(raw, "amplitudes", "Harmonic");
        Tensor dist = Processor.require(raw, "harmonic_distribution", "Harmonic");
        Tensor f0 = Processor.require(raw, "f0_hz", "Harmonic");
        if (scale) {
            amps = Conversions.expSigmoid(amps);
            dist = Conversions.expSigmoid(dist);
        }
        return Map.of("amplitudes", amps, "harmonic_distribution", normalize(dist, f0, normalizeBelowNyquist ? sampleRate : 0f),
                "f0_hz", f0);
    }

    /**
     * ddsp's {@code normalize_harmonics}: zeroes harmonics {@code k f0 >= sampleRate / 2} (when
     * {@code sampleRate > 0}) and divides by the sum over harmonics (floored at 1e-7, so an all-zero
     * row stays zero).
     *
     * @param distribution {@code [batch, nFrames, nHarmonics]} non-negative weights
     * @param f0Hz         {@code [batch, nFrames, 1]} Hz
     */
    public static Tensor normalize(Tensor distribution, Tensor f0Hz, float sampleRate) {
        int[] ds = distribution.shape();
        if (ds.length != 3) throw new IllegalArgumentException("normalize: distribution must be [batch, nFrames, nHarmonics], got " + Shape.str(ds));
        Tensor d = distribution;
        if (sampleRate > 0) {
            int k = ds[2];
            float[] f = f0Hz.data();
            if (f.length != ds[0] * ds[1]) {
                throw new IllegalArgumentException("normalize: f0Hz " + Shape.str(f0Hz.shape()) + " does not match distribution " + Shape.str(ds));
            }
            float[] mask = new float[f.length * k];
            for (int i = 0; i < f.length; i++)
                for (int h = 0; h < k; h++) mask[i * k + h] = (h + 1) * f[i] < sampleRate / 2 ? 1f : 0f;
            d = d.mul(Tensor.of(mask, ds));
        }
        return d.div(d.sum(-1, true).maximum(Tensor.scalar(1e-7f)));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        return HarmonicSynth.render(Processor.require(controls, "f0_hz", "Harmonic"),
                Processor.require(controls, "amplitudes", "Harmonic"),
                Processor.require(controls, "harmonic_distribution", "Harmonic"), nSamples, sampleRate);
    }
}
