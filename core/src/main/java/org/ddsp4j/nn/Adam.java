package org.ddsp4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.io.SafeTensors;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Tensor;

/**
 * Adam with magenta/ddsp's training setup: exponential learning-rate decay
 * {@code lr(step) = lr0 * rate^(step / decaySteps)} (optionally staircase, i.e. an integer exponent),
 * and clipping of all gradients by their global L2 norm before the update.
 *
 * <p>The update is Keras' form (what ddsp's {@code tf.keras.optimizers.Adam} does), with
 * {@code t = step + 1} and {@code step} the number of updates already applied:
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   p -= lr(step) * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
 * </pre>
 * Defaults follow ddsp: lr 1e-3, betas 0.9 / 0.999, eps 1e-7 (Keras), decay 0.98 every 10,000
 * steps (smooth), clip norm 3.0. Parameters with no gradient are skipped. Deterministic: the global
 * norm is accumulated serially in double in parameter order; the update is elementwise.
 */
public final class Adam {
    /** Hyper-parameters; use {@link #defaults()} and the withers. */
    public record Config(float learningRate, float beta1, float beta2, float eps, long decaySteps, float decayRate,
                         boolean staircase, float clipNorm) {
        public Config {
            if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
            if (decaySteps < 1) throw new IllegalArgumentException("decaySteps must be >= 1, got " + decaySteps);
            if (!(decayRate > 0)) throw new IllegalArgumentException("decayRate must be > 0, got " + decayRate);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clipNorm must be > 0 (use Float.POSITIVE_INFINITY for none), got " + clipNorm);
        }

        /** ddsp's trainer defaults. */
        public static Config defaults() {
            return new Config(1e-3f, 0.9f, 0.999f, 1e-7f, 10_000, 0.98f, false, 3.0f);
        }

        public Config withLearningRate(float lr) {
            return new Config(lr, beta1, beta2, eps, decaySteps, decayRate, staircase, clipNorm);
        }

        public Config withDecay(long steps, float rate, boolean stair) {
            return new Config(learningRate, beta1, beta2, eps, steps, rate, stair, clipNorm);
        }

        public Config withClipNorm(float c) {
            return new Config(learningRate, beta1, beta2, eps, decaySteps, decayRate, staircase, c);
        }

        public Config withBetas(float b1, float b2, float e) {
            return new Config(learningRate, b1, b2, e, decaySteps, decayRate, staircase, clipNorm);
        }
    }

    private final Config config;
    private final LinkedHashMap<String, Tensor> params;
    private final List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
    private long step;
    private double lastGradNorm;
    private long warmupSteps;
    /** Where the decay schedule stands, in updates (NaN: at the update count). */
    private double schedulePosition = Double.NaN;

    /** Optimizes {@code module}'s parameters. */
    public Adam(Module module, Config config) {
        this(module.namedParameters(), config);
    }

    /** Optimizes the given named parameters (names are used for state export). */
    public Adam(Map<String, Tensor> namedParams, Config config) {
        this.config = config;
        this.params = new LinkedHashMap<>(namedParams);
        for (Tensor p : params.values()) {
            m.add(new float[p.size()]);
            v.add(new float[p.size()]);
        }
    }

    public Config config() {
        return config;
    }

    /** Number of updates applied so far. */
    public long stepCount() {
        return step;
    }

    /** Global gradient norm seen by the last {@link #step()} (before clipping). */
    public double lastGradNorm() {
        return lastGradNorm;
    }

    /**
     * Linear learning-rate warm-up: update {@code s} (0-based) uses {@code min(1, (s + 1) / steps)}
     * of the decayed rate; 0 (the default, magenta/ddsp's behaviour) turns it off. Adam's first
     * updates move every weight by about the full rate in the sign of its gradient; warming up keeps
     * those coherent first moves from driving a synth control into saturation.
     */
    public Adam setWarmup(long steps) {
        if (steps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        warmupSteps = steps;
        return this;
    }

    /**
     * Places the decay schedule at {@code updates} for the following updates (NaN: back to the update count, the
     * default). A run limited by time stretches the schedule over its budget: it sets the position from the time
     * used, while the warm-up and the bias correction still count real updates.
     */
    public Adam setSchedulePosition(double updates) {
        if (updates < 0) throw new IllegalArgumentException("schedule position must be >= 0, got " + updates);
        schedulePosition = updates;
        return this;
    }

    /** The learning rate used for the update after {@code completedSteps} updates. */
    public float learningRate(long completedSteps) {
        return learningRate(completedSteps, completedSteps);
    }

    /** The learning rate of update {@code completedSteps} (warm-up) with the decay schedule at {@code position} updates. */
    public float learningRate(long completedSteps, double position) {
        double e = position / config.decaySteps;
        if (config.staircase) e = Math.floor(e);
        double warm = warmupSteps > 0 ? Math.min(1.0, (completedSteps + 1) / (double) warmupSteps) : 1.0;
        return (float) (config.learningRate * Math.pow(config.decayRate, e) * warm);
    }

    /**
     * Clips the gradients by global norm and applies one update; returns the global norm before
     * clipping. Does not zero the gradients.
     */
    public double step() {
        return step(gradientNorm());
    }

    /**
     * The global L2 norm of all parameter gradients (parameters without a gradient count as zero),
     * accumulated serially in double in parameter order, so it does not depend on the thread count.
     */
    public double gradientNorm() {
        double sq = 0;
        for (Tensor p : params.values()) {
            float[] g = p.grad();
            if (g == null) continue;
            for (float x : g) sq += (double) x * x;
        }
        return Math.sqrt(sq);
    }

    /**
     * {@link #step()} with the global norm already computed by {@link #gradientNorm()} on the current
     * gradients (so a caller that checks the norm first reads the gradients once, not twice). The
     * update is elementwise, so splitting it across threads does not change the result.
     */
    public double step(double globalNorm) {
        double norm = globalNorm;
        lastGradNorm = norm;
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("gradient norm is " + norm + " at step " + step + "; check the loss for NaN/Inf");
        }
        // tf.clip_by_global_norm: scale by clip / max(norm, clip).
        float scale = norm > config.clipNorm ? (float) (config.clipNorm / norm) : 1f;
        long t = step + 1;
        double lrT = learningRate(step, Double.isNaN(schedulePosition) ? step : schedulePosition) * Math.sqrt(1 - Math.pow(config.beta2, t)) / (1 - Math.pow(config.beta1, t));
        float lr = (float) lrT, b1 = config.beta1, b2 = config.beta2, eps = config.eps;
        int i = 0;
        for (Tensor p : params.values()) {
            float[] g = p.grad(), w = p.data(), mi = m.get(i), vi = v.get(i);
            i++;
            if (g == null) continue;
            // One pass per parameter: clip, moments and weight update together.
            Parallel.forRange(w.length, 1 << 15, (from, to) -> {
                for (int j = from; j < to; j++) {
                    float gj = g[j] * scale;
                    float mj = b1 * mi[j] + (1 - b1) * gj;
                    float vj = b2 * vi[j] + (1 - b2) * gj * gj;
                    mi[j] = mj;
                    vi[j] = vj;
                    w[j] -= lr * mj / ((float) Math.sqrt(vj) + eps);
                }
            });
        }
        step++;
        return norm;
    }

    /**
     * The optimizer state as tensors: {@code m.<name>} and {@code v.<name>} per parameter, plus the
     * step count (as metadata in {@link #saveState}; here returned separately by {@link #stepCount()}).
     */
    public LinkedHashMap<String, Tensor> exportState() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            out.put("m." + e.getKey(), Tensor.of(m.get(i).clone(), e.getValue().shape()));
            out.put("v." + e.getKey(), Tensor.of(v.get(i).clone(), e.getValue().shape()));
            i++;
        }
        return out;
    }

    /** Restores state from {@link #exportState()} and a step count; strict about names and shapes. */
    public void importState(Map<String, Tensor> state, long stepCount) {
        if (stepCount < 0) throw new IllegalArgumentException("step count must be >= 0, got " + stepCount);
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            for (String k : new String[] {"m." + e.getKey(), "v." + e.getKey()}) {
                Tensor s = state.get(k);
                if (s == null) problems.add("missing " + k);
                else if (!Arrays.equals(s.shape(), e.getValue().shape())) {
                    problems.add(k + " has shape " + Arrays.toString(s.shape()) + ", parameter " + Arrays.toString(e.getValue().shape()));
                }
            }
            i++;
        }
        if (state.size() != 2 * params.size()) {
            for (String k : state.keySet()) {
                String name = k.length() > 2 ? k.substring(2) : k;
                if (!(k.startsWith("m.") || k.startsWith("v.")) || !params.containsKey(name)) problems.add("unexpected " + k);
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("Adam state does not match the parameters: " + problems);
        i = 0;
        for (String name : params.keySet()) {
            System.arraycopy(state.get("m." + name).data(), 0, m.get(i), 0, m.get(i).length);
            System.arraycopy(state.get("v." + name).data(), 0, v.get(i), 0, v.get(i).length);
            i++;
        }
        step = stepCount;
    }

    /** Writes the state (m, v, step) to a safetensors file, atomically. */
    public void saveState(Path file) throws IOException {
        SafeTensors.write(file, exportState(), Map.of("format", "ddsp4j-adam", "step", Long.toString(step)));
    }

    /** Reads state written by {@link #saveState}. */
    public void loadState(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        String s = c.metadata().get("step");
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(file + ": Adam state has no valid \"step\" in __metadata__, got " + s);
        }
        try {
            importState(c.tensors(), n);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
