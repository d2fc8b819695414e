package org.ddsp4j.prepare;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of a preparation run: counters the DoFns bump (shared through a static registry, so
 * this works when the DoFns run in this JVM, as with the DirectRunner; on a remote runner the counters
 * stay at zero and only Beam's own metrics tell), printed to stderr by a daemon thread at most once a
 * second: one line rewritten with '\r' on a terminal, plain lines every 10 s otherwise.
 */
public final class Progress implements AutoCloseable {
    /** The counters of one run. */
    public static final class Counters {
        final AtomicLong filesDone = new AtomicLong();
        final AtomicLong filesSkipped = new AtomicLong();
        final AtomicLong bytesDone = new AtomicLong();
        final AtomicLong examples = new AtomicLong();
        final AtomicLong samples = new AtomicLong();

        /** A file finished (read or skipped). */
        public void fileDone(long fileBytes, long nSamples, long nExamples, boolean skipped) {
            bytesDone.addAndGet(fileBytes);
            samples.addAndGet(nSamples);
            examples.addAndGet(nExamples);
            if (skipped) filesSkipped.incrementAndGet();
            filesDone.incrementAndGet();
        }
    }

    private static final Map<String, Counters> RUNS = new ConcurrentHashMap<>();

    /** The counters of run {@code id} (created on first use). */
    public static Counters counters(String id) {
        return RUNS.computeIfAbsent(id, k -> new Counters());
    }

    private final String id;
    private final Counters c;
    private final long totalFiles, totalBytes;
    private final int sampleRate;
    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;

    /**
     * Starts printing (unless {@code quiet}).
     *
     * @param id run id the DoFns use in {@link #counters(String)}
     */
    public Progress(String id, long totalFiles, long totalBytes, int sampleRate, PrintStream err, boolean quiet) {
        this.id = id;
        this.c = counters(id);
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.sampleRate = sampleRate;
        this.err = err;
        this.terminal = System.console() != null && System.console().isTerminal();
        if (quiet) {
            thread = null;
            return;
        }
        thread = Thread.ofPlatform().daemon().name("prepare-progress").start(this::loop);
    }

    private void loop() {
        long lastPrint = 0;
        long period = terminal ? 1_000_000_000L : 10_000_000_000L;
        while (!stop) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastPrint >= period) {
                lastPrint = now;
                String line = line();
                if (terminal) err.print("\r" + line + "\u001b[K");
                else err.println(line);
                err.flush();
            }
        }
    }

    /** The current progress line. */
    public String line() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        long done = c.filesDone.get();
        double audioMin = c.samples.get() / (double) sampleRate / 60;
        double rate = elapsed > 0 ? audioMin / (elapsed / 60) : 0;
        double frac = totalBytes > 0 ? (double) c.bytesDone.get() / totalBytes : (totalFiles > 0 ? (double) done / totalFiles : 0);
        String eta = frac > 0 && frac < 1 ? duration(elapsed * (1 - frac) / frac) : "-";
        return String.format(Locale.ROOT, "prepare: %d/%d files (%d skipped), %d examples, %.1f min audio, %.1f min/min, ETA %s",
                done, totalFiles, c.filesSkipped.get(), c.examples.get(), audioMin, rate, eta);
    }

    static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }

    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (terminal) err.println();
        }
        RUNS.remove(id);
    }
}
