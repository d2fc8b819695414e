package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;

/**
 * A synthesizer or effect in two steps, as in ddsp: {@link #getControls} turns raw network outputs
 * into controls in physical units (all the squashing nonlinearities live here), and
 * {@link #getSignal} turns controls into audio with pure DSP. Keeping them apart lets an
 * application drive the DSP with controls it made itself (e.g. from MIDI).
 *
 * <p>Inputs and controls are keyed by the names in {@link #inputNames()}; a
 * {@link ProcessorGroup} wires them positionally.
 */
public interface Processor {
    /** Names of the inputs, in the order a {@link ProcessorGroup} wires them. */
    List<String> inputNames();

    /** Raw inputs (keys of {@link #inputNames()}) to controls (same keys, physical units). */
    Map<String, Tensor> getControls(Map<String, Tensor> raw);

    /** Controls to audio {@code [batch, nSamples]}. */
    Tensor getSignal(Map<String, Tensor> controls);

    /** {@code getSignal(getControls(raw))}. */
    default Tensor apply(Map<String, Tensor> raw) {
        return getSignal(getControls(raw));
    }

    /** Trainable tensors held by the processor itself (e.g. a reverb's IR); empty by default. */
    default List<Tensor> parameters() {
        return List.of();
    }

    /** The input named {@code name} of {@code map}, or an exception naming what is there. */
    static Tensor require(Map<String, Tensor> map, String name, String processor) {
        Tensor t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException(processor + ": missing input '" + name + "'; got " + map.keySet());
        }
        return t;
    }
}
