package org.ddsp4j.audio;

import java.io.PrintStream;

/**
 * Keeps a decoding library's debug prints off standard output: jflac prints lines such as
 * {@code readResidual elsecase, pEsc = 15} for legal escape-coded residuals, which would end up in
 * the output of {@code ./ddsp} commands (and in CSV or JSON a command writes to stdout).
 *
 * <p>{@link System#out} is replaced, once, by a stream that passes everything through except what
 * a thread running {@link #call} writes; other threads print as before. If someone later replaces
 * {@code System.out}, the next call wraps the new stream.
 */
final class QuietStdout {
    /** A task that returns a value and may throw {@code E}. */
    @FunctionalInterface
    interface Task<T, E extends Exception> {
        T run() throws E;
    }

    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> false);

    private QuietStdout() {}

    /** Runs {@code task} with whatever this thread writes to {@link System#out} dropped. */
    static <T, E extends Exception> T call(Task<T, E> task) throws E {
        install();
        boolean outer = MUTED.get();
        MUTED.set(true);
        try {
            return task.run();
        } finally {
            MUTED.set(outer);
        }
    }

    private static synchronized void install() {
        if (!(System.out instanceof Filter)) System.setOut(new Filter(System.out));
    }

    /** Passes writes through to the wrapped stream unless the writing thread is muted. */
    private static final class Filter extends PrintStream {
        Filter(PrintStream target) {
            super(target, true, target.charset());
        }

        @Override
        public void write(int b) {
            if (!MUTED.get()) super.write(b);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            if (!MUTED.get()) super.write(buf, off, len);
        }
    }
}
