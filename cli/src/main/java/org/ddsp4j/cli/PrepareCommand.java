package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.prepare.DdspFeatures;
import org.ddsp4j.prepare.PrepareConfig;
import org.ddsp4j.prepare.PreparePipeline;
import org.ddsp4j.prepare.PrepareSummary;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./ddsp prepare}: audio files to a TFRecord dataset (train/eval shards + stats.json) on
 * Apache Beam. Options it does not know are handed to Beam ({@code --runner=...} and the like).
 */
@CommandLine.Command(name = "prepare", defaultValueProvider = PrepareCommand.Defaults.class,
        description = "turn audio files into a training dataset (TFRecord shards with f0 and loudness) on Apache Beam",
        customSynopsis = "./ddsp prepare --input DIR_OR_FILE... --output DIR [options] [Beam options]",
        footer = {"",
            "Beam options: any other --name=value (or --name value) goes to Apache Beam, e.g. --runner=DirectRunner "
            + "(default), --targetParallelism=2; any other runner on the classpath with its own options.",
            "With --spark MASTER the same work runs on Apache Spark (the same examples; docs/spark.md)."})
final class PrepareCommand implements Command {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH...", parameterConsumer = InputConsumer.class,
            description = "folders (searched recursively for .wav .flac .mp3) and/or files")
    List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "where train.tfrecord-SSSSS-of-NNNNN, eval.tfrecord-... and stats.json go")
    Path output;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = "model sample rate; audio is resampled to it (default ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--frame-rate", paramLabel = "FPS",
            description = "f0/loudness frames per second (default ${DEFAULT-VALUE})")
    int frameRate;

    @Option(names = "--example-seconds", paramLabel = "S",
            description = "example length (default ${DEFAULT-VALUE}; 64000 samples, 1001 centred frames)")
    double exampleSeconds;

    @Option(names = "--hop-seconds", paramLabel = "S",
            description = "hop between examples of a file (default ${DEFAULT-VALUE})")
    double hopSeconds;

    @Option(names = "--eval-fraction", paramLabel = "F",
            description = "fraction of the audio in the eval split: each 10 s block of a file is drawn by a hash of the "
                    + "file's path relative to its input folder and the block's position; examples straddling a train and an "
                    + "eval block are dropped (default ${DEFAULT-VALUE})")
    double evalFraction;

    @Option(names = "--shards", paramLabel = "N",
            description = "train shards; eval gets max(1, round(N * F)) (default ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--min-seconds", paramLabel = "S",
            description = "shorter files are skipped; files between S and one example are zero-padded to one example "
                    + "(default ${DEFAULT-VALUE})")
    double minSeconds;

    @Option(names = "--pad-tail",
            description = "keep the audio after a file's last full example as one more, zero-padded example (default: drop it, "
                    + "as magenta does)")
    boolean padTail;

    @Option(names = "--confidence-threshold", paramLabel = "C",
            description = "frames counted as pitched in stats.json (default ${DEFAULT-VALUE})")
    double confidenceThreshold;

    @Option(names = "--overwrite", description = "replace a dataset already in --output")
    boolean overwrite;

    @Option(names = "--quiet", description = "no live progress line")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "run on Apache Spark instead of Beam: local[N], local-cluster[W,C,MB] (W executor processes here), "
                    + "spark://HOST:PORT, yarn, k8s://...; the output must be a folder every executor can write (docs/spark.md)")
    String spark;

    /** Everything else, for Beam (joined into {@code --name=value} by {@link #beamOptions}). */
    @Unmatched
    List<String> beamArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String[] beam = beamOptions(spec.commandLine(), beamArgs);
        PrepareConfig cfg;
        try {
            cfg = new PrepareConfig(sampleRate, frameRate, exampleSeconds, hopSeconds, evalFraction, shards, minSeconds,
                    padTail, confidenceThreshold);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PreparePipeline pipeline = new PreparePipeline(cfg, AudioFile::readMono, new DdspFeatures());
        List<Path> unsupported = org.ddsp4j.prepare.InputFiles.unsupported(inputs);
        if (!unsupported.isEmpty()) {
            System.err.println("ddsp prepare: warning: " + unsupported.size() + " file(s) in formats not read are skipped "
                    + "(convert them to FLAC or WAV):");
            for (Path p : unsupported.subList(0, Math.min(20, unsupported.size()))) System.err.println("  " + p);
            if (unsupported.size() > 20) System.err.println("  ... and " + (unsupported.size() - 20) + " more");
        }
        PrepareSummary s;
        if (spark != null) {
            if (beam.length > 0) throw new ParameterException(spec.commandLine(), "Beam options " + List.of(beam) + " do not apply with --spark");
            try (var sc = org.ddsp4j.spark.SparkSetup.context(spark, "ddsp4j prepare", 1)) {
                System.err.println("ddsp prepare: on Spark " + sc.master() + " (" + sc.defaultParallelism() + " task slots) ...");
                s = PreparePipeline.run(cfg, inputs, output, overwrite,
                        new org.ddsp4j.spark.SparkPrepare(sc, cfg, AudioFile::readMono, new DdspFeatures()));
            }
        } else {
            s = pipeline.run(inputs, output, overwrite, beam, quiet ? null : System.err);
        }
        System.out.print(s.report());
        return 0;
    }

    /**
     * The arguments picocli did not know, as Beam options: {@code --name=value} as it is, {@code --name value}
     * joined, a lone {@code --name} as a boolean; anything else is an unexpected argument.
     */
    static String[] beamOptions(CommandLine cl, List<String> unmatched) {
        List<String> beam = new ArrayList<>();
        for (int i = 0; i < unmatched.size(); i++) {
            String s = unmatched.get(i);
            if (!s.startsWith("--") || s.length() == 2) throw new ParameterException(cl, "unexpected argument '" + s + "'");
            if (s.indexOf('=') < 0 && i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("--")) {
                beam.add(s + "=" + unmatched.get(++i));
            } else {
                beam.add(s);
            }
        }
        return beam.toArray(String[]::new);
    }

    /** {@code --input}'s values: every argument up to the next one starting with {@code --}. */
    static final class InputConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec arg, CommandSpec command) {
            List<Path> values = arg.getValue() == null ? new ArrayList<>() : new ArrayList<>(arg.<List<Path>>getValue());
            int before = values.size();
            while (!args.isEmpty() && !args.peek().startsWith("--")) values.add(Path.of(args.pop()));
            if (values.size() == before) {
                throw new ParameterException(command.commandLine(), "option --input needs at least one folder or file");
            }
            arg.setValue(values);
        }
    }

    /** The defaults of the numeric options, from {@link PrepareConfig#defaults()}. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec o)) return null;
            PrepareConfig d = PrepareConfig.defaults();
            return switch (o.longestName()) {
                case "--sample-rate" -> num(d.sampleRate());
                case "--frame-rate" -> num(d.frameRate());
                case "--example-seconds" -> num(d.exampleSeconds());
                case "--hop-seconds" -> num(d.hopSeconds());
                case "--eval-fraction" -> num(d.evalFraction());
                case "--shards" -> num(d.shards());
                case "--min-seconds" -> num(d.minSeconds());
                case "--confidence-threshold" -> num(d.confidenceThreshold());
                default -> null;
            };
        }

        private static String num(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
