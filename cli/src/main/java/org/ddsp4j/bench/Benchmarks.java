package org.ddsp4j.bench;

import java.util.ArrayList;
import java.util.List;

/** The registry of benchmarks run by {@code ./ddsp bench}, in the order they are run. */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        List<Benchmark> all = new ArrayList<>();
        // One line per group; keep each registration on its own line so merges stay trivial.
        all.addAll(LimitBenchmarks.all());
        all.add(GemmBenchmarks.square512());
        all.add(GemmBenchmarks.gru());
        all.add(GemmBenchmarks.gruBackward());
        all.addAll(SpectralBenchmarks.all());
        all.add(new ResampleBenchmark(44100, 16000));
        all.add(new ResampleBenchmark(16000, 48000));
        all.addAll(PitchBenchmarks.all());
        all.add(SynthBenchmarks.harmonicForward());
        all.add(SynthBenchmarks.harmonicForwardBackward());
        all.addAll(LossBenchmarks.all());
        all.addAll(DspBenchmarks.all());
        all.addAll(NnBenchmarks.all());
        all.addAll(TrainBenchmarks.all());
        all.addAll(StreamBenchmarks.all());
        return List.copyOf(all);
    }
}
