package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.tensor.Tensor;

/**
 * Convolution reverb processor (ddsp's {@code effects.Reverb}). Input {@code audio [batch, nSamples]};
 * the IR is either a trainable parameter held here ({@link #trainable}) or an extra input {@code ir
 * [batch or 1, irSize]} ({@link #fromInput}). Signal: {@link Reverb#apply} (first tap zeroed, dry added).
 */
public final class ReverbProcessor implements Processor {
    private final Tensor ir;
    private final boolean addDry;

    private ReverbProcessor(Tensor ir, boolean addDry) {
        this.ir = ir;
        this.addDry = addDry;
    }

    /**
     * A reverb owning a trainable IR {@code [1, irSize]} initialized as ddsp does (normal, std 1e-6,
     * i.e. nearly dry).
     */
    public static ReverbProcessor trainable(int irSize, SplittableRandom rng, boolean addDry) {
        if (irSize < 2) throw new IllegalArgumentException("ReverbProcessor: irSize must be >= 2, got " + irSize);
        return new ReverbProcessor(Tensor.randn(rng, 1e-6f, 1, irSize).requiresGrad(true), addDry);
    }

    /** A reverb owning the given IR {@code [1 or batch, irSize]} (e.g. loaded weights). */
    public static ReverbProcessor withIr(Tensor ir, boolean addDry) {
        return new ReverbProcessor(ir, addDry);
    }

    /** A reverb reading its IR from the input named {@code ir}. */
    public static ReverbProcessor fromInput(boolean addDry) {
        return new ReverbProcessor(null, addDry);
    }

    @Override
    public List<String> inputNames() {
        return ir == null ? List.of("audio", "ir") : List.of("audio");
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        Tensor audio = Processor.require(raw, "audio", "ReverbProcessor");
        return Map.of("audio", audio, "ir", ir != null ? ir : Processor.require(raw, "ir", "ReverbProcessor"));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        return Reverb.apply(Processor.require(controls, "audio", "ReverbProcessor"), Processor.require(controls, "ir", "ReverbProcessor"), addDry);
    }

    @Override
    public List<Tensor> parameters() {
        return ir == null ? List.of() : List.of(ir);
    }

    /** The held IR, or null when it comes from the input. */
    public Tensor ir() {
        return ir;
    }
}
