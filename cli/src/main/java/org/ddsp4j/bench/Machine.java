package org.ddsp4j.bench;

import java.nio.file.Path;
import java.util.List;

/** What a benchmark result is quoted with: the CPU and how busy the machine was. */
public final class Machine {
    private Machine() {}

    /** The CPU's model name and flags that matter here, from /proc/cpuinfo (Linux), else the OS's architecture. */
    public static String cpuModel() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("?");
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            return model + (flags.contains("avx512f") ? ", AVX-512" : flags.contains("avx2") ? ", AVX2" : "")
                    + ", vector species " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() + " floats";
        } catch (java.io.IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux). */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

}
