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

    /** Bytes moved to or from memory per {@link #runOnce()} call, or 0 when GB/s makes no sense. */
    default double bytes() {
        return 0;
    }

    /** The hardware limit that bounds this workload, for the "% of limit" column. */
    enum Bound {
        /** Bounded by floating-point arithmetic: compared with {@code fma_peak}'s GFLOP/s. */
        ARITHMETIC,
        /** Bounded by memory traffic: compared with {@code mem_bandwidth}'s GB/s. */
        MEMORY,
        /** Neither is stated (latency, branches, a mix). */
        NONE
    }

    /** What bounds this workload (default: arithmetic when it states its flops, else none). */
    default Bound bound() {
        return flops() > 0 ? Bound.ARITHMETIC : Bound.NONE;
    }
}
