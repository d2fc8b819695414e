package org.ddsp4j.prepare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TFRecordIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.prepare.InputFiles.InputFile;

/**
 * Dataset preparation as an Apache Beam pipeline:
 * <pre>
 * input files -> ProcessFileFn (read, resample, features on the whole file, cut into examples)
 *   -> train examples -> TFRecordIO  OUT/train.tfrecord-SSSSS-of-NNNNN
 *   -> eval examples  -> TFRecordIO  OUT/eval.tfrecord-SSSSS-of-NNNNN   (when --eval-fraction > 0)
 *   -> per-file stats -> Combine -> OUT/stats.json (atomic)
 * </pre>
 * TFRecordIO writes to temporary files and renames them when the run succeeds, and stats.json is
 * written atomically, so a failed run leaves no half-written shard. The driver reads stats.json back
 * for its summary ({@link DatasetStats}); elements travel between steps with small binary coders
 * ({@link InputFiles.InputFileCoder}, {@link PrepareStats.StatsCoder}), not Java serialization.
 * The DirectRunner is the default; any runner can be chosen with standard Beam options
 * ({@code --runner=...}); the output folder must then be on a filesystem the workers share, and the
 * live progress display only counts what runs in this JVM.
 */
public final class PreparePipeline {
    public static final String STATS_FILE = DatasetStats.FILE;

    private final PrepareConfig cfg;
    private final AudioLoader loader;
    private final FeatureExtractor extractor;

    public PreparePipeline(PrepareConfig cfg, AudioLoader loader, FeatureExtractor extractor) {
        this.cfg = cfg;
        this.loader = loader;
        this.extractor = extractor;
    }

    /**
     * Runs the pipeline to completion.
     *
     * @param inputs    folders and/or files (see {@link InputFiles#list})
     * @param output    output folder (created)
     * @param overwrite replace an earlier run's shards and stats in {@code output}; without it, finding
     *                  them is an error (mixing shards of two runs corrupts a dataset). The new dataset is
     *                  written into a hidden folder inside {@code output} and swapped in only once the
     *                  pipeline has finished with at least one training example, so a bad option, a failure
     *                  or Ctrl-C leaves the earlier dataset as it was.
     * @param beamArgs  Beam pipeline options ({@code --runner=...}, {@code --targetParallelism=...})
     * @param progress  where live progress goes, or null for none
     */
    public PrepareSummary run(List<Path> inputs, Path output, boolean overwrite, String[] beamArgs, PrintStream progress)
            throws IOException {
        // Options are validated before anything is written (a mistyped --runner fails here).
        PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().create();
        if (options.getRunner() == DirectRunner.class) tuneDirectRunner(options.as(DirectOptions.class), beamArgs);
        return run(cfg, inputs, output, overwrite, (files, staging, runId) -> runInto(files, staging, options, runId, progress));
    }

    /**
     * A way to run the per-file work ({@link FileExamples}) over every file and write the dataset: Beam here,
     * Spark in module {@code spark}.
     */
    @FunctionalInterface
    public interface Engine {
        /**
         * Writes the shards ({@code train.tfrecord-SSSSS-of-NNNNN}, {@code eval.tfrecord-...}) and {@code stats.json}
         * of {@code files} into the empty folder {@code staging}; what it leaves there on an exception is deleted.
         */
        void write(List<InputFile> files, Path staging, String runId) throws IOException;
    }

    /**
     * Prepares a dataset with {@code engine}: the same checks, staging folder and swap as {@link #run(List, Path,
     * boolean, String[], PrintStream)}, whatever runs the work.
     */
    public static PrepareSummary run(PrepareConfig cfg, List<Path> inputs, Path output, boolean overwrite, Engine engine)
            throws IOException {
        List<InputFile> files = InputFiles.list(inputs);
        if (files.isEmpty()) {
            List<Path> other = InputFiles.unsupported(inputs);
            throw new IllegalArgumentException("no audio files (" + String.join("/", InputFiles.AUDIO_EXTENSIONS.stream().sorted().toList())
                    + ") found in " + inputs + (other.isEmpty() ? "" : "; " + other.size() + " file(s) in formats not read, e.g. "
                    + other.getFirst() + ": convert them to FLAC or WAV (e.g. ffmpeg -i IN.ogg OUT.flac)"));
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("--output " + output + " is a file; give a folder for the dataset");
        }
        List<Path> old = Files.isDirectory(output) ? previousOutputs(output) : List.of();
        if (!old.isEmpty() && !overwrite) {
            throw new IllegalArgumentException(output + " already holds a prepared dataset (" + old.getFirst().getFileName()
                    + (old.size() > 1 ? " and " + (old.size() - 1) + " more" : "") + "); pass --overwrite to replace it or choose another --output");
        }
        String runId = UUID.randomUUID().toString();
        boolean created = !Files.exists(output);
        Path staging = Files.createDirectories(output.resolve(".prepare-" + runId));
        try {
            long t0 = System.nanoTime();
            engine.write(files, staging, runId);
            double wall = (System.nanoTime() - t0) / 1e9;
            DatasetStats.Preparation prep = readBackStats(staging).preparation();
            if (prep == null || prep.train().examples() == 0) {
                throw new IllegalStateException("no training examples were made from " + files.size() + " input file(s)"
                        + (prep == null || prep.skipped().isEmpty() ? "" : " (skipped: " + prep.skipped().size() + ", e.g. "
                        + prep.skipped().getFirst().file() + ": " + prep.skipped().getFirst().reason() + ")")
                        + "; " + (old.isEmpty() ? "nothing was written" : "the dataset already in " + output + " is unchanged"));
            }
            swapIn(staging, output, old, runId);
            return new PrepareSummary(readBackStats(output), wall, output);
        } catch (IOException | RuntimeException | Error e) {
            AtomicFiles.deleteTree(staging);
            if (created) AtomicFiles.deleteTree(output);   // a folder this run made, now empty again
            throw e;
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /**
     * Replaces {@code old} in {@code output} by the files of {@code staging}: the old files move aside into a
     * hidden folder first, the new ones move in (renames on one file system), then the old ones go.
     */
    private static void swapIn(Path staging, Path output, List<Path> old, String runId) throws IOException {
        Path aside = Files.createDirectories(output.resolve(".replaced-" + runId));
        for (Path p : old) Files.move(p, aside.resolve(p.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> s = Files.list(staging)) {
            for (Path p : s.toList()) {
                Files.move(p, output.resolve(p.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        AtomicFiles.deleteTree(aside);
    }

    private void runInto(List<InputFile> files, Path output, PipelineOptions options, String runId, PrintStream progress)
            throws IOException {
        Pipeline p = Pipeline.create(options);
        PCollection<InputFile> in = p.apply("ListedFiles", Create.of(files).withCoder(new InputFiles.InputFileCoder()));
        PCollectionTuple out = in.apply("ProcessFiles", ParDo.of(new ProcessFileFn(cfg, loader, extractor, runId))
                .withOutputTags(ProcessFileFn.TRAIN, TupleTagList.of(ProcessFileFn.EVAL).and(ProcessFileFn.STATS)));
        out.get(ProcessFileFn.STATS).setCoder(new PrepareStats.StatsCoder());
        out.get(ProcessFileFn.TRAIN).apply("WriteTrain", TFRecordIO.write()
                .to(output.resolve(Splits.TRAIN + ".tfrecord").toAbsolutePath().toString()).withNumShards(cfg.shards()));
        if (cfg.evalFraction() > 0) {
            out.get(ProcessFileFn.EVAL).apply("WriteEval", TFRecordIO.write()
                    .to(output.resolve(Splits.EVAL + ".tfrecord").toAbsolutePath().toString()).withNumShards(cfg.evalShards()));
        }
        out.get(ProcessFileFn.STATS)
                // Every listed file emits one part, so the input is never empty; without a default, Beam
                // needs no Java-serialized empty value inside the combine step.
                .apply("MergeStats", Combine.globally(new MergeStats(cfg.confidenceThreshold())).withoutDefaults())
                .apply("WriteStats", ParDo.of(new WriteStatsFn(cfg, output.toAbsolutePath().toString())));

        long totalBytes = files.stream().mapToLong(InputFile::bytes).sum();
        try (Progress ignored = new Progress(runId, files.size(), totalBytes, cfg.sampleRate(),
                progress == null ? System.err : progress, progress == null)) {
            PipelineResult result = p.run();
            PipelineResult.State state = result.waitUntilFinish();
            if (state != PipelineResult.State.DONE) {
                throw new IllegalStateException("pipeline ended in state " + state);
            }
        }
    }

    /** On the DirectRunner, skip the per-element immutability/encodability checks (costly copies of 256 kB examples). */
    private static void tuneDirectRunner(DirectOptions d, String[] beamArgs) {
        String all = String.join(" ", beamArgs);
        if (!all.contains("--enforceImmutability")) d.setEnforceImmutability(false);
        if (!all.contains("--enforceEncodability")) d.setEnforceEncodability(false);
        if (!all.contains("--targetParallelism")) d.setTargetParallelism(Runtime.getRuntime().availableProcessors());
    }

    /** Shards and stats left by an earlier run. */
    static List<Path> previousOutputs(Path output) throws IOException {
        List<Path> old = new ArrayList<>();
        try (Stream<Path> s = Files.list(output)) {
            s.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(Splits.TRAIN + ".tfrecord") || n.startsWith(Splits.EVAL + ".tfrecord") || n.equals(STATS_FILE);
            }).sorted().forEach(old::add);
        }
        return old;
    }

    /** Beam combine for {@link PrepareStats}. */
    static final class MergeStats implements SerializableFunction<Iterable<PrepareStats>, PrepareStats> {
        private final double threshold;

        MergeStats(double threshold) {
            this.threshold = threshold;
        }

        @Override
        public PrepareStats apply(Iterable<PrepareStats> parts) {
            PrepareStats all = new PrepareStats(threshold);
            for (PrepareStats s : parts) all.merge(s);
            return all;
        }
    }

    /** Writes stats.json atomically. */
    static final class WriteStatsFn extends DoFn<PrepareStats, Void> {
        private final PrepareConfig cfg;
        private final String output;

        WriteStatsFn(PrepareConfig cfg, String output) {
            this.cfg = cfg;
            this.output = output;
        }

        @ProcessElement
        public void process(@Element PrepareStats stats) throws IOException {
            stats.toStats(cfg).write(Path.of(output).resolve(STATS_FILE));
        }
    }

    /** The merged statistics, read back from the stats.json the pipeline wrote. */
    private static DatasetStats readBackStats(Path output) throws IOException {
        Path f = output.resolve(STATS_FILE);
        if (!Files.isRegularFile(f)) throw new IOException("the pipeline finished but left no statistics at " + f);
        return DatasetStats.read(f);
    }
}
