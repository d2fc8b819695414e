package org.ddsp4j.spectral;

import java.util.Arrays;
import org.ddsp4j.tensor.Tensor;

/** Elementwise reconstruction losses (magenta/ddsp {@code losses.mean_difference}). */
public final class Losses {
    /** Per-element distance. */
    public enum Type {
        /** {@code |target - value|}. */
        L1,
        /** {@code (target - value)^2}. */
        L2
    }

    private Losses() {}

    /**
     * Mean over all elements of {@code |target - value|} (L1) or {@code (target - value)^2} (L2); rank 0.
     * Shapes must be equal (no broadcasting, so a transposed argument fails instead of averaging nonsense).
     */
    public static Tensor meanDifference(Tensor target, Tensor value, Type type) {
        if (!Arrays.equals(target.shape(), value.shape())) {
            throw new IllegalArgumentException("meanDifference: target shape " + Arrays.toString(target.shape())
                    + " differs from value shape " + Arrays.toString(value.shape()));
        }
        Tensor d = target.sub(value);
        return (type == Type.L1 ? d.abs() : d.square()).mean();
    }
}
