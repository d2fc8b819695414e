package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.MonoSource;
import org.ddsp4j.audio.WavEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long recording is resynthesized in a heap smaller than the recording: a child JVM with
 * {@code -Xmx80m} resynthesizes 15 minutes of 16 kHz audio (its samples alone, in and out as floats, are
 * 115 MB: the in-memory path runs out of memory). The hour-long measurements are in
 * docs/results/synthesis-path.md.
 */
class LongInputTest {
    @Test
    void fifteenMinutesResynthesizeIn80MbOfHeap(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp), in = tmp.resolve("long.wav"), out = tmp.resolve("out.wav");
        int sr = 16000;
        long n = 15L * 60 * sr;
        AudioFile.writeWav(in, sr, n, WavEncoding.PCM_16, sink -> {
            float[] b = new float[sr];
            for (long s = 0; s < n; s += b.length) {
                for (int i = 0; i < b.length; i++) {
                    long t = s + i;
                    double f = 220 + 110 * ((t / (3 * sr)) % 4);   // a note every 3 s
                    b[i] = (float) (0.3 * Math.sin(2 * Math.PI * f * t / sr));
                }
                sink.write(b, 0, (int) Math.min(b.length, n - s));
            }
        });
        Path log = tmp.resolve("log.txt");
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx80m", "-cp", System.getProperty("java.class.path"),
                "org.ddsp4j.cli.Main", "resynth", "--model", model.toString(), "--input", in.toString(), "--output", out.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "resynth did not finish in 300 s");
        assertEquals(0, p.exitValue(), Files.readString(log));
        try (MonoSource o = AudioFile.openMono(out, sr)) {
            assertEquals(n, o.length());
            float[] mid = new float[sr];
            o.read(n / 2, mid, 0, mid.length);
            double e = 0;
            for (float v : mid) e += v * v;
            assertTrue(e > 0, "not silent in the middle");
        }
    }
}
