package org.ddsp4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.tensor.OpProfile;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;

/**
 * Whole training steps of the autoencoder: {@link Trainer#trainStep()} (batch stacking, forward,
 * multi-scale spectral loss, backward, finiteness check, clipped Adam): pytorch-default and solo at
 * batch 16 of 4 s examples, and tiny at the demo's settings (batch 4 of 1 s, 8000-tap reverb).
 * The inputs are synthetic but shaped like real data: vibrato f0 curves between 110 and 880 Hz,
 * loudness envelopes between -70 and -10 dB (with silent gaps), and target audio that is a
 * harmonic tone following them plus a little noise.
 *
 * <p>Memory: each call prints the process's peak resident set ({@code VmHWM} of
 * {@code /proc/self/status}) whenever it grew, the peak of the Java heap pools since setup, and the
 * GC time the call spent, so the peak memory of a step can be read off the benchmark output.
 * With {@code -Dddsp4j.bench.profile=true} (e.g. in {@code DDSP_JAVA_OPTS}) it also prints the time
 * per op ({@link OpProfile}) averaged over the calls after the first two.
 */
public final class TrainBenchmarks {
    private TrainBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new TrainStep("train_step_pytorch_default", "pytorch-default", 16, 4.0, List.of()),
                new TrainStep("train_step_solo", "solo", 16, 4.0, List.of()),
                // The same step in two parts of 8 (gradient accumulation): half the tensors alive at once.
                new TrainStep("train_step_solo_2_parts", "solo", 16, 4.0, List.of("train.micro_batches=2")),
                // The demo's model and settings (DemoCommand): tiny, 1 s examples, batch 4, 8000-tap reverb.
                new TrainStep("train_step_tiny_demo", "tiny", 4, 1.0, List.of("reverb.taps=8000")));
    }

    /** One {@link Trainer#trainStep()} of a built-in configuration at a given batch and example length. */
    static final class TrainStep implements Benchmark {
        /** {@code -Dddsp4j.bench.profile=true}: per-op times ({@link OpProfile}) after this many warm-up calls. */
        static final boolean PROFILE = Boolean.getBoolean("ddsp4j.bench.profile");
        static final int PROFILE_AFTER = 2;
        private final String name, config;
        private final int batch;
        private final double seconds;
        private final List<String> overrides;
        private Trainer trainer;
        private Path dir;
        private long calls, lastHwmKb;
        private double gemmGflops;

        TrainStep(String name, String config, int batch, double seconds, List<String> overrides) {
            this.name = name;
            this.config = config;
            this.batch = batch;
            this.seconds = seconds;
            this.overrides = overrides;
        }

        @Override
        public String name() {
            return name;
        }


        @Override
        public void setup() {
            ModelConfig cfg = ModelConfig.builtIn(config).set("train.batch", String.valueOf(batch))
                    .set("audio.example_seconds", String.valueOf(seconds)).with(overrides);
            List<DdspExample> examples = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(42);
            for (int i = 0; i < batch; i++) examples.add(example(cfg, rng));
            try {
                dir = Files.createTempDirectory("ddsp4j-bench-train");
                dir.toFile().deleteOnExit();
                trainer = new Trainer(cfg, new ModelDir(dir), examples, List.of(), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            System.out.printf("%s: %s %s, %,d parameters, batch %d x %.0f s, %d frames%n", name, config, overrides,
                    trainer.model().parameterCount(), batch, seconds, cfg.exampleFrames());
        }

        @Override
        public void runOnce() {
            if (PROFILE && calls == PROFILE_AFTER) OpProfile.start();
            long gc0 = gcMillis(), cpu0 = cpuNanos(), alloc0 = allocatedBytes(), flops0 = org.ddsp4j.kernel.Gemm.flopsDone();
            long wall0 = System.nanoTime();
            trainer.trainStep();
            gemmGflops = (org.ddsp4j.kernel.Gemm.flopsDone() - flops0) / 1e9;
            long allocMb = (allocatedBytes() - alloc0) >> 20;
            long gcMs = gcMillis() - gc0, cpuMs = (cpuNanos() - cpu0) / 1_000_000, wallMs = (System.nanoTime() - wall0) / 1_000_000;
            calls++;
            long hwm = vmHwmKb();
            if (hwm > lastHwmKb || calls <= 16 || (calls & (calls - 1)) == 0) {
                long heapPeak = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP) heapPeak += p.getPeakUsage().getUsed();
                }
                System.out.printf("%s: call %d  peak RSS (VmHWM) %.0f MB  heap pools' peak used %.0f MB;"
                                + " this call: wall %d ms, process CPU %d ms, GC pauses %d ms, allocated %d MB, matrix products %.1f GFLOP%n",
                        name, calls, hwm / 1024.0, heapPeak / 1048576.0, wallMs, cpuMs, gcMs, allocMb, gemmGflops);
                lastHwmKb = hwm;
                if (PROFILE && calls > PROFILE_AFTER && (calls & (calls - 1)) == 0) System.out.print(OpProfile.report((int) (calls - PROFILE_AFTER)));
            }
        }

        /** A 4 s example: vibrato f0, a loudness envelope with gaps, and a matching harmonic tone. */
        static DdspExample example(ModelConfig cfg, SplittableRandom rng) {
            int frames = cfg.exampleFrames(), hop = cfg.hop(), sr = cfg.sampleRate(), n = frames * hop;
            float[] f0 = new float[frames], conf = new float[frames], ld = new float[frames], audio = new float[n];
            double base = 110 * Math.pow(2, 3 * rng.nextDouble()), rate = 4 + 3 * rng.nextDouble();
            for (int i = 0; i < frames; i++) {
                double t = i / (double) cfg.frameRate();
                f0[i] = (float) (base * Math.pow(2, (0.3 * Math.sin(2 * Math.PI * rate * t)) / 12));
                double env = Math.sin(Math.PI * ((t * 1.3) % 1.0));
                boolean gap = ((int) (t * 1.3)) % 3 == 2 && (t * 1.3) % 1.0 > 0.7;
                ld[i] = (float) (gap ? -80 : -70 + 60 * env);
                conf[i] = gap ? 0.1f : 0.95f;
            }
            double phase = 0;
            for (int s = 0; s < n; s++) {
                int fr = Math.min(frames - 1, s / hop);
                phase += 2 * Math.PI * f0[fr] / sr;
                double amp = Math.pow(10, ld[fr] / 20.0), v = 0;
                for (int k = 1; k <= 8 && k * f0[fr] < sr / 2; k++) v += Math.sin(k * phase) / k;
                audio[s] = (float) (0.5 * amp * v + 1e-3 * (rng.nextDouble() - 0.5));
            }
            return new DdspExample(audio, f0, conf, ld);
        }

        /** Bytes allocated so far by every live thread of this JVM (HotSpot's counter). */
        static long allocatedBytes() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
        }

        private static long gcMillis() {
            long ms = 0;
            for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, g.getCollectionTime());
            return ms;
        }

        /** CPU time of the whole process (all threads, GC included), or 0 where not available. */
        private static long cpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? Math.max(0, os.getProcessCpuTime()) : 0;
        }

        /** Peak resident set size of this process in kB, or 0 where /proc is not available. */
        static long vmHwmKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }
    }
}
