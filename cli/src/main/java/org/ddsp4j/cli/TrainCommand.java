package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.train.Examples;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;

/** {@code ./ddsp train}: trains a DDSP autoencoder on a prepared dataset or a folder of recordings. */
public final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a DDSP autoencoder on prepared TFRecords or a folder of recordings";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp train --data DIR --model DIR [options]

                  --data DIR        a dataset written by ./ddsp prepare (TFRecord shards; its eval split is
                                    used for the evaluation loss), or a folder of recordings (wav, flac,
                                    mp3; f0 and loudness are computed in-process)
                  --model DIR       model directory: config.json, weights, optimizer state, losses.csv,
                                    loss.png, stats.json
                  --config NAME|FILE  solo, tiny (default), nsynth, pytorch-default, or a JSON file
                  --set KEY=VALUE   override a configuration value, e.g. --set decoder.gru_units=256
                                    (repeatable)
                  --steps N         stop at N total steps (default train.steps of the configuration)
                  --batch N         examples per step (same as --set train.batch=N)
                  --minutes M       stop after M minutes of training (default: no limit)
                  --resume          continue the checkpoint in --model (its config.json is used)
                  --threads N       worker threads (default: all cores)
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of("resume"),
                Set.of("data", "model", "config", "set", "steps", "batch", "minutes", "threads"));
        Path data = Path.of(a.require("data"));
        ModelDir dir = new ModelDir(Path.of(a.require("model")));
        if (a.has("threads")) Parallel.setThreads(a.getInt("threads", Parallel.threads()));
        boolean resume = a.has("resume");
        ModelConfig cfg = resume && dir.hasCheckpoint() ? dir.readConfig() : ModelConfig.load(a.get("config", "tiny"));
        cfg.setAll(a.all("set"));
        if (a.has("batch")) cfg.set("train.batch", a.get("batch", null));
        cfg.check();
        long steps = a.has("steps") ? a.getInt("steps", 0) : cfg.getInt("train.steps");
        double minutes = a.getDouble("minutes", Double.POSITIVE_INFINITY);
        System.out.println("ddsp train: reading " + data + " ...");
        long t0 = System.nanoTime();
        List<Examples.Example> train = Examples.load(data, DdspDataset.TRAIN, cfg);
        List<Examples.Example> eval = Examples.load(data, DdspDataset.EVAL, cfg);
        System.out.printf("ddsp train: %d training and %d evaluation examples of %d frames (%.1f s to load)%n",
                train.size(), eval.size(), cfg.exampleFrames(), (System.nanoTime() - t0) / 1e9);
        Trainer trainer = new Trainer(cfg, dir, train, eval, resume);
        trainer.writeStats();
        System.out.printf("ddsp train: model %s, %,d parameters, from step %d%n", cfg.getString("name"),
                trainer.model().parameterCount(), trainer.step());
        Trainer.Result r = trainer.train(steps, minutes * 60);
        System.out.printf("ddsp train: stopped at step %d, loss %.4f, %.2f s/step; model in %s (loss curve %s)%n",
                r.lastStep(), r.lastLoss(), r.secondsPerStep(), dir.dir(), dir.file(ModelDir.CURVE));
        return 0;
    }
}
