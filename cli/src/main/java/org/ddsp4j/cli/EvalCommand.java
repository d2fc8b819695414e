package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ddsp4j.apps.Evaluation;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;

/** {@code ./ddsp eval}: the DDSP paper's resynthesis metrics of a trained model on held-out data. */
public final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "resynthesis metrics (loudness/f0 L1, outliers, pitch accuracy, spectral loss) on held-out data";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp eval --model DIR --data DIR [--output METRICS.json] [--max-examples N]

                  --model DIR          a model directory written by ./ddsp train
                  --data DIR           the eval split of a dataset from ./ddsp prepare (eval.tfrecord*), or a
                                       folder of held-out recordings (wav, flac, mp3; cut into clips of the
                                       model's audio.example_seconds)
                  --output FILE        also write the averages and per-example metrics as JSON
                  --max-examples N     evaluate only the first N examples (default: all)

                Each example's f0 and loudness drive the model (with reverb); the resynthesis' features
                are re-extracted and compared with the example's. Averages follow magenta/ddsp: examples
                without f0 confidence >= 0.85 are not scored for f0; examples with a mean f0 error above
                12 semitones count as outliers and are left out of the f0 L1.
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of(), Set.of("model", "data", "output", "max-examples"));
        int max = a.getInt("max-examples", Integer.MAX_VALUE);
        if (max < 1) throw new UsageException("--max-examples must be at least 1, got " + max);
        Path data = Path.of(a.require("data"));
        Autoencoder model = new ModelDir(Path.of(a.require("model"))).loadModel();
        List<Examples.Example> clips = Evaluation.loadClips(data, model.config());
        if (clips.isEmpty()) throw new IllegalArgumentException(data + " holds no examples to evaluate");
        if (clips.size() > max) clips = clips.subList(0, max);
        System.err.printf("ddsp eval: %d examples from %s%n", clips.size(), data);
        Evaluation.Summary s = Evaluation.evaluate(model, clips, System.err);
        System.out.print(s.toTable());
        if (a.has("output")) {
            Path out = Path.of(a.get("output", null));
            AtomicFiles.writeString(out, s.toJson());
            System.out.println("ddsp eval: wrote " + out);
        }
        return 0;
    }
}
