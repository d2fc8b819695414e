package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.apps.Evaluation;
import org.ddsp4j.io.AtomicFiles;
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

    @CommandLine.Mixin
    ModelOption model;

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
        Evaluation.Summary s = model.load().evaluate(data, max, System.err);
        System.out.print(s.toTable());
        if (output != null) {
            AtomicFiles.writeString(output, s.toJson());
            System.out.println("ddsp eval: wrote " + output);
        }
        return 0;
    }
}
