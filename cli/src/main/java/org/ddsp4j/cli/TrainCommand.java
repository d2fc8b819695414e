package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Trainer;
import org.ddsp4j.train.TrainingRun;
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
            description = "solo, tiny (default), nsynth, pytorch-default, each also at 22.05, 44.1 or 48 kHz as NAME-22k, "
                    + "NAME-44k, NAME-48k (e.g. tiny-48k: prepare the data with its --sample-rate and --frame-rate), "
                    + "or a JSON file; with --resume, the checkpoint's "
                    + "config.json (its architecture cannot change)")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a configuration value, e.g. --set decoder.gru_units=256 (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = "--room", paramLabel = "T60",
            description = "only for recordings made in a room with about T60 seconds of reverberation: learn the room apart from the "
                    + "instrument, so that resynth --no-reverb dries them and ./ddsp reverb carries the room to other audio (sets "
                    + "reverb.type=exp_decay, reverb.initial_t60=T60, reverb.initial_gain=0.03, reverb.decoder_loudness=direct, "
                    + "loss.dry_weight=0.3; --set overrides them)")
    Double room;

    @Option(names = "--steps", paramLabel = "N",
            description = "stop at N total steps (default train.steps of the configuration; with --minutes alone, no step limit)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "examples per step (same as --set train.batch=N)")
    String batch;

    @Option(names = "--minutes", paramLabel = "M", description = "train for M minutes (default: no limit); without --steps the "
            + "whole time is used and the learning-rate schedule of train.steps steps is stretched over it")
    double minutes = Double.POSITIVE_INFINITY;

    @Option(names = "--resume", description = "continue the checkpoint in --model (its config.json is used)")
    boolean resume;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores; with --spark: per worker, default 1)")
    Integer threads;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "synchronous data-parallel training on Apache Spark: local[N], local-cluster[W,C,MB] (W executor "
                    + "processes here), spark://HOST:PORT, yarn, k8s://...; --data and --model must be folders every executor "
                    + "can read, and worker 0 write (docs/spark.md)")
    String spark;

    @Option(names = "--workers", paramLabel = "W",
            description = "with --spark: training processes, each with batch/W examples of every step (default 2)")
    Integer workers;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        // Checked before anything is read or written: a model folder is never created for a run that cannot start.
        if (steps != null && steps < 1) throw new CommandLine.ParameterException(cl, "--steps must be at least 1, got " + steps);
        if (!(minutes > 0)) throw new CommandLine.ParameterException(cl, "--minutes must be positive, got " + minutes);
        if (threads != null && threads < 1) throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + threads);
        if (workers != null && spark == null) throw new CommandLine.ParameterException(cl, "--workers needs --spark MASTER");
        if (workers != null && workers < 1) throw new CommandLine.ParameterException(cl, "--workers must be at least 1, got " + workers);
        if (threads != null && spark == null) Parallel.setThreads(threads);
        if (room != null && !(room > 0 && room < 100)) {
            throw new CommandLine.ParameterException(cl, "--room is the room's reverberation time in seconds (e.g. 1.5), got " + room);
        }
        List<String> overrides = new ArrayList<>(room == null ? List.of() : org.ddsp4j.model.ModelConfig.inARoom(room));
        overrides.addAll(set);
        if (batch != null) overrides.add("train.batch=" + batch);
        TrainingRun.Request request = new TrainingRun.Request(data, modelDir, config, overrides,
                steps == null ? null : steps.longValue(), minutes * 60, resume);
        if (spark != null) return trainOnSpark(request);
        if (Boolean.getBoolean(PLAN_HEAP)) return printPlannedHeap(request);
        TrainingRun run = new TrainingRun(request, System.out);
        Trainer.Result r = run.run();
        System.out.printf("ddsp train: stopped at step %d, loss %.4f, %.2f s/step; model in %s (loss curve %s)%n",
                r.lastStep(), r.lastLoss(), r.secondsPerStep(), modelDir, new ModelDir(modelDir).file(ModelDir.CURVE));
        return 0;
    }

    private int trainOnSpark(TrainingRun.Request request) throws Exception {
        int w = workers == null ? 2 : workers;
        try (var sc = org.ddsp4j.spark.SparkSetup.context(spark, "ddsp4j train", threads == null ? 1 : threads)) {
            org.ddsp4j.spark.SparkTraining.Result r = org.ddsp4j.spark.SparkTraining.run(sc, request, w, System.out);
            System.out.printf("ddsp train: stopped at step %d, loss %.4f, %.3f s/step on %d workers (all-reduce %.3f s/step, "
                            + "%.2f MB sent per worker per step); model in %s (loss curve %s)%n",
                    r.lastStep(), r.lastLoss(), r.secondsPerStep(), r.workers(), r.allReduceSecondsPerStep(),
                    r.bytesSentPerStep() / 1e6, modelDir, new ModelDir(modelDir).file(ModelDir.CURVE));
        }
        return 0;
    }

    /**
     * {@code -Dddsp4j.planHeap=true}: print the heap this run needs in MB ({@link org.ddsp4j.train.MemoryPlan}) and
     * stop. The {@code ./ddsp} launcher asks this of a small JVM before it starts training, and starts the training
     * JVM with that heap: a default JVM takes a quarter of the machine's memory and grows its heap far past what
     * training keeps alive (3 GB of resident memory for a step that needs 1).
     */
    static final String PLAN_HEAP = "ddsp4j.planHeap";

    private int printPlannedHeap(TrainingRun.Request request) throws Exception {
        ModelDir dir = new ModelDir(modelDir);
        org.ddsp4j.model.ModelConfig cfg = TrainingRun.configOf(request, dir);
        org.ddsp4j.train.MemoryPlan plan = org.ddsp4j.train.MemoryPlan.of(cfg, org.ddsp4j.train.MemoryPlan.dataIn(data, cfg), 1);
        long physicalMb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 20;
        System.out.println(Math.min(plan.heapMb(), Math.max(512, physicalMb * 3 / 4)));
        return 0;
    }
}
