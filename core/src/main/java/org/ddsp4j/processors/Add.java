package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;

/** Sum of two signals (ddsp's {@code processors.Add}): inputs {@code signal_one}, {@code signal_two}, same shape. */
public final class Add implements Processor {
    public static final List<String> INPUTS = List.of("signal_one", "signal_two");

    @Override
    public List<String> inputNames() {
        return INPUTS;
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        return Map.of("signal_one", Processor.require(raw, "signal_one", "Add"), "signal_two", Processor.require(raw, "signal_two", "Add"));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        Tensor a = controls.get("signal_one"), b = controls.get("signal_two");
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("Add: signal shapes differ: " + a + " vs " + b);
        }
        return a.add(b);
    }
}
