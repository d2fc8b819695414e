package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.ModDelay;
import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Modulated delay processor (ddsp's {@code effects.ModDelay}): chorus, flanger, vibrato.
 *
 * <p>Inputs: {@code audio [batch, nSamples]}, {@code gain} and {@code phase}, each
 * {@code [batch, nSamples, 1]} or {@code [batch, nSamples]} at audio rate (raw). Controls: gain =
 * {@code expSigmoid(raw)}, phase = {@code sigmoid(raw)} in [0, 1]. Signal: {@link ModDelay#apply} with
 * delay {@code centerMs + depthMs * phase} ms and the gain as wet mix.
 */
public final class ModDelayProcessor implements Processor {
    public static final List<String> INPUTS = List.of("audio", "gain", "phase");
    private final float centerMs, depthMs, sampleRate;
    private final boolean addDry;

    /**
     * @param centerMs   shortest delay in ms (ddsp: 15)
     * @param depthMs    modulation depth in ms (ddsp: 10)
     * @param sampleRate Hz
     * @param addDry     add the dry signal
     */
    public ModDelayProcessor(float centerMs, float depthMs, float sampleRate, boolean addDry) {
        if (!(centerMs >= 0) || !(depthMs >= 0)) {
            throw new IllegalArgumentException("ModDelayProcessor: centerMs " + centerMs + " and depthMs " + depthMs + " must be >= 0");
        }
        this.centerMs = centerMs;
        this.depthMs = depthMs;
        this.sampleRate = sampleRate;
        this.addDry = addDry;
    }

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        return Map.of("audio", Processor.require(raw, "audio", "ModDelayProcessor"),
                "gain", Conversions.expSigmoid(Processor.require(raw, "gain", "ModDelayProcessor")),
                "phase", Processor.require(raw, "phase", "ModDelayProcessor").sigmoid());
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        Tensor audio = Processor.require(controls, "audio", "ModDelayProcessor");
        Tensor gain = to2d(Processor.require(controls, "gain", "ModDelayProcessor"));
        Tensor phase = to2d(Processor.require(controls, "phase", "ModDelayProcessor"));
        return ModDelay.apply(audio, ModDelay.delayFromPhase(phase, centerMs, depthMs), gain, sampleRate, addDry);
    }

    /** {@code [batch, nSamples, 1] -> [batch, nSamples]}; 2-D passes through. */
    private static Tensor to2d(Tensor t) {
        int[] s = t.shape();
        if (s.length == 3 && s[2] == 1) return t.reshape(s[0], s[1]);
        if (s.length == 2) return t;
        throw new IllegalArgumentException("ModDelayProcessor: controls must be [batch, nSamples(, 1)], got " + Shape.str(s));
    }
}
