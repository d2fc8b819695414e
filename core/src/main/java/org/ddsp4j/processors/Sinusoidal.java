package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.OscillatorBank;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Sinusoidal (inharmonic) synthesizer processor (ddsp's {@code synths.Sinusoidal}).
 *
 * <p>Inputs: {@code amplitudes [batch, nFrames, K]} and {@code frequencies [batch, nFrames, K]} (raw
 * network outputs). Controls, when scaling: amplitudes = {@code expSigmoid(raw)}; frequencies =
 * {@code sigmoid(raw)} mapped linearly in MIDI between {@code hzMin} and {@code hzMax} and back to Hz
 * (ddsp's {@code frequencies_sigmoid}); amplitudes of oscillators at or above Nyquist are zeroed
 * (ddsp's {@code remove_above_nyquist}). Without scaling both are used as given (Hz, linear).
 * Signal: {@link OscillatorBank#render}, {@code [batch, nSamples]}.
 */
public final class Sinusoidal implements Processor {
    public static final List<String> INPUTS = List.of("amplitudes", "frequencies");
    private final int nSamples;
    private final float sampleRate, hzMin, hzMax;
    private final boolean scale;

    /**
     * @param nSamples   output length
     * @param sampleRate Hz
     * @param scale      squash the raw inputs (see the class doc); false: inputs are controls already
     * @param hzMin      lowest frequency of the scaled range, Hz (ddsp: 20)
     * @param hzMax      highest frequency of the scaled range, Hz (ddsp: 8000)
     */
    public Sinusoidal(int nSamples, float sampleRate, boolean scale, float hzMin, float hzMax) {
        if (nSamples < 1 || !(sampleRate > 0)) {
            throw new IllegalArgumentException("Sinusoidal: nSamples " + nSamples + " and sampleRate " + sampleRate + " must be positive");
        }
        if (!(hzMin > 0) || !(hzMax > hzMin)) {
            throw new IllegalArgumentException("Sinusoidal: need 0 < hzMin < hzMax, got " + hzMin + ", " + hzMax);
        }
        this.nSamples = nSamples;
        this.sampleRate = sampleRate;
        this.scale = scale;
        this.hzMin = hzMin;
        this.hzMax = hzMax;
    }

    /** ddsp's defaults: scaled, 20 Hz .. 8 kHz. */
    public Sinusoidal(int nSamples, float sampleRate) {
        this(nSamples, sampleRate, true, 20f, 8000f);
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        Tensor amps = Processor.require(raw, "amplitudes", "Sinusoidal");
        Tensor freqs = Processor.require(raw, "frequencies", "Sinusoidal");
        if (!java.util.Arrays.equals(amps.shape(), freqs.shape()) || amps.shape().length != 3) {
            throw new IllegalArgumentException("Sinusoidal: amplitudes and frequencies must both be [batch, nFrames, K], got "
                    + Shape.str(amps.shape()) + " and " + Shape.str(freqs.shape()));
        }
        if (!scale) return Map.of("amplitudes", amps, "frequencies", freqs);
        amps = Conversions.expSigmoid(amps);
        freqs = unitToHz(freqs.sigmoid(), hzMin, hzMax);
        return Map.of("amplitudes", removeAboveNyquist(freqs, amps, sampleRate), "frequencies", freqs);
    }

    /** Maps {@code unit} in [0, 1] linearly in MIDI to [hzMin, hzMax], in Hz. */
    public static Tensor unitToHz(Tensor unit, float hzMin, float hzMax) {
        float lo = Conversions.hzToMidi(hzMin), hi = Conversions.hzToMidi(hzMax);
        return Conversions.midiToHz(unit.mul(hi - lo).add(lo));
    }

    /** Zeroes amplitudes whose frequency is at or above {@code sampleRate / 2} (a constant mask, no gradient). */
    public static Tensor removeAboveNyquist(Tensor freqsHz, Tensor amps, float sampleRate) {
        float[] f = freqsHz.data();
        float[] mask = new float[f.length];
        for (int i = 0; i < f.length; i++) mask[i] = Math.abs(f[i]) < sampleRate / 2 ? 1f : 0f;
        return amps.mul(Tensor.of(mask, freqsHz.shape()));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        return OscillatorBank.render(Processor.require(controls, "frequencies", "Sinusoidal"),
                Processor.require(controls, "amplitudes", "Sinusoidal"), nSamples, sampleRate);
    }
}
