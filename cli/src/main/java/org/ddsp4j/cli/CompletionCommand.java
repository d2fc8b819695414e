package org.ddsp4j.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./ddsp completion}: prints a bash completion script for every command and option, made by picocli. */
@CommandLine.Command(name = "completion",
        description = "print a bash completion script for ./ddsp's commands and options",
        footer = {"", "In the current shell:  source <(./ddsp completion)",
            "In every new shell:    ./ddsp completion > ~/.local/share/bash-completion/completions/ddsp"})
final class CompletionCommand implements Command {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("ddsp", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
