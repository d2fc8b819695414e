package org.ddsp4j.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rendering is a function of the model and the controls alone: the same controls (and the same
 * recording, resynthesized offline and streamed) give the same floats before and after a heavy
 * warm-up in which C2 compiles the kernels, and in a JVM that only interprets.
 */
class RenderDeterminismTest {
    @Test
    void renderingTwiceGivesIdenticalFloatsBeforeAndAfterWarmUpAndInterpreted() throws Exception {
        Map<String, float[]> first = RenderProbe.renders();
        long until = System.nanoTime() + 8_000_000_000L;
        for (int i = 0; i < 40 || (i < 400 && System.nanoTime() < until); i++) RenderProbe.renders();
        Map<String, float[]> warm = RenderProbe.renders();
        for (String k : first.keySet()) assertArrayEquals(first.get(k), warm.get(k), k + ": before vs after warm-up");

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-Xint", "-cp", System.getProperty("java.class.path"), RenderProbe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) throw new AssertionError("interpreted render failed:\n" + out);
        Map<String, String> interpreted = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("WARNING")) interpreted.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        for (String k : first.keySet()) assertEquals(RenderProbe.hash(first.get(k)), interpreted.get(k), k + ": interpreted vs compiled");
    }
}
