package org.ddsp4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;

/**
 * One training run from a data folder into a model directory, the code path of {@code ./ddsp train} and of the
 * studio's training page: the configuration (a built-in name or file, overrides; on resume the checkpoint's),
 * the examples (a prepared dataset or a folder of recordings), the training-set statistics, then
 * {@link Trainer#train}. The model folder is locked for the whole run, and a run that cannot start leaves no
 * folder behind. {@link #stop} (any thread) ends it early with a checkpoint.
 */
public final class TrainingRun {
    /**
     * What to train.
     *
     * @param data      a dataset written by {@code ./ddsp prepare}, or a folder of recordings
     * @param modelDir  the model directory to write (or, with {@code resume}, continue)
     * @param config    a built-in configuration name or a JSON file; null: {@code tiny}, or on resume the checkpoint's
     * @param overrides {@code key=value} settings on top of it
     * @param steps     stop at this many total steps; null: the configuration's {@code train.steps}, or with a time
     *                  limit, no step limit: the run then uses all its time and the learning-rate schedule of
     *                  {@code train.steps} steps is stretched over it
     * @param seconds   stop after this much training time (positive; infinity: no limit)
     * @param resume    continue the checkpoint in {@code modelDir}
     */
    public record Request(Path data, Path modelDir, String config, List<String> overrides, Long steps, double seconds,
                          boolean resume) {}

    private final Request request;
    private final PrintStream log;
    private volatile Trainer.Listener listener;
    private volatile Trainer trainer;
    private volatile boolean stopped;

    /** @param log receives the progress lines ({@code ddsp train: ...} and the trainer's) */
    public TrainingRun(Request request, PrintStream log) {
        this.request = request;
        this.log = log;
    }

    /** Follows the steps and evaluations (set before {@link #run}). */
    public TrainingRun listener(Trainer.Listener l) {
        listener = l;
        return this;
    }

    /** Asks the run to stop: before training it stops after one step; during, after the step in progress. */
    public void stop() {
        stopped = true;
        Trainer t = trainer;
        if (t != null) t.requestStop();
    }

    /** Runs to the end (steps, time or {@link #stop}); returns what the trainer did. */
    public Trainer.Result run() throws Exception {
        ModelDir dir = new ModelDir(request.modelDir());
        boolean existed = Files.exists(request.modelDir());
        // The folder is ours for the whole run (another trainer of it is refused, naming its process).
        try (ModelDir.Lock lock = dir.lock()) {
            return runLocked(dir);
        } catch (Exception | Error e) {
            if (!existed) removeIfOnlyTheLock(request.modelDir());   // a run that could not start leaves no folder behind
            throw e;
        }
    }

    private static void removeIfOnlyTheLock(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return;
        try (var s = Files.list(folder)) {
            if (!s.allMatch(p -> p.getFileName().toString().equals(".lock"))) return;
        }
        Files.deleteIfExists(folder.resolve(".lock"));
        Files.deleteIfExists(folder);
    }

    /**
     * The configuration a request trains with: its {@code config} (else, on resume, the directory's, else
     * {@code tiny}) with the overrides; resuming a checkpoint, on the checkpoint's architecture
     * ({@link ModelConfig#resumedWith}: a changed architecture is refused here, before any data is read). The
     * trainer records the changed optimization settings.
     */
    public static ModelConfig configOf(Request r, ModelDir dir) throws IOException {
        // A run killed before its first checkpoint left config.json: resuming continues with it.
        ModelConfig base = r.config() != null ? ModelConfig.load(r.config())
                : r.resume() && Files.isRegularFile(dir.file(ModelDir.CONFIG)) ? dir.readConfig() : ModelConfig.builtIn("tiny");
        ModelConfig cfg = base.with(r.overrides());
        return r.resume() && dir.hasCheckpoint() ? dir.readConfig().resumedWith(cfg) : cfg;
    }

    /**
     * The step limit of a request: its {@code steps}; else, with a time limit, none ({@link Long#MAX_VALUE}: the run
     * uses all its time and the trainer stretches the learning-rate schedule over it); else {@code train.steps}.
     */
    public static long stepLimit(Request r, ModelConfig cfg) {
        return r.steps() != null ? r.steps() : Double.isFinite(r.seconds()) ? Long.MAX_VALUE : cfg.train().steps();
    }

    private Trainer.Result runLocked(ModelDir dir) throws Exception {
        Request r = request;
        ModelConfig cfg = configOf(r, dir);
        long steps = stepLimit(r, cfg);
        boolean byTime = Trainer.boundedByTimeAlone(steps, r.seconds());
        log.println("ddsp train: reading " + r.data() + " ...");
        long t0 = System.nanoTime();
        List<DdspExample> train = Examples.load(r.data(), DdspDataset.TRAIN, cfg);
        List<DdspExample> eval = Examples.load(r.data(), DdspDataset.EVAL, cfg);
        int frames = train.isEmpty() ? cfg.exampleFrames() : train.getFirst().f0Hz().length;
        log.printf("ddsp train: %d training and %d evaluation examples of %d frames (%.1f s to load)%n",
                train.size(), eval.size(), frames, (System.nanoTime() - t0) / 1e9);
        if (frames != cfg.exampleFrames()) {
            // A prepared dataset's examples keep the length they were prepared with; the setting cuts recordings only.
            log.printf("ddsp train: the dataset's examples are %.2f s long (as prepared); audio.example_seconds = %s applies to "
                    + "folders of recordings (prepare again with --example-seconds to change it)%n",
                    frames / (double) cfg.frameRate(), cfg.audio().exampleSeconds());
        }
        if (eval.isEmpty()) {
            log.println("ddsp train: no evaluation split, so no held-out loss: " + (DdspDataset.shards(r.data(), DdspDataset.TRAIN).isEmpty()
                    ? "a folder of recordings is all training data; ./ddsp prepare --input " + r.data() + " --output DATA makes a "
                    + "dataset with one" : "the dataset has none (prepare it again with --eval-fraction above 0)")
                    + " (or evaluate later with ./ddsp eval --data HELD_OUT_FOLDER)");
        }
        if (!train.isEmpty()) {   // without examples the trainer says so
            MemoryPlan plan = MemoryPlan.of(cfg, new MemoryPlan.Data(train.size() + eval.size(), frames, train.getFirst().audio().length), 1);
            long heap = Runtime.getRuntime().maxMemory();
            log.printf("ddsp train: %s; Java heap %.2f GB%n", plan.describe(), heap / 1e9);
            // The plan counts every tensor of a step as alive at once; the heap Java reports leaves out a survivor space.
            if (heap < 0.85 * plan.peakBytes()) {
                log.printf("WARNING: the Java heap (%.2f GB) is smaller than the expected peak (%.2f GB): training may run out of memory. "
                                + "Give it more (DDSP_JAVA_OPTS=-Xmx%dm) or compute each batch in parts (--set train.micro_batches=N: "
                                + "a part's tensors are 1/N of the batch's)%n", heap / 1e9, plan.peakBytes() / 1e9, plan.heapMb());
            }
        }
        Trainer t = new Trainer(cfg, dir, train, eval, r.resume());
        t.setLog(log);
        t.setListener(listener);
        trainer = t;
        if (stopped) t.requestStop();
        t.writeStats();
        log.printf("ddsp train: model %s, %,d parameters, from step %d%n", cfg.name(), t.model().parameterCount(), t.step());
        if (byTime) {
            log.printf("ddsp train: training for %.1f minutes; the learning rate follows the schedule of train.steps = %d steps "
                    + "(%s, x%s every %d steps) stretched over that time (give --steps to count steps instead)%n", r.seconds() / 60,
                    cfg.train().steps(), cfg.train().learningRate(), cfg.train().decayRate(), cfg.train().decaySteps());
        }
        return t.train(steps, r.seconds());
    }
}
