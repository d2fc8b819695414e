package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FftConvolution;
import org.ddsp4j.dsp.Filters;
import org.ddsp4j.tensor.Tensor;

/**
 * Linear time-varying FIR filter processor (ddsp's {@code effects.FIRFilter}). Inputs: {@code audio
 * [batch, nSamples]}, {@code magnitudes [batch, nFrames, nBands]} (raw). Control: magnitudes =
 * {@code expSigmoid(raw)}. Signal: {@link Filters#frequencyFilter} (SAME padding), {@code [batch, nSamples]}.
 */
public final class FirFilterProcessor implements Processor {
    public static final List<String> INPUTS = List.of("audio", "magnitudes");
    private final int windowSize;

    /** @param windowSize IR taps ({@code <= 0}: {@code 2 (nBands - 1)}) */
    public FirFilterProcessor(int windowSize) {
        this.windowSize = windowSize;
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        return Map.of("audio", Processor.require(raw, "audio", "FirFilterProcessor"),
                "magnitudes", Conversions.expSigmoid(Processor.require(raw, "magnitudes", "FirFilterProcessor")));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        return Filters.frequencyFilter(Processor.require(controls, "audio", "FirFilterProcessor"),
                Processor.require(controls, "magnitudes", "FirFilterProcessor"), windowSize, FftConvolution.Padding.SAME);
    }
}
