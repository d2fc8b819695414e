package org.ddsp4j.bench;

import java.util.List;

/** The registry of benchmarks run by {@code ./ddsp bench}, in the order they are run. */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        List<Benchmark> all = new java.util.ArrayList<>();
        all.addAll(NnBenchmarks.all());
        return all;
    }
}
