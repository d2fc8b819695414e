package org.ddsp4j.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall-clock time per op name, for finding where a training step goes. Off by default (one static
 * boolean test per op when off).
 *
 * <p>Forward: the time since the previous op was created (or since {@link #start}/{@link #mark}) is
 * charged to the op being created, so glue code between ops counts toward the next op; call
 * {@link #mark} to charge a stretch of non-op work (e.g. batch stacking) to a label of its own.
 * Backward: each op's backward function is timed exactly. Single-threaded use only (the thread
 * that builds and differentiates the graph).
 */
public final class OpProfile {
    private static volatile boolean enabled;
    private static long last;
    private static final Map<String, long[]> FORWARD = new LinkedHashMap<>(), BACKWARD = new LinkedHashMap<>();

    private OpProfile() {}

    /** Clears the totals and starts recording. */
    public static synchronized void start() {
        FORWARD.clear();
        BACKWARD.clear();
        last = System.nanoTime();
        enabled = true;
    }

    /** Stops recording (totals are kept for {@link #report}). */
    public static void stop() {
        enabled = false;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** Charges the time since the last op or mark to {@code label} (forward table). */
    public static synchronized void mark(String label) {
        if (!enabled) return;
        long now = System.nanoTime();
        add(FORWARD, label, now - last);
        last = System.nanoTime();
    }

    static synchronized void forward(String op) {
        long now = System.nanoTime();
        add(FORWARD, op, now - last);
        last = now;
    }

    static synchronized void backward(String op, long nanos) {
        add(BACKWARD, op, nanos);
        last = System.nanoTime();
    }

    private static void add(Map<String, long[]> m, String key, long nanos) {
        long[] v = m.computeIfAbsent(key == null ? "?" : key, k -> new long[2]);
        v[0] += nanos;
        v[1]++;
    }

    /**
     * The totals divided by {@code steps}, as text lines {@code phase op ms/step calls/step},
     * largest first within each phase, and the phase totals.
     */
    public static synchronized String report(int steps) {
        StringBuilder sb = new StringBuilder();
        for (var phase : List.of(Map.entry("forward", FORWARD), Map.entry("backward", BACKWARD))) {
            List<Map.Entry<String, long[]>> rows = new ArrayList<>(phase.getValue().entrySet());
            rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
            long total = 0;
            for (var r : rows) total += r.getValue()[0];
            sb.append(String.format("%-9s %-34s %9.1f ms/step%n", phase.getKey(), "TOTAL", total / 1e6 / steps));
            for (var r : rows) {
                sb.append(String.format("%-9s %-34s %9.1f ms/step %6.1f calls/step%n", phase.getKey(), r.getKey(),
                        r.getValue()[0] / 1e6 / steps, r.getValue()[1] / (double) steps));
            }
        }
        return sb.toString();
    }
}
