package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code ./ddsp train}: trains a DDSP autoencoder on a prepared dataset or a folder of recordings. */
@CommandLine.Command(name = "train", description = "train a DDSP autoencoder on prepared TFRecords or a folder of recordings")
public final class TrainCommand implements Command {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "a dataset written by ./ddsp prepare (TFRecord shards; its eval split is used for the evaluation "
                    + "loss), or a folder of recordings (wav, flac, mp3; f0 and loudness are computed in-process)")
    Path data;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "model directory: config.json, weights, optimizer state, losses.csv, loss.png, stats.json")
    Path modelDir;

    @Option(names = "--config", paramLabel = "NAME|FILE",
            description = "solo, tiny (default), nsynth, pytorch-default, or a JSON file; with --resume, the checkpoint's "
                    + "config.json (its architecture cannot change)")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a configuration value, e.g. --set decoder.gru_units=256 (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N",
            description = "stop at N total steps (default train.steps of the configuration)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "examples per step (same as --set train.batch=N)")
    String batch;

    @Option(names = "--minutes", paramLabel = "M", description = "stop after M minutes of training (default: no limit)")
    double minutes = Double.POSITIVE_INFINITY;

    @Option(names = "--resume", description = "continue the checkpoint in --model (its config.json is used)")
    boolean resume;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        // Checked before anything is read or written: a model folder is never created for a run that cannot start.
        if (steps != null && steps < 1) throw new CommandLine.ParameterException(cl, "--steps must be at least 1, got " + steps);
        if (!(minutes > 0)) throw new CommandLine.ParameterException(cl, "--minutes must be positive, got " + minutes);
        if (threads != null && threads < 1) throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + threads);
        ModelDir dir = new ModelDir(modelDir);
        if (threads != null) Parallel.setThreads(threads);
        boolean existed = Files.exists(modelDir);
        // The folder is ours for the whole command (another trainer of it is refused, naming its process).
        try (ModelDir.Lock lock = dir.lock()) {
            trainLocked(dir);
        } catch (Exception | Error e) {
            if (!existed) removeIfOnlyTheLock(modelDir);   // a run that could not start leaves no folder behind
            throw e;
        }
        return 0;
    }

    private static void removeIfOnlyTheLock(Path folder) throws java.io.IOException {
        try (var s = Files.list(folder)) {
            if (!s.allMatch(p -> p.getFileName().toString().equals(".lock"))) return;
        }
        Files.deleteIfExists(folder.resolve(".lock"));
        Files.deleteIfExists(folder);
    }

    private void trainLocked(ModelDir dir) throws Exception {
        // A run killed before its first checkpoint left config.json: resuming continues with it.
        ModelConfig base = config != null ? ModelConfig.load(config)
                : resume && Files.isRegularFile(dir.file(ModelDir.CONFIG)) ? dir.readConfig() : ModelConfig.builtIn("tiny");
        List<String> overrides = new ArrayList<>(set);
        if (batch != null) overrides.add("train.batch=" + batch);
        // On --resume the trainer keeps the checkpoint's architecture and applies (and records) the rest.
        ModelConfig cfg = base.with(overrides);
        long steps = this.steps != null ? this.steps : cfg.train().steps();
        System.out.println("ddsp train: reading " + data + " ...");
        long t0 = System.nanoTime();
        List<DdspExample> train = Examples.load(data, DdspDataset.TRAIN, cfg);
        List<DdspExample> eval = Examples.load(data, DdspDataset.EVAL, cfg);
        System.out.printf("ddsp train: %d training and %d evaluation examples of %d frames (%.1f s to load)%n",
                train.size(), eval.size(), cfg.exampleFrames(), (System.nanoTime() - t0) / 1e9);
        Trainer trainer = new Trainer(cfg, dir, train, eval, resume);
        trainer.writeStats();
        System.out.printf("ddsp train: model %s, %,d parameters, from step %d%n", cfg.name(),
                trainer.model().parameterCount(), trainer.step());
        Trainer.Result r = trainer.train(steps, minutes * 60);
        System.out.printf("ddsp train: stopped at step %d, loss %.4f, %.2f s/step; model in %s (loss curve %s)%n",
                r.lastStep(), r.lastLoss(), r.secondsPerStep(), dir.dir(), dir.file(ModelDir.CURVE));
    }
}
