package org.ddsp4j.train;

import java.util.Locale;
import java.util.SplittableRandom;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.tensor.Tensor;

/**
 * How much memory a training run needs, before it starts: the weights with their gradients and Adam's two
 * moments ({@code 16} bytes per parameter), the examples held in memory, and the tensors of one step. The last is
 * measured, not guessed: a probe runs one forward and backward pass of one example and counts the floats of every
 * op result and gradient ({@link Tensor#floatsMade}, independent of the JIT), and a step of {@code rows} examples
 * (the batch, or one part of it with {@code train.micro_batches} / data-parallel workers) makes {@code rows} times
 * that. Not every tensor of a step is alive at once, so this is an upper bound of the step's live set.
 *
 * @param weightsBytes   parameters, gradients, Adam's m and v
 * @param examplesBytes  the training and evaluation examples in memory
 * @param stepBytes      the tensors of one step (or part)
 * @param rows           examples per part
 */
public record MemoryPlan(long weightsBytes, long examplesBytes, long stepBytes, int rows) {
    /** The JVM, the code and everything that is not a tensor. */
    static final long BASELINE_BYTES = 256L << 20;

    /**
     * The examples a run holds: how many, and their length (a prepared dataset's examples keep the length they were
     * prepared with, whatever the configuration's {@code audio.example_seconds}; the trainer takes them as they are).
     */
    public record Data(long examples, int frames, int samples) {
        /** Examples of the configuration's own length. */
        public static Data of(ModelConfig cfg, long examples) {
            return new Data(examples, cfg.exampleFrames(), cfg.exampleFrames() * cfg.hop());
        }

        long bytes() {
            return examples * 4L * (samples + 3L * frames);
        }
    }

    /**
     * Measures the plan of a configuration for examples of its own length.
     *
     * @param examples examples held in memory (training and evaluation)
     * @param workers  data-parallel workers sharing each batch (1 for one process)
     */
    public static MemoryPlan of(ModelConfig cfg, long examples, int workers) {
        return of(cfg, Data.of(cfg, examples), workers);
    }

    /** Measures the plan of a configuration for {@code data}; the probe is one example of the data's length. */
    public static MemoryPlan of(ModelConfig cfg, Data data, int workers) {
        int rows = Math.max(1, cfg.train().batch() / (workers * cfg.train().microBatches()));
        Autoencoder model = new Autoencoder(cfg);
        int frames = data.frames(), samples = frames * cfg.hop();
        float[] f0 = new float[frames], ld = new float[frames], audio = new float[samples];
        for (int i = 0; i < frames; i++) {
            f0[i] = 220f;
            ld[i] = -30f;
        }
        for (int i = 0; i < samples; i++) audio[i] = (float) (0.1 * Math.sin(2 * Math.PI * 220.0 * i / cfg.sampleRate()));
        Tensor a = Tensor.of(audio, 1, samples);
        long before = Tensor.floatsMade();
        Autoencoder.Output out = model.forward(Tensor.of(f0, 1, frames), Tensor.of(ld, 1, frames), a, true, new SplittableRandom(1));
        Trainer.spectralLoss(cfg).loss(a, out.audio()).backward();
        long perExample = 4 * (Tensor.floatsMade() - before);
        return new MemoryPlan(16L * model.parameterCount(), data.bytes(), rows * perExample, rows);
    }

    /**
     * The examples a data folder gives, without loading them: a prepared dataset's {@code stats.json} says how many
     * and how long (else its shards are counted); recordings are counted from their length (WAV headers; compressed
     * files at a conservative 12 kB per second) in windows of the configuration's length.
     */
    public static Data dataIn(java.nio.file.Path data, ModelConfig cfg) throws java.io.IOException {
        java.nio.file.Path stats = data.resolve(org.ddsp4j.data.DatasetStats.FILE);
        if (java.nio.file.Files.isRegularFile(stats)) {
            org.ddsp4j.data.DatasetStats.Preparation p = org.ddsp4j.data.DatasetStats.read(stats).preparation();
            if (p != null) {
                int frames = Math.max(1, p.exampleSamples() / cfg.hop());
                return new Data(p.train().examples() + p.eval().examples(), frames, frames * cfg.hop());
            }
        }
        if (!org.ddsp4j.data.DdspDataset.shards(data, org.ddsp4j.data.DdspDataset.TRAIN).isEmpty()) {
            org.ddsp4j.data.DdspDataset d = org.ddsp4j.data.DdspDataset.open(data, org.ddsp4j.data.DdspDataset.TRAIN);
            java.util.Iterator<org.ddsp4j.data.DdspExample> it = d.iterator();
            int frames = it.hasNext() ? Math.max(1, it.next().nSamples() / cfg.hop()) : cfg.exampleFrames();
            return new Data(d.count(), frames, frames * cfg.hop());
        }
        long n = 0;
        for (java.nio.file.Path f : Examples.audioFiles(data)) {
            long samples;
            if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")) {
                try (org.ddsp4j.audio.MonoSource m = org.ddsp4j.audio.AudioFile.openMono(f, cfg.sampleRate())) {
                    samples = m.length();
                }
            } else {
                samples = (long) (java.nio.file.Files.size(f) / 12_000.0 * cfg.sampleRate());
            }
            n += Examples.windowCount(samples, cfg);
        }
        return Data.of(cfg, n);
    }

    /** The expected peak of the Java heap's live data. */
    public long peakBytes() {
        return BASELINE_BYTES + weightsBytes + examplesBytes + stepBytes;
    }

    /**
     * A heap for this run, in MB: the expected peak. It already counts every tensor of a step as alive at once, more
     * than ever is (the backward pass frees the graph as it goes; {@code StepArrays} keeps most of a step's arrays
     * for the next), which leaves the collector its room; more heap only grows the resident set (measured:
     * pytorch-default at batch 16 trains in 1.3 GB of heap, 1.5 GB resident).
     */
    public long heapMb() {
        return (peakBytes() + (1 << 20) - 1) >> 20;
    }

    /** One line for the log. */
    public String describe() {
        return String.format(Locale.ROOT, "expected peak memory %.2f GB: a step's tensors %.0f MB (%d example%s per part), "
                        + "weights and optimizer %.0f MB, examples %.0f MB, the JVM %.0f MB", peakBytes() / 1e9, stepBytes / 1e6, rows,
                rows == 1 ? "" : "s", weightsBytes / 1e6, examplesBytes / 1e6, BASELINE_BYTES / 1e6);
    }
}
