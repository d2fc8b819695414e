package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.prepare.DdspFeatures;
import org.ddsp4j.prepare.PrepareConfig;
import org.ddsp4j.prepare.PreparePipeline;
import org.ddsp4j.prepare.PrepareSummary;

/**
 * {@code ./ddsp prepare}: audio files to a TFRecord dataset (train/eval shards + stats.json) on
 * Apache Beam. Options it does not know are handed to Beam ({@code --runner=...} and the like).
 */
final class PrepareCommand implements Command {
    private static final Set<String> FLAGS = Set.of("overwrite", "pad-tail", "quiet");
    private static final Set<String> OPTIONS = Set.of("input", "output", "sample-rate", "frame-rate", "example-seconds",
            "hop-seconds", "eval-fraction", "shards", "min-seconds", "confidence-threshold");

    @Override
    public String name() {
        return "prepare";
    }

    @Override
    public String summary() {
        return "turn audio files into a training dataset (TFRecord shards with f0 and loudness) on Apache Beam";
    }

    @Override
    public String usage() {
        PrepareConfig d = PrepareConfig.defaults();
        return """
                usage: ./ddsp prepare --input DIR_OR_FILE... --output DIR [options] [Beam options]

                  --input PATH...           folders (searched recursively for .wav .flac .mp3) and/or files
                  --output DIR              where train.tfrecord-SSSSS-of-NNNNN, eval.tfrecord-... and stats.json go
                  --sample-rate HZ          model sample rate; audio is resampled to it (default %d)
                  --frame-rate FPS          f0/loudness frames per second (default %d)
                  --example-seconds S       example length (default %s; 64000 samples, 1001 centred frames)
                  --hop-seconds S           hop between examples of a file (default %s)
                  --eval-fraction F         fraction of files in the eval split, chosen by a hash of the
                                            file's path relative to its input folder (default %s)
                  --shards N                train shards; eval gets max(1, round(N * F)) (default %d)
                  --min-seconds S           shorter files are skipped; files between S and one example are
                                            zero-padded to one example (default %s)
                  --pad-tail                keep the audio after a file's last full example as one more,
                                            zero-padded example (default: drop it, as magenta does)
                  --confidence-threshold C  frames counted as pitched in stats.json (default %s)
                  --overwrite               replace a dataset already in --output
                  --quiet                   no live progress line
                  Beam options              e.g. --runner=DirectRunner (default), --targetParallelism=2;
                                            any other runner on the classpath with its own options"""
                .formatted(d.sampleRate(), d.frameRate(), num(d.exampleSeconds()), num(d.hopSeconds()), num(d.evalFraction()),
                        d.shards(), num(d.minSeconds()), num(d.confidenceThreshold()));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public int run(String[] argv) throws Exception {
        List<String> ours = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> beam = new ArrayList<>();
        split(argv, ours, inputs, beam);
        Args a = Args.parse(ours.toArray(String[]::new), FLAGS, OPTIONS);
        if (!a.positional().isEmpty()) throw new UsageException("unexpected argument '" + a.positional().getFirst() + "'");
        if (inputs.isEmpty()) throw new UsageException("missing required option --input");
        Path output = Path.of(a.require("output"));
        PrepareConfig d = PrepareConfig.defaults();
        PrepareConfig cfg;
        try {
            cfg = new PrepareConfig(a.getInt("sample-rate", d.sampleRate()), a.getInt("frame-rate", d.frameRate()),
                    a.getDouble("example-seconds", d.exampleSeconds()), a.getDouble("hop-seconds", d.hopSeconds()),
                    a.getDouble("eval-fraction", d.evalFraction()), a.getInt("shards", d.shards()),
                    a.getDouble("min-seconds", d.minSeconds()), a.has("pad-tail"),
                    a.getDouble("confidence-threshold", d.confidenceThreshold()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<Path> in = inputs.stream().map(Path::of).toList();
        PreparePipeline pipeline = new PreparePipeline(cfg, AudioFile::readMono, new DdspFeatures());
        PrepareSummary s = pipeline.run(in, output, a.has("overwrite"), beam.toArray(String[]::new),
                a.has("quiet") ? null : System.err);
        System.out.print(s.report());
        return 0;
    }

    /**
     * Sorts the command line: our options (to {@code ours}), the values after {@code --input} up to the
     * next option (to {@code inputs}; {@code --input=X} and repeated {@code --input} work too), and
     * everything else to Beam as {@code --name=value} ({@code --name value} is joined, a lone
     * {@code --name} passes as a boolean).
     */
    static void split(String[] argv, List<String> ours, List<String> inputs, List<String> beam) {
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (!s.startsWith("--")) {
                ours.add(s); // a stray positional; Args reports it
                continue;
            }
            String name = s.substring(2);
            int eq = name.indexOf('=');
            String bare = eq >= 0 ? name.substring(0, eq) : name;
            if (bare.equals("input")) {
                if (eq >= 0) inputs.add(name.substring(eq + 1));
                while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) inputs.add(argv[++i]);
                if (eq < 0 && (inputs.isEmpty())) throw new UsageException("option --input needs at least one folder or file");
            } else if (OPTIONS.contains(bare) || FLAGS.contains(bare)) {
                ours.add(s);
                if (eq < 0 && OPTIONS.contains(bare) && i + 1 < argv.length) ours.add(argv[++i]);
            } else if (eq >= 0) {
                beam.add(s);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                beam.add(s + "=" + argv[++i]);
            } else {
                beam.add(s);
            }
        }
    }
}
