package org.ddsp4j.bench;

/**
 * One workload of {@code ./ddsp bench}. Where the plain PyTorch reference in
 * {@code ../shared/bench/reference.py} has the same workload, {@link #referenceMode()} names it
 * and the benchmark must do exactly the same work (shapes, what is differentiated).
 */
public interface Benchmark {
    /** Short name, e.g. {@code gemm_512}. */
    String name();

    /** The reference.py mode doing the same work, or null (the default) when there is none. */
    default String referenceMode() {
        return null;
    }

    /** Prepares inputs (untimed). Called once before {@link #runOnce()}. */
    void setup();

    /** One timed call of the workload. */
    void runOnce();

    /** Floating-point operations per {@link #runOnce()} call, or 0 when GFLOP/s makes no sense. */
    default double flops() {
        return 0;
    }
}
