package org.ddsp4j.tensor;

/**
 * The derivative rule of one op application: receives dL/d(output) (same size as the output) and
 * accumulates dL/d(input) into every input that {@link Tensor#requiresGrad() requires a gradient}.
 */
@FunctionalInterface
public interface BackwardFn {
    void apply(float[] gradOutput);
}
