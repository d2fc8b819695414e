package org.ddsp4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits interpreted, compiled by C1 and compiled by C2: {@link TierProbe}
 * runs in three JVMs pinned to each tier (warmed up so that the JIT has compiled the workloads)
 * and in this one, and every workload's hash must agree. Covers {@link VectorMath}, the lane sums,
 * the GRU gates, the harmonic and oscillator-bank synthesizers, layer norm, the GEMM paths, the
 * spectral loss, and the claim that HotSpot's scalar {@code Math.exp/log/sin/cos/tan/tanh/pow/...}
 * use the same code in every tier.
 */
class JitTierTest {
    /** Runs the probe in a fresh JVM with {@code flags}; returns its name=hash lines. */
    private static Map<String, String> probe(int reps, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.addAll(List.of(flags));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TierProbe.class.getName());
        cmd.add(Integer.toString(reps));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new AssertionError("probe " + List.of(flags) + " failed:\n" + out);
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("WARNING")) h.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        return h;
    }

    @Test
    void kernelsRoundTheSameInTheInterpreterC1AndC2() throws Exception {
        Map<String, String> here = new LinkedHashMap<>();
        TierProbe.workloads().forEach((k, v) -> here.put(k, Long.toHexString(v.get())));
        Map<String, String> interpreted = probe(0, "-Xint");
        // -Xbatch: a method that reached its threshold runs compiled from then on (no background queue).
        Map<String, String> c1 = probe(200, "-XX:TieredStopAtLevel=1", "-Xbatch");
        Map<String, String> c2 = probe(600, "-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch");
        for (String k : here.keySet()) {
            assertEquals(interpreted.get(k), here.get(k), k + ": interpreted vs this JVM");
            assertEquals(interpreted.get(k), c1.get(k), k + ": interpreted vs C1");
            assertEquals(interpreted.get(k), c2.get(k), k + ": interpreted vs C2");
        }
        // The Vector API's own EXP is what the kernels no longer use: it differs here once C2 has
        // compiled it (SVML on x86), which also shows that the C2 JVM did compile the workloads.
        if (interpreted.get("control").equals(c2.get("control"))) {
            System.err.println("JitTierTest: lanewise(EXP) rounded the same in C2 as interpreted on this platform");
        }
    }
}
