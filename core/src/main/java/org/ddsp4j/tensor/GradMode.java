package org.ddsp4j.tensor;

/**
 * Whether ops record the graph for backward on this thread. {@code try (var g = GradMode.off()) {...}}
 * runs inference with no graph and no saved activations.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private GradMode() {}

    /** Disables graph recording until the returned scope is closed (scopes nest). */
    public static GradMode off() {
        DISABLED.get()[0]++;
        return new GradMode();
    }

    /** True when ops on this thread record the graph. */
    public static boolean enabled() {
        return DISABLED.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DISABLED.get()[0]--;
        }
    }
}
