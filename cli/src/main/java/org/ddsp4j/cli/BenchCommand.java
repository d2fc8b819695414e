package org.ddsp4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ddsp4j.bench.Benchmark;
import org.ddsp4j.bench.Benchmarks;
import org.ddsp4j.kernel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./ddsp bench}: times the heavy kernels (median of several runs after warm-up) and, with
 * {@code --reference}, runs the plain PyTorch reference in the same sitting and prints the ratio.
 */
@CommandLine.Command(name = "bench",
        description = "time the heavy kernels (GEMM, synthesis, losses, GRU), optionally against PyTorch")
final class BenchCommand implements Command {
    private static final double WARMUP_SECONDS = 2.0;
    private static final double TIMED_SECONDS = 1.0;
    private static final int MAX_CALLS = 500;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "benchmarks to run (default: all; see --list)")
    List<String> names = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads for ddsp4j and for the reference (default ${DEFAULT-VALUE})")
    int threads = 2;

    @Option(names = "--runs", paramLabel = "N",
            description = "at least N timed runs (and at least 1 s of them); the median is reported (default ${DEFAULT-VALUE})")
    int runs = 7;

    @Option(names = "--warmup", paramLabel = "N",
            description = "at least N untimed warm-up runs (and at least 2 s of them) (default ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--reference",
            description = "also run ../shared/bench/reference.py (needs Debian's python3-torch, /usr/bin/python3) with the same"
                    + " threads and print time ratios")
    boolean reference;

    @Option(names = "--shared", paramLabel = "DIR",
            description = "where shared/ is (default ../shared next to the repository)")
    Path shared;

    @Option(names = "--list", description = "list the benchmarks and exit")
    boolean list;

    @Override
    public Integer call() throws Exception {
        List<Benchmark> all = Benchmarks.all();
        if (list) {
            for (Benchmark b : all) {
                System.out.printf("%-22s %s%n", b.name(), b.referenceMode() == null ? "" : "(reference: " + b.referenceMode() + ")");
            }
            return 0;
        }
        List<Benchmark> chosen = new ArrayList<>();
        for (String n : names) {
            Benchmark found = all.stream().filter(b -> b.name().equals(n)).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "unknown benchmark '" + n + "' (see ./ddsp bench --list)"));
            chosen.add(found);
        }
        if (chosen.isEmpty()) chosen.addAll(all);
        Parallel.setThreads(threads);

        Map<String, double[]> referenceTimes = new HashMap<>();
        if (reference) {
            List<String> modes = chosen.stream().map(Benchmark::referenceMode).filter(m -> m != null).distinct().toList();
            if (!modes.isEmpty()) referenceTimes = runReference(shared, modes, threads, runs);
        }

        System.out.printf("ddsp4j bench: %d thread(s), median of >= %d runs (>= 1 s) after >= %d warm-up runs (>= 2 s), %s, %d cores%n",
                threads, runs, warmup, System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("machine: %s; load average %s (quote numbers from a quiet machine: below 0.5)%n", org.ddsp4j.bench.Machine.cpuModel(), org.ddsp4j.bench.Machine.loadAverage());
        // The limits come first, measured in the same run as what is compared with them.
        boolean limits = chosen.stream().anyMatch(b -> b.bound() != Benchmark.Bound.NONE);
        if (limits) {
            List<Benchmark> first = new ArrayList<>(org.ddsp4j.bench.LimitBenchmarks.all());
            chosen.removeIf(b -> first.stream().anyMatch(l -> l.name().equals(b.name())));
            chosen.addAll(0, first);
        }
        System.out.printf("%-22s %12s %10s %8s %9s %14s %10s%n", "benchmark", "median ms", "GFLOP/s", "GB/s", "of limit",
                "reference ms", "speed-up");
        double peakGflops = Double.NaN, peakGbs = Double.NaN;
        for (Benchmark b : chosen) {
            double median = medianSeconds(b);
            double gf = b.flops() > 0 ? b.flops() / median / 1e9 : Double.NaN, gb = b.bytes() > 0 ? b.bytes() / median / 1e9 : Double.NaN;
            if (b.name().equals("fma_peak")) peakGflops = gf;
            if (b.name().equals("mem_bandwidth")) peakGbs = gb;
            double share = switch (b.bound()) {
                case ARITHMETIC -> gf / peakGflops;
                case MEMORY -> gb / peakGbs;
                case NONE -> Double.NaN;
            };
            double[] ref = b.referenceMode() == null ? null : referenceTimes.get(b.referenceMode());
            String refMs = ref == null ? "" : String.format("%.2f", ref[0] * 1e3);
            String ratio = "";
            if (ref != null) {
                ratio = b.flops() > 0 && ref[1] > 0
                        ? String.format("%.2fx", gf / ref[1])
                        : String.format("%.2fx", ref[0] / median);
            }
            System.out.printf("%-22s %12.3f %10s %8s %9s %14s %10s%n", b.name(), median * 1e3,
                    Double.isNaN(gf) ? "" : String.format("%.1f", gf), Double.isNaN(gb) ? "" : String.format("%.1f", gb),
                    Double.isNaN(share) ? "" : String.format("%.0f %%", 100 * share), refMs, ratio);
        }
        return 0;
    }

    /** The median time of one call after warm-up (at least {@code warmup} calls and 2 s, then {@code runs} calls and 1 s). */
    private double medianSeconds(Benchmark b) {
        b.setup();
        // Short kernels need many calls before the JIT has compiled every path (and both
        // threads' code): warm up for at least WARMUP_SECONDS, and time at least TIMED_SECONDS.
        long warmStart = System.nanoTime();
        for (int i = 0; i < MAX_CALLS && (i < warmup || System.nanoTime() - warmStart < WARMUP_SECONDS * 1e9); i++) b.runOnce();
        double[] t = new double[MAX_CALLS];
        int n = 0;
        double total = 0;
        while (n < MAX_CALLS && (n < runs || total < TIMED_SECONDS)) {
            long t0 = System.nanoTime();
            b.runOnce();
            t[n] = (System.nanoTime() - t0) / 1e9;
            total += t[n++];
        }
        t = Arrays.copyOf(t, n);
        Arrays.sort(t);
        return t[n / 2];
    }

    /** Runs reference.py once for all modes; returns mode -> {median seconds, gflops or 0}. */
    private static Map<String, double[]> runReference(Path sharedDir, List<String> modes, int threads, int runs) throws Exception {
        Path shared = sharedDir != null ? sharedDir : Path.of(System.getProperty("ddsp4j.shared", "../shared"));
        Path script = shared.resolve("bench/reference.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("reference script not found at " + script.toAbsolutePath()
                    + "; pass --shared DIR pointing at the shared/ folder");
        }
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--threads", String.valueOf(threads),
                "--runs", String.valueOf(runs)));
        cmd.addAll(modes);
        System.out.println("running reference: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, double[]> out = new HashMap<>();
        Pattern mode = Pattern.compile("\"mode\": \"([a-z0-9_]+)\"");
        Pattern median = Pattern.compile("\"median_s\": ([0-9.eE+-]+)");
        Pattern gflops = Pattern.compile("\"gflops\": ([0-9.eE+-]+)");
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = mode.matcher(line), md = median.matcher(line), g = gflops.matcher(line);
                if (m.find() && md.find()) {
                    out.put(m.group(1), new double[] {Double.parseDouble(md.group(1)), g.find() ? Double.parseDouble(g.group(1)) : 0});
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("reference.py failed (exit " + rc + "); is python3-torch installed "
                    + "(apt-get install python3-torch)?\n" + log);
        }
        return out;
    }
}
