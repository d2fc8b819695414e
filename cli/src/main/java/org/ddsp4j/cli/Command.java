package org.ddsp4j.cli;

import java.util.concurrent.Callable;

/**
 * One subcommand of {@code ./ddsp}. An implementation is a picocli {@code @Command(name = ..., description = ...)}
 * whose {@code @Option} / {@code @Parameters} fields picocli fills before {@link #call()}; {@link Main} lists them,
 * adds {@code -h/--help}, and turns what {@code call} throws into a message and an exit status.
 */
public interface Command extends Callable<Integer> {
    /**
     * Runs the command with its fields filled from the command line.
     *
     * @return the process exit status (0 on success)
     * @throws picocli.CommandLine.ParameterException for a malformed command line (exit status 2, with the usage)
     * @throws Exception for anything else (exit status 1, with the message)
     */
    @Override
    Integer call() throws Exception;
}
