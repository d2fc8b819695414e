package org.ddsp4j.cli;

/** One subcommand of {@code ./ddsp}. Implementations live in this package and are listed in {@link Main}. */
public interface Command {
    /** The word typed after {@code ./ddsp}, e.g. {@code bench}. */
    String name();

    /** One line for {@code ./ddsp --help}. */
    String summary();

    /** Full usage text, printed for {@code ./ddsp NAME --help}. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @return the process exit status (0 on success)
     */
    int run(String[] args) throws Exception;
}
