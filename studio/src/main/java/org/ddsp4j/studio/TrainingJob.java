package org.ddsp4j.studio;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.train.Trainer;
import org.ddsp4j.train.TrainingRun;

/**
 * One training run started from the page: its progress as the trainer reports it ({@link Trainer.Listener}, on
 * the training thread) and as the page reads it ({@link #snapshot}, from the request threads). The loss of every
 * step is kept, so a page that connects late still draws the whole curve.
 */
final class TrainingJob implements Trainer.Listener {
    enum State { LOADING, TRAINING, DONE, STOPPED, FAILED }

    /** Log lines kept for the page. */
    static final int LOG_LINES = 200;

    final String id, model;
    final Path modelDir;
    final long steps;
    final TrainingRun run;
    private final long startNanos = System.nanoTime();
    private final List<double[]> points = new ArrayList<>(), evals = new ArrayList<>();
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private volatile State state = State.LOADING;
    private volatile String message = "";
    private volatile boolean stopAsked;

    TrainingJob(String id, String model, Path modelDir, long steps, TrainingRun.Request request) {
        this.id = id;
        this.model = model;
        this.modelDir = modelDir;
        this.steps = steps;
        this.run = new TrainingRun(request, new PrintStream(new LineSink(), true, StandardCharsets.UTF_8)).listener(this);
    }

    /** Runs to the end on the calling thread; the outcome goes into the state and message. */
    void runHere() {
        try {
            Trainer.Result r = run.run();
            message = String.format(java.util.Locale.ROOT, "stopped at step %d, loss %.4f, %.2f s/step", r.lastStep(), r.lastLoss(),
                    r.secondsPerStep());
            state = stopAsked ? State.STOPPED : State.DONE;
        } catch (Throwable e) { // an OutOfMemoryError ends the run, not the studio
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            state = State.FAILED;
        }
    }

    void stop() {
        stopAsked = true;
        run.stop();
    }

    State state() {
        return state;
    }

    boolean finished() {
        return state == State.DONE || state == State.STOPPED || state == State.FAILED;
    }

    @Override
    public synchronized void step(long step, double loss) {
        state = State.TRAINING;
        points.add(new double[] {step, loss});
    }

    @Override
    public synchronized void evaluated(long step, double evalLoss) {
        evals.add(new double[] {step, evalLoss});
    }

    /** Where the page's cursors into the loss lists stand. */
    record Cursor(int points, int evals) {}

    /** A snapshot's JSON object and where the next one starts. */
    record Snapshot(Map<String, Object> json, Cursor next) {}

    /** The job's state and the losses from {@code from} on (the page appends them to its curve). */
    synchronized Snapshot snapshot(Cursor from) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("model", model);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("steps", steps);
        m.put("step", points.isEmpty() ? 0 : (long) points.getLast()[0]);
        m.put("loss", points.isEmpty() ? null : points.getLast()[1]);
        m.put("evalLoss", evals.isEmpty() ? null : evals.getLast()[1]);
        m.put("seconds", (System.nanoTime() - startNanos) / 1e9);
        m.put("message", message);
        m.put("from", from.points());
        m.put("points", rows(points, from.points()));
        m.put("evals", rows(evals, from.evals()));
        synchronized (log) {
            m.put("log", List.copyOf(log));
        }
        return new Snapshot(m, new Cursor(points.size(), evals.size()));
    }

    private static List<List<Double>> rows(List<double[]> rows, int from) {
        List<List<Double>> out = new ArrayList<>();
        for (int i = from; i < rows.size(); i++) {
            double[] r = rows.get(i);
            // JSON has no NaN: an evaluation-free row is null there.
            out.add(java.util.Arrays.asList(r[0], Double.isFinite(r[1]) ? r[1] : null));
        }
        return out;
    }

    /** The run's progress lines, kept for the page (the last {@link #LOG_LINES}). */
    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                synchronized (log) {
                    log.addLast(s);
                    while (log.size() > LOG_LINES) log.removeFirst();
                }
            } else {
                line.write(b);
            }
        }
    }
}
