package org.ddsp4j.train;

import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.nn.Adam;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.OpProfile;
import org.ddsp4j.tensor.StepArrays;
import org.ddsp4j.tensor.Tensor;

/**
 * Trains an {@link Autoencoder} on {@link Examples} with the multi-scale spectral loss and Adam
 * (exponential decay, global-norm clipping), writing checkpoints into a {@link ModelDir}.
 *
 * <p>Determinism and resume: the example order is a per-epoch shuffle seeded by
 * {@code (train.seed, epoch)} and the filtered noise of step {@code s} is seeded by
 * {@code (train.seed, s)}, so the whole run is a function of the step count: resuming from a
 * checkpoint at step {@code s} continues exactly as the uninterrupted run would, bit for bit, and
 * on any number of threads (the kernels depend on neither the thread count nor the JIT).
 *
 * <p>A non-finite loss or gradient stops training with {@link DivergedException} before the
 * optimizer touches the weights; the last checkpoint on disk stays the last good one.
 */
public final class Trainer {
    /** Thrown when the loss or a gradient is NaN or infinite. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /**
     * Follows a run as it goes (the studio's live loss curve): called on the training thread after every step
     * and every evaluation, so it must return quickly.
     */
    public interface Listener {
        /** Step {@code step} (counted from 1) is done with training loss {@code loss}. */
        void step(long step, double loss);

        /** The evaluation loss at a checkpoint after step {@code step}. */
        default void evaluated(long step, double evalLoss) {}
    }

    /** What {@link #train} did. */
    public record Result(long firstStep, long lastStep, double lastLoss, double seconds, double secondsPerStep,
                         List<double[]> losses) {}

    private ModelConfig cfg;
    private final ModelDir dir;
    private final Autoencoder model;
    private Adam adam;
    private final SpectralLoss loss;
    private final List<DdspExample> train, eval;
    private final int batch;
    private final long seed;
    private long step;
    private double secondsBefore;
    private final List<double[]> losses;
    private PrintStream log = System.out;
    private volatile Listener listener;
    private volatile boolean stopRequested;
    /** The link to the other workers of data-parallel training; null for a single process. */
    private final GradientExchange exchange;
    /** Whether this process writes into the model directory (a single process, or worker 0). */
    private final boolean primary;
    /** Data-parallel: the workers agreed at the last step to stop (time up or a stop requested). */
    private boolean agreedStop;
    /** Whether the directory held a checkpoint when this run began, and whether this run has written one. */
    private boolean hadCheckpoint, checkpointed;
    /** Data-parallel: when this worker's time is up ({@link System#nanoTime}). */
    private long deadline = Long.MAX_VALUE;
    /** Data-parallel: every gradient, then the loss, the stop vote and worker 0's time fraction, as exchanged. */
    private float[] exchangeBuffer;

    // The learning-rate schedule's position (in steps of the configured schedule). A run bounded by steps moves
    // it one per step; a run bounded only by time stretches what is left of train.steps over the time budget,
    // so the rate has decayed as far as the recipe intends when the time is up, on a slow machine or a fast one.
    /** The position at {@link #scheduleStep} (a resumed checkpoint's, else 0; at the start of each run). */
    private double scheduleFrom;
    private long scheduleStep;
    /** A time-limited run: the position its last second reaches; NaN: the schedule follows the steps. */
    private double scheduleEnd = Double.NaN;
    /** A time-limited run: its start ({@link System#nanoTime}) and budget (s). */
    private long scheduleT0;
    private double scheduleSeconds;
    /** Data-parallel, time-limited: the fraction of the budget worker 0 had used at this step (all agree on it). */
    private double agreedTimeFraction = Double.NaN;

    /** The multi-scale spectral loss of a configuration (its {@code loss.*} settings); training and evaluation share it. */
    public static SpectralLoss spectralLoss(ModelConfig cfg) {
        ModelConfig.Loss l = cfg.loss();
        return SpectralLoss.builder().fftSizes(l.fftSizeArray()).overlap(l.overlap())
                .magWeight(l.magWeight()).logMagWeight(l.logmagWeight()).build();
    }

    /**
     * Sets up training; with {@code resume} the model, optimizer, step and loss history come from the
     * directory's checkpoint: its {@code config.json} fixes the architecture, and {@code cfg}'s
     * optimization settings ({@link ModelConfig#RESUMABLE_SECTIONS}) are applied and recorded in
     * {@code config.json}; a change of architecture is refused ({@link ModelConfig#resumedWith}).
     */
    public Trainer(ModelConfig cfg, ModelDir dir, List<DdspExample> train, List<DdspExample> eval, boolean resume)
            throws IOException {
        this(cfg, dir, train, eval, resume, null);
    }

    /**
     * Sets up one worker of synchronous data-parallel training (null {@code exchange}: a single process). Every
     * worker is given the same configuration, directory and examples; each computes the gradient of its
     * {@code batch / workers} rows of every global batch, the gradients are summed through {@code exchange} and
     * every worker applies the same Adam update, so their weights stay identical: bit for bit those of one process
     * with {@code train.micro_batches} = the number of workers (for two workers; with more, the ring adds the parts
     * in another order). Only worker 0 writes into {@code dir}
     * (configuration, checkpoints, loss history) and evaluates; every worker runs the health check (the same
     * weights give the same decision). The time limit and {@link #requestStop} are agreed on at each step.
     */
    public Trainer(ModelConfig cfg, ModelDir dir, List<DdspExample> train, List<DdspExample> eval, boolean resume,
                   GradientExchange exchange) throws IOException {
        if (train.isEmpty()) throw new IllegalArgumentException("no training examples");
        this.exchange = exchange;
        this.primary = exchange == null || exchange.rank() == 0;
        int parts = (exchange == null ? 1 : exchange.workers()) * cfg.train().microBatches();
        if (cfg.train().batch() % parts != 0) {
            throw new IllegalArgumentException("train.batch " + cfg.train().batch() + " does not split evenly into " + parts + " parts ("
                    + (exchange == null ? "" : exchange.workers() + " workers x ") + cfg.train().microBatches()
                    + " train.micro_batches): choose a batch that is a multiple of " + parts);
        }
        if (resume && dir.hasCheckpoint()) {
            ModelConfig saved = dir.readConfig();
            List<String> changed = saved.differences(cfg);
            cfg = saved.resumedWith(cfg);
            if (!changed.isEmpty() && primary) {
                log.println("ddsp train: resuming with changed " + changed + " (recorded in " + dir.file(ModelDir.CONFIG) + ")");
                dir.writeConfig(cfg);
            }
        }
        this.cfg = cfg;
        this.dir = dir;
        this.train = train;
        this.eval = eval;
        this.batch = cfg.train().batch();
        this.seed = cfg.train().seed();
        int frames = train.getFirst().f0Hz().length;
        for (DdspExample e : train) {
            if (e.f0Hz().length != frames || e.audio().length != frames * cfg.hop()) {
                throw new IllegalArgumentException("examples differ in length: " + e.f0Hz().length + " vs " + frames
                        + " frames (audio " + e.audio().length + " samples, hop " + cfg.hop() + ")");
            }
        }
        model = new Autoencoder(cfg);
        adam = newAdam(model, cfg);
        loss = spectralLoss(cfg);
        pitchedFraction = pitchedFraction(train);
        if (resume && dir.hasCheckpoint()) {
            ModelDir.State s = dir.readState();
            if (!s.resumable()) {
                throw new IllegalArgumentException(dir.dir() + " is an exported model (no optimizer state): it plays but cannot be "
                        + "resumed; resume the directory it was trained in, or train a new model into another --model");
            }
            model.load(dir.file(s.weights()));
            adam.loadState(dir.file(s.optimizer()));
            step = s.step();
            scheduleFrom = s.schedule();
            scheduleStep = step;
            secondsBefore = s.seconds();
            losses = new ArrayList<>(dir.readLosses(step));
        } else {
            if (dir.hasCheckpoint()) {
                throw new IllegalArgumentException(dir.dir() + " already holds a trained model (step " + dir.readState().step()
                        + "): pass --resume to continue it, or choose another --model directory");
            }
            if (primary) dir.writeConfig(cfg);
            losses = new ArrayList<>();
        }
        if (adam.stepCount() != step) {
            throw new IllegalStateException("optimizer state is at step " + adam.stepCount() + " but the checkpoint at " + step);
        }
    }

    public void setLog(PrintStream log) {
        this.log = log;
    }

    /** Follows the steps and evaluations of {@link #train} (null: none). */
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /**
     * Asks {@link #train} to stop after the step in progress, with a checkpoint, as if its time were up; any
     * thread, any time (also before it starts: it then stops after at most one step).
     */
    public void requestStop() {
        stopRequested = true;
    }

    public Autoencoder model() {
        return model;
    }

    private static Adam newAdam(Autoencoder model, ModelConfig cfg) {
        return new Adam(model, Adam.Config.defaults()
                .withLearningRate(cfg.train().learningRate())
                .withDecay(cfg.train().decaySteps(), cfg.train().decayRate(), false)
                .withClipNorm(cfg.train().clipNorm()))
                .setWarmup(cfg.train().warmupSteps());
    }

    // ------------------------------------------------------------------ the harmonic path's health

    /**
     * Below this share of the dry output's energy (-17 dB), on pitched training data, the harmonic path is
     * taken for dead: its amplitude head has saturated at exp_sigmoid's floor, where the gradient vanishes and
     * it does not come back by itself, while the noise (and the room) keep lowering the loss (all-noise output).
     */
    public static final double COLLAPSED_HARMONIC_SHARE = 0.02;
    /**
     * The harmonic path counts as alive once its share has reached this (-7 dB); only a path that was alive can
     * collapse. A fresh model may start noise-dominated (the paper's {@code solo} starts at 0.004 %) and grow
     * its harmonics as it learns: that is not a collapse.
     */
    public static final double ALIVE_HARMONIC_SHARE = 0.2;
    /** Steps after which a harmonic path that never came alive on pitched data is reported (a warning, once). */
    public static final long NEVER_ALIVE_STEPS = 1000;
    /**
     * Below this level against the recordings (-30 dB), a dry path that had been playing counts as silenced:
     * the room plays everything, which a high {@code loss.dry_weight} can bring about (the reconstruction's gradient
     * vanishes for a dry path far below the target, so it does not come back by itself).
     */
    public static final double SILENT_DRY_DB = -30;
    /** The dry path counts as playing once its level has reached this (-10 dB); only a path that played can be silenced. */
    public static final double PLAYING_DRY_DB = -10;
    /** Recoveries from a collapse before training gives up. */
    public static final int MAX_RECOVERIES = 3;
    /** The watch applies when at least this fraction of the training frames is pitched (confidence >= 0.5). */
    static final double PITCHED_DATA = 0.2;

    private final double pitchedFraction;
    private Snapshot healthy;
    private int recoveries;
    /** The highest harmonic share seen at a check, the start included (NaN before the first). */
    private double peakShare = Double.NaN;
    /** The highest dry level seen at a check, dB (NaN before the first). */
    private double peakDryDb = Double.NaN;
    private boolean warnedNeverAlive;

    /** Weights, optimizer state and step of the last checkpoint that passed the health check, in memory. */
    private record Snapshot(long step, Map<String, float[]> weights, Map<String, Tensor> adamState, int losses) {}

    private static double pitchedFraction(List<DdspExample> examples) {
        long pitched = 0, all = 0;
        for (DdspExample e : examples) {
            for (float c : e.f0Confidence()) if (c >= 0.5f) pitched++;
            all += e.f0Confidence().length;
        }
        return all == 0 ? 0 : (double) pitched / all;
    }

    /**
     * The harmonic synthesizer's share of the dry output energy, {@code E_h / (E_h + E_noise)}, on a fixed probe
     * batch (the first examples of the eval split, else of the training set; fixed noise seed), in [0, 1]; NaN
     * for a model without both.
     */
    public double harmonicShare() {
        return probe()[0];
    }

    /**
     * The dry output's level against the recordings it was asked to play, {@code 10 log10(E_dry / E_input)} dB, on the
     * probe batch of {@link #harmonicShare}: about 0 dB for a model whose room is quieter than the instrument, very
     * low when the room has taken over everything (a silenced dry path).
     */
    public double dryLevelDb() {
        return probe()[1];
    }

    /** {@link #harmonicShare} and {@link #dryLevelDb} from one forward pass. */
    private double[] probe() {
        List<DdspExample> from = eval.isEmpty() ? train : eval;
        int b = Math.min(batch, from.size());
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) idx[i] = i;
        try (GradMode g = GradMode.off()) {
            Tensor[] in = stack(from, idx);
            Autoencoder.Output out = model.forward(in[0], in[1], in[2], false, new SplittableRandom(12345));
            double input = energy(in[2].data()), dry = energy(out.audio().data());
            double dryDb = input == 0 ? Double.NaN : 10 * Math.log10(Math.max(dry, 1e-30) / input);
            if (out.harmonic() == null || out.noise() == null) return new double[] {Double.NaN, dryDb};
            double h = energy(out.harmonic().data()), n = energy(out.noise().data());
            return new double[] {h + n == 0 ? 0 : h / (h + n), dryDb};
        }
    }

    private static double energy(float[] x) {
        double e = 0;
        for (float v : x) e += (double) v * v;
        return e;
    }

    private Snapshot snapshot() {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) w.put(e.getKey(), e.getValue().data().clone());
        return new Snapshot(step, w, adam.exportState(), losses.size());
    }

    /**
     * Checks the harmonic and the dry path before a checkpoint is written. On a collapse (the harmonic path dead on
     * pitched data, or the dry path silenced by the room): a loud warning, the last healthy
     * state (a checkpoint, or the start) is restored and the learning rate halved (recorded in config.json, so a
     * resume continues with it); after {@link #MAX_RECOVERIES} the run stops with an error. The collapsed
     * weights are never written: the checkpoint on disk stays the last healthy one.
     *
     * @return true when the model is healthy (the checkpoint may be written)
     */
    private boolean checkHealth() throws IOException {
        double[] p = probe();
        double share = p[0], dryDb = p[1];
        boolean pitched = pitchedFraction >= PITCHED_DATA;
        boolean harmonicCollapsed = pitched && share < COLLAPSED_HARMONIC_SHARE && peakShare >= ALIVE_HARMONIC_SHARE;
        boolean drySilenced = dryDb < SILENT_DRY_DB && peakDryDb >= PLAYING_DRY_DB;
        if (!harmonicCollapsed && !drySilenced) {
            if (!(share <= peakShare)) peakShare = share;
            if (!(dryDb <= peakDryDb)) peakDryDb = dryDb;
            healthy = snapshot();
            if (pitched && !(peakShare >= COLLAPSED_HARMONIC_SHARE) && step >= NEVER_ALIVE_STEPS && !warnedNeverAlive) {
                warnedNeverAlive = true;
                log.printf("WARNING: after %d steps the harmonic path carries %.3f%% of the output energy although %.0f%% of the "
                        + "training frames are pitched: the model plays noise. Check the data's pitch (./ddsp features), or try "
                        + "a lower train.learning_rate or a warm-up (train.warmup_steps).%n", step, 100 * share, 100 * pitchedFraction);
            }
            return true;
        }
        String what = harmonicCollapsed
                ? String.format("the harmonic path has collapsed at step %d: it carries %.3f%% of the output energy although %.0f%% "
                        + "of the training frames are pitched (all-noise output while the loss keeps falling)", step, 100 * share, 100 * pitchedFraction)
                : String.format("the dry path has gone silent at step %d: it plays %.1f dB below the recordings and the room plays "
                        + "everything (resynth --no-reverb would be silence); loss.dry_weight %s is too high for this data", step, dryDb,
                        cfg.loss().dryWeight());
        if (recoveries == MAX_RECOVERIES) {
            throw new DivergedException(String.format("%s, again after %d recoveries; the checkpoint of step %d in %s is the last "
                    + "healthy one: try a lower train.learning_rate, a warm-up (train.warmup_steps), a quieter initial reverb or a "
                    + "lower loss.dry_weight", what, recoveries, healthy.step(), dir.dir()));
        }
        recoveries++;
        float lr = cfg.train().learningRate() / 2;
        log.printf("WARNING: %s.%n", what);
        log.printf("WARNING: restoring step %d (the last healthy state) and halving the learning rate to %s (recovery %d of %d).%n",
                healthy.step(), lr, recoveries, MAX_RECOVERIES);
        for (var e : model.namedParameters().entrySet()) {
            float[] w = healthy.weights().get(e.getKey());
            System.arraycopy(w, 0, e.getValue().data(), 0, w.length);
        }
        cfg = cfg.with("train.learning_rate", Float.toString(lr));
        if (primary) dir.writeConfig(cfg);
        adam = newAdam(model, cfg);
        adam.importState(healthy.adamState(), healthy.step());
        step = healthy.step();
        while (losses.size() > healthy.losses()) losses.removeLast();
        return false;
    }

    public long step() {
        return step;
    }

    /** The examples of step {@code s}: positions {@code s*batch ...} in the per-epoch shuffled order. */
    int[] batchIndices(long s) {
        int n = train.size();
        int[] idx = new int[batch];
        int[] perm = null;
        long epochOfPerm = -1;
        for (int i = 0; i < batch; i++) {
            long pos = s * batch + i;
            long epoch = pos / n;
            if (epoch != epochOfPerm) {
                perm = permutation(n, seed * 1_000_003L + epoch);
                epochOfPerm = epoch;
            }
            idx[i] = perm[(int) (pos % n)];
        }
        return idx;
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Stacks examples into {@code f0 [B, F]}, {@code loudness [B, F]}, {@code audio [B, T]}. */
    static Tensor[] stack(List<DdspExample> ex, int[] idx) {
        int f = ex.get(idx[0]).f0Hz().length, t = ex.get(idx[0]).audio().length, b = idx.length;
        float[] f0 = new float[b * f], ld = new float[b * f], au = new float[b * t];
        for (int i = 0; i < b; i++) {
            DdspExample e = ex.get(idx[i]);
            System.arraycopy(e.f0Hz(), 0, f0, i * f, f);
            System.arraycopy(e.loudnessDb(), 0, ld, i * f, f);
            System.arraycopy(e.audio(), 0, au, i * t, t);
        }
        return new Tensor[] {Tensor.of(f0, b, f), Tensor.of(ld, b, f), Tensor.of(au, b, t)};
    }

    /** The configuration training runs with (on resume: the checkpoint's architecture with the requested optimization settings). */
    public ModelConfig config() {
        return cfg;
    }

    /** One optimization step; returns the loss (data-parallel: of the global batch). */
    public double trainStep() {
        if (exchange != null || cfg.train().microBatches() > 1) return trainStepInParts();
        // Nothing of the step outlives it but the loss: its large arrays serve the next step (StepArrays).
        try (StepArrays scope = stepArrays.open()) {
            return trainWholeBatch();
        } finally {
            model.zeroGrad();   // also after a failed step: no parameter keeps an array of the pool
        }
    }

    /** Arrays of one step, reused by the next (see {@link StepArrays}). */
    private final StepArrays stepArrays = new StepArrays();

    /** The pool of a step's arrays: what it served again and what it had to allocate. */
    public StepArrays stepArrays() {
        return stepArrays;
    }

    private double trainWholeBatch() {
        OpProfile.mark("trainer: (before the step)");
        Tensor[] in = stack(train, batchIndices(step));
        OpProfile.mark("trainer: stack batch");
        Autoencoder.Output out = model.forward(in[0], in[1], in[2], true, stepNoise());
        Tensor l = trainingLoss(in[2], out);
        double value = l.item();
        if (!Double.isFinite(value)) throw lossDiverged(value);
        model.zeroGrad();
        l.backward();
        update(value);
        return value;
    }

    /**
     * What a step minimizes: the spectral loss of the output against the recording, plus {@code loss.dry_weight} times
     * the dry path's level ({@link org.ddsp4j.spectral.Losses#dryLevel}) when that weight is set. Evaluation reports the
     * spectral loss alone, comparable between runs with and without the term.
     */
    private Tensor trainingLoss(Tensor target, Autoencoder.Output out) {
        Tensor l = loss.loss(target, out.audio());
        float w = cfg.loss().dryWeight();
        return w == 0 ? l : l.add(org.ddsp4j.spectral.Losses.dryLevel(out.dry(), target, cfg.hop()).mul(w));
    }

    private SplittableRandom stepNoise() {
        return new SplittableRandom(seed * 31 + step * 0x9E3779B97F4A7C15L);
    }

    private DivergedException lossDiverged(double value) {
        return new DivergedException("loss is " + value + " at step " + step + ": training diverged; the weights were not updated"
                + " and no checkpoint was written (try a lower train.learning_rate or train.clip_norm)");
    }

    /** Clipping and Adam on the gradients in place; a non-finite gradient stops training before the weights change. */
    private void update(double value) {
        // The global norm is finite exactly when every gradient is (a float squared cannot overflow
        // a double), so one pass serves the check and the clipping; the offender is looked up only on failure.
        double norm = adam.gradientNorm();
        if (!Double.isFinite(norm)) {
            for (var e : model.namedParameters().entrySet()) {
                float[] g = e.getValue().grad();
                if (g == null) continue;
                for (float v : g) {
                    if (!Float.isFinite(v)) {
                        throw new DivergedException("gradient of " + e.getKey() + " is " + v + " at step " + step
                                + " (loss " + value + "): training diverged; the weights were not updated and no checkpoint was written");
                    }
                }
            }
        }
        OpProfile.mark("trainer: gradient norm");
        adam.setSchedulePosition(schedulePosition());
        adam.step(norm);
        model.zeroGrad();
        OpProfile.mark("trainer: adam");
        step++;
    }

    /**
     * The step in parts: {@code train.micro_batches} parts on each of the {@code W} workers, worker {@code r}
     * computing parts {@code r * M .. r * M + M - 1} of the global batch (each with the noise a single process
     * draws for its rows). Their gradients are added in that order, summed over the workers, and divided by the
     * number of parts (each loss is a mean over equal parts); then the same update everywhere. The stop vote
     * travels with the gradients. Two workers of one part each add exactly what one process with two micro-batches
     * adds (float addition commutes), so their weights are the same bits.
     */
    private double trainStepInParts() {
        int workers = exchange == null ? 1 : exchange.workers(), rank = exchange == null ? 0 : exchange.rank();
        int micro = cfg.train().microBatches(), parts = workers * micro, rows = batch / parts;
        int[] all = batchIndices(step);
        var params = model.namedParameters().values();
        if (exchangeBuffer == null) {
            int n = 0;
            for (Tensor p : params) n += p.size();
            exchangeBuffer = new float[n + 3];
        }
        float[] buf = exchangeBuffer;
        java.util.Arrays.fill(buf, 0f);
        int end = buf.length - 3;
        double lossSum = 0;
        for (int m = 0; m < micro; m++) {
            // Each part's arrays serve the next part: the memory of one part (StepArrays).
            try (StepArrays scope = stepArrays.open()) {
                int first = (rank * micro + m) * rows;
                Tensor[] in = stack(train, java.util.Arrays.copyOfRange(all, first, first + rows));
                SplittableRandom noise = stepNoise();
                Autoencoder.Output out = ScopedValue.where(org.ddsp4j.dsp.FilteredNoise.SHARD,
                        new org.ddsp4j.dsp.FilteredNoise.Shard(first, batch)).call(() -> model.forward(in[0], in[1], in[2], true, noise));
                Tensor l = trainingLoss(in[2], out);
                double value = l.item();
                lossSum += value;
                model.zeroGrad();
                if (Double.isFinite(value)) {   // a non-finite loss reaches every worker through the sum
                    l.backward();
                    int at = 0;
                    for (Tensor p : params) {
                        float[] g = p.grad();
                        if (g != null) for (int i = 0; i < g.length; i++) buf[at + i] += g[i];
                        at += p.size();
                    }
                }
                model.zeroGrad();   // the gradients' arrays go back with the part's
            }
        }
        buf[end] = (float) lossSum;
        buf[end + 1] = System.nanoTime() >= deadline || stopRequested ? 1 : 0;
        buf[end + 2] = rank == 0 && !Double.isNaN(scheduleEnd) ? (float) timeFraction() : 0;
        if (exchange != null) {
            try {
                exchange.allReduceSum(buf);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("data-parallel step " + step + ": the gradient exchange failed: " + e.getMessage(), e);
            }
            OpProfile.mark("trainer: all-reduce");
            agreedStop = buf[end + 1] > 0;
            agreedTimeFraction = buf[end + 2];
        }
        double value = (double) buf[end] / parts;
        if (!Double.isFinite(value)) throw lossDiverged(value);
        float scale = 1f / parts;
        try (StepArrays scope = stepArrays.open()) {
            int at = 0;
            for (Tensor p : params) {
                float[] g = p.gradBuffer();
                for (int i = 0; i < g.length; i++) g[i] = buf[at + i] * scale;
                at += p.size();
            }
            update(value);
        } finally {
            model.zeroGrad();
        }
        return value;
    }

    /** Mean loss over {@code examples} (no gradients, fixed noise seed), in batches of the training size. */
    public double evaluate(List<DdspExample> examples) {
        if (examples.isEmpty()) return Double.NaN;
        double sum = 0;
        int n = 0;
        try (GradMode g = GradMode.off()) {
            for (int s = 0; s < examples.size(); s += batch) {
                int b = Math.min(batch, examples.size() - s);
                int[] idx = new int[b];
                for (int i = 0; i < b; i++) idx[i] = s + i;
                Tensor[] in = stack(examples, idx);
                Autoencoder.Output out = model.forward(in[0], in[1], in[2], true, new SplittableRandom(12345));
                sum += loss.loss(in[2], out.audio()).item() * b;
                n += b;
            }
        }
        return sum / n;
    }

    /**
     * Trains until {@code maxSteps} total steps or {@code maxSeconds} of wall time (whichever first),
     * checkpointing every {@code train.checkpoint_every} steps and at the end.
     */
    public Result train(long maxSteps, double maxSeconds) throws IOException {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("the number of steps must be at least 1, is " + maxSteps + " (--steps, train.steps)");
        }
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("the time limit must be positive, is " + maxSeconds / 60 + " minutes (--minutes)");
        }
        if (maxSteps <= step) {
            throw new IllegalArgumentException("the model in " + dir.dir() + " is already at step " + step + " >= " + maxSteps
                    + "; ask for more steps (--steps N with N > " + step + ")");
        }
        if (!primary) return trainLocked(maxSteps, maxSeconds);   // worker 0 holds the directory's lock
        try (ModelDir.Lock lock = dir.lock()) {
            return trainLocked(maxSteps, maxSeconds);
        }
    }

    private Result trainLocked(long maxSteps, double maxSeconds) throws IOException {
        long first = step;
        scheduleFrom = schedulePosition();
        scheduleStep = step;
        boolean byTime = boundedByTimeAlone(maxSteps, maxSeconds);
        // Past train.steps (a finished schedule continued by time) the rate stays where the schedule ended.
        scheduleEnd = byTime ? Math.max(scheduleFrom, cfg.train().steps()) : Double.NaN;
        scheduleSeconds = maxSeconds;
        if (healthy == null && pitchedFraction >= PITCHED_DATA) {
            healthy = snapshot();   // the start (or the resumed checkpoint) until a checkpoint passes the check
            peakShare = harmonicShare();
        }
        long every = Math.max(1, cfg.train().checkpointEvery());
        long t0 = System.nanoTime(), lastPrint = t0;
        scheduleT0 = t0;
        hadCheckpoint = dir.hasCheckpoint();
        checkpointed = false;
        deadline = t0 + (long) Math.min(Long.MAX_VALUE / 4.0, maxSeconds * 1e9);
        agreedStop = false;
        double last = Double.NaN, ema = Double.NaN;
        long printedStep = step;
        long stepsDone = 0;
        boolean ended = false;
        while (!ended) {
            while (step < maxSteps && keepGoing(t0, maxSeconds, stepsDone)) {
                last = trainStep();
                stepsDone++;
                Listener l = listener;
                if (l != null) l.step(step, last);
                ema = Double.isNaN(ema) ? last : 0.9 * ema + 0.1 * last;
                losses.add(new double[] {step, last, Double.NaN});
                long now = System.nanoTime();
                if (now - lastPrint > 5e9 || step == maxSteps || step == first + 1) {
                    double elapsed = (now - t0) / 1e9;
                    double rate = stepsDone / elapsed;
                    double etaSteps = (maxSteps - step) / rate, etaTime = maxSeconds - elapsed;
                    // An unbounded step count (time-limited runs) is not printed as a number.
                    String of = maxSteps >= Integer.MAX_VALUE ? "" : "/" + maxSteps;
                    log.printf("step %d%s  loss %.4f (avg %.4f)  lr %.2e  %.2f steps/s  %.2f s/step  ETA %s%n", step, of, last, ema,
                            adam.learningRate(step, schedulePosition()), rate, 1 / rate, formatSeconds(Math.min(etaSteps, etaTime)));
                    lastPrint = now;
                    printedStep = step;
                }
                if (step % every == 0) checkpoint(secondsBefore + (System.nanoTime() - t0) / 1e9);
            }
            // The last checkpoint; when the health check restored an earlier state instead, the steps since are trained
            // again (within the time limit), so a run never ends on weights it refused to write.
            ended = true;
            // Whether a checkpoint exists is known from the start and this run (not the disk): every worker agrees.
            if ((stepsDone > 0 && step % every != 0) || !(hadCheckpoint || checkpointed)) {
                ended = checkpoint(secondsBefore + (System.nanoTime() - t0) / 1e9)
                        || !keepGoing(t0, maxSeconds, 1);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (printedStep != step) log.printf("step %d  loss %.4f%n", step, last);
        return new Result(first, step, last, seconds, stepsDone == 0 ? Double.NaN : seconds / stepsDone, List.copyOf(losses));
    }

    /**
     * Whether {@link #train} with these limits is bounded by time alone (a step limit of {@link Long#MAX_VALUE} or
     * anything at or above {@link Integer#MAX_VALUE} counts as none): such a run stretches the schedule over its time.
     */
    public static boolean boundedByTimeAlone(long maxSteps, double maxSeconds) {
        return maxSteps >= Integer.MAX_VALUE && Double.isFinite(maxSeconds);
    }

    /**
     * Where the learning-rate schedule stands for the next update, in steps of the configured schedule: the step
     * count for a run bounded by steps (a resumed run continues from its checkpoint's position); for a run bounded
     * only by time, the part of its budget used, mapped onto the schedule up to {@code train.steps}.
     */
    double schedulePosition() {
        // (A collapse restored to before this run's start moves it back with the steps, never below 0.)
        if (Double.isNaN(scheduleEnd)) return Math.max(0, scheduleFrom + (step - scheduleStep));
        double f = exchange != null && !Double.isNaN(agreedTimeFraction) ? agreedTimeFraction : timeFraction();
        return scheduleFrom + (scheduleEnd - scheduleFrom) * Math.min(1, f);
    }

    private double timeFraction() {
        return (System.nanoTime() - scheduleT0) / 1e9 / scheduleSeconds;
    }

    /**
     * Whether another step may start: within the time limit and no stop requested (after at least one step); for
     * data-parallel workers, what they agreed on at the last step.
     */
    private boolean keepGoing(long t0, double maxSeconds, long stepsDone) {
        if (exchange != null) return !agreedStop;
        return (System.nanoTime() - t0) / 1e9 < maxSeconds && (stepsDone == 0 || !stopRequested);
    }

    /** Writes a checkpoint after the health check; false when the check restored an earlier state instead. */
    private boolean checkpoint(double totalSeconds) throws IOException {
        if (!checkHealth()) return false;
        checkpointed = true;
        if (!primary) return true;
        if (!eval.isEmpty() && !losses.isEmpty()) {
            double e = evaluate(eval);
            losses.getLast()[2] = e;
            log.printf("step %d  eval loss %.4f%n", step, e);
            Listener l = listener;
            if (l != null) l.evaluated(step, e);
        }
        // Loss history first: rows past the committed step are ignored on resume, so a kill between the
        // two writes loses nothing.
        dir.writeLosses(losses);
        dir.writeCheckpoint(model, adam, step, totalSeconds, schedulePosition());
        LossCurve.write(dir.file(ModelDir.CURVE), losses, "ddsp4j " + cfg.name() + ": multi-scale spectral loss");
        return true;
    }

    /** Writes the training-set statistics (used by timbre transfer) unless the directory has them. */
    public void writeStats() throws IOException {
        if (!primary) return;
        if (Files.isRegularFile(dir.file(ModelDir.STATS))) return;
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(DatasetStats.CONFIDENCE);
        for (DdspExample e : train) acc.add(e.f0Hz(), e.f0Confidence(), e.loudnessDb());
        if (acc.pitchedFrames() > 0) acc.toStats(cfg.sampleRate(), cfg.frameRate(), null).write(dir.file(ModelDir.STATS));
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s) || s < 0) return "?";
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
