package org.ddsp4j.train;

import java.io.IOException;

/**
 * The link between the workers of synchronous data-parallel training ({@link Trainer#setDataParallel}): each of
 * {@link #workers()} processes computes the gradient of its rows of the global batch, and {@link #allReduceSum}
 * adds them up. Implementations must give every worker the same bits (a fixed reduction order), so that the
 * same Adam update keeps the workers' weights identical.
 */
public interface GradientExchange {
    /** This worker's number, {@code 0 .. workers() - 1}; worker 0 writes the checkpoints. */
    int rank();

    /** How many workers train together. */
    int workers();

    /**
     * Replaces {@code buf} on every worker by the element-wise sum of every worker's {@code buf} (all of the same
     * length), the same bits everywhere. Blocks until every worker has called it.
     */
    void allReduceSum(float[] buf) throws IOException;
}
