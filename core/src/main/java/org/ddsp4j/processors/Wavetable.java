package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.WavetableSynth;
import org.ddsp4j.tensor.Tensor;

/**
 * Time-varying wavetable synthesizer processor (ddsp's {@code synths.Wavetable}).
 *
 * <p>Inputs: {@code amplitudes [batch, nFrames, 1]}, {@code wavetables [batch, nFrames, W]} (raw network
 * outputs) and {@code f0_hz [batch, nFrames, 1]} (Hz, used as is). Controls, when scaling: amplitudes =
 * {@code expSigmoid(raw)}; wavetables = {@code tanh(raw)}, a bipolar period in (-1, 1). (ddsp applies
 * {@code exp_sigmoid} to the tables too, which makes every table positive and adds a DC offset to the
 * output; tanh keeps the table zero-mean-capable.) Signal: {@link WavetableSynth#render},
 * {@code [batch, nSamples]}.
 */
public final class Wavetable implements Processor {
    public static final List<String> INPUTS = List.of("amplitudes", "wavetables", "f0_hz");
    private final int nSamples;
    private final float sampleRate;
    private final boolean scale;

    /**
     * @param nSamples   output length
     * @param sampleRate Hz
     * @param scale      squash the raw amplitudes and tables (see the class doc)
     */
    public Wavetable(int nSamples, float sampleRate, boolean scale) {
        if (nSamples < 1 || !(sampleRate > 0)) {
            throw new IllegalArgumentException("Wavetable: nSamples " + nSamples + " and sampleRate " + sampleRate + " must be positive");
        }
        this.nSamples = nSamples;
        this.sampleRate = sampleRate;
        this.scale = scale;
    }

    /** Scaled. */
    public Wavetable(int nSamples, float sampleRate) {
        this(nSamples, sampleRate, true);
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        Tensor amps = Processor.require(raw, "amplitudes", "Wavetable");
        Tensor tables = Processor.require(raw, "wavetables", "Wavetable");
        Tensor f0 = Processor.require(raw, "f0_hz", "Wavetable");
        if (scale) {
            amps = Conversions.expSigmoid(amps);
            tables = tables.tanh();
        }
        return Map.of("amplitudes", amps, "wavetables", tables, "f0_hz", f0);
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        return WavetableSynth.render(Processor.require(controls, "wavetables", "Wavetable"),
                Processor.require(controls, "f0_hz", "Wavetable"),
                Processor.require(controls, "amplitudes", "Wavetable"), nSamples, sampleRate);
    }
}
