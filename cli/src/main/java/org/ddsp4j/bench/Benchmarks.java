package org.ddsp4j.bench;

import java.util.List;

/** The registry of benchmarks run by {@code ./ddsp bench}, in the order they are run. */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        return List.of(
                GemmBenchmarks.square512(),
                GemmBenchmarks.gru(),
                GemmBenchmarks.gruBackward());
    }
}
