package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.apps.Evaluation;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./ddsp eval}: the DDSP paper's resynthesis metrics of a trained model on held-out data. */
@CommandLine.Command(name = "eval",
        description = "resynthesis metrics (loudness/f0 L1, outliers, pitch accuracy, spectral loss) on held-out data",
        footer = {"",
            "Each example's f0 and loudness drive the model (with reverb); the resynthesis' features are "
            + "re-extracted and compared with the example's. Averages follow magenta/ddsp: examples without f0 "
            + "confidence >= 0.85 are not scored for f0; examples with a mean f0 error above 12 semitones count "
            + "as outliers and are left out of the f0 L1."})
public final class EvalCommand implements Command {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "a model directory written by ./ddsp train")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "the eval split of a dataset from ./ddsp prepare (eval.tfrecord*), or a folder of held-out recordings"
                    + " (wav, flac, mp3; cut into clips of the model's audio.example_seconds)")
    Path data;

    @Option(names = "--output", paramLabel = "METRICS.json",
            description = "also write the averages and per-example metrics as JSON")
    Path output;

    @Option(names = "--max-examples", paramLabel = "N", description = "evaluate only the first N examples (default: all)")
    int max = Integer.MAX_VALUE;

    @Override
    public Integer call() throws Exception {
        if (max < 1) throw new ParameterException(spec.commandLine(), "--max-examples must be at least 1, got " + max);
        Autoencoder model = new ModelDir(modelDir).loadModel();
        List<Examples.Example> clips = Evaluation.loadClips(data, model.config());
        if (clips.isEmpty()) throw new IllegalArgumentException(data + " holds no examples to evaluate");
        if (clips.size() > max) clips = clips.subList(0, max);
        System.err.printf("ddsp eval: %d examples from %s%n", clips.size(), data);
        Evaluation.Summary s = Evaluation.evaluate(model, clips, System.err);
        System.out.print(s.toTable());
        if (output != null) {
            AtomicFiles.writeString(output, s.toJson());
            System.out.println("ddsp eval: wrote " + output);
        }
        return 0;
    }
}
