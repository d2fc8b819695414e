package org.ddsp4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The float arrays of a training step, kept for the next one: every step of a run makes tensors of the same
 * sizes, so the arrays the largest ops take ({@link #take}: layer outputs, the GRU's gates, elementwise results,
 * gradient buffers) come back to this pool when the step is over ({@link #close}) and serve the next step, and a
 * step in steady state allocates almost nothing for them (no garbage, no collector pauses).
 *
 * <p>A scope is opened on one thread ({@link #open}) and covers what that thread computes until {@link #close};
 * arrays taken on other threads, or outside a scope, are plain {@code new float[n]}. The contract of a scope:
 * nothing made in it is used after it closes (a training step keeps only its loss value). Arrays come back
 * zeroed when asked, else with the last step's values (for outputs that are overwritten whole). The pool holds
 * the arrays of one step: the memory a step's tensors take anyway ({@code train.MemoryPlan}).
 */
public final class StepArrays implements AutoCloseable {
    private static final ThreadLocal<StepArrays> CURRENT = new ThreadLocal<>();
    /** {@code -Dddsp4j.noStepArrays=true}: every array is new (to rule the pool out when hunting a bug). */
    static final boolean DISABLED = Boolean.getBoolean("ddsp4j.noStepArrays");

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final ArrayList<float[]> handedOut = new ArrayList<>();
    private Thread owner;
    private long reusedFloats, newFloats;

    /** Starts a scope on this thread; {@link #close} ends it and takes back every array handed out in it. */
    public StepArrays open() {
        if (owner != null) throw new IllegalStateException("a step scope is already open on " + owner.getName());
        if (CURRENT.get() != null) throw new IllegalStateException("another step scope is open on this thread");
        owner = Thread.currentThread();
        CURRENT.set(this);
        return this;
    }

    @Override
    public void close() {
        if (owner != Thread.currentThread()) throw new IllegalStateException("the step scope was opened on another thread");
        CURRENT.remove();
        owner = null;
        for (float[] a : handedOut) free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        handedOut.clear();
    }

    /** Floats served from the pool, and newly allocated, since this pool was made. */
    public long reusedFloats() {
        return reusedFloats;
    }

    public long newFloats() {
        return newFloats;
    }

    /**
     * An array of {@code n} floats: from the scope open on this thread (zeroed when {@code zeroed}, else holding
     * old values to be overwritten whole), or a new one.
     */
    public static float[] take(int n, boolean zeroed) {
        StepArrays s = DISABLED ? null : CURRENT.get();
        if (s == null) return new float[n];
        ArrayDeque<float[]> q = s.free.get(n);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[n];
            s.newFloats += n;
        } else {
            if (zeroed) Arrays.fill(a, 0f);
            s.reusedFloats += n;
        }
        s.handedOut.add(a);
        return a;
    }
}
