package org.ddsp4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code ./ddsp}: parses the command line with picocli, runs one {@link Command}, and is the one
 * place that turns failures into messages and exit statuses: 0 success, 1 failure ("ddsp CMD: message"; the
 * stack trace only with the environment variable {@code DDSP_DEBUG} set), 2 usage error (message and usage).
 */
public final class Main {
    /** Exit status of a malformed command line (and of {@code ./ddsp} without arguments). */
    static final int USAGE = 2;
    /** Exit status of a command that failed. */
    static final int FAILURE = 1;

    private Main() {}

    /** Every command, in the order {@code --help} lists them. */
    static List<Command> commands() {
        return List.of(
                new BenchCommand(),
                new FeaturesCommand(),
                new PrepareCommand(),
                new TrainCommand(),
                new ResynthCommand(),
                new TransferCommand(),
                new EvalCommand(),
                new PlotCommand(),
                new RenderCommand(),
                new ReverbCommand(),
                new ExportCommand(),
                new StreamCommand(),
                new LiveCommand(),
                new StudioCommand(),
                new DemoCommand(),
                new CompletionCommand());
    }

    /** The top level: only {@code -h/--help} and the commands. */
    @CommandLine.Command(name = "./ddsp", synopsisSubcommandLabel = "COMMAND",
            header = "ddsp4j: Differentiable Digital Signal Processing for the JVM",
            footer = {"", "./ddsp COMMAND --help (or ./ddsp help COMMAND) prints a command's options.",
                "Tab completion in bash: source <(./ddsp completion)"})
    static final class Root {}

    /**
     * The parser for {@code commands}, plus {@code help}; every command gets {@code -h/--help} and lists its options
     * in the order they are declared, and a repeated option keeps its last value, as before picocli.
     */
    static CommandLine commandLine(List<Command> commands) {
        CommandLine cl = new CommandLine(new Root());
        for (Command c : commands) cl.addSubcommand(c);
        cl.addSubcommand(new HelpCommand());
        cl.getSubcommands().get("help").getCommandSpec().usageMessage()
                .header("print the help of ./ddsp or, with a COMMAND, of that command");
        configure(cl.getCommandSpec());
        for (CommandLine sub : cl.getSubcommands().values()) configure(sub.getCommandSpec());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(true); // the terminal's width where it can be found
        return cl;
    }

    private static void configure(CommandSpec spec) {
        if (spec.helpCommand()) return; // picocli's help command: its own layout and -h
        boolean hasHeader = spec.usageMessage().header().length > 0, hasDescription = spec.usageMessage().description().length > 0;
        spec.usageMessage().sortOptions(false).sortSynopsis(false).synopsisHeading(hasHeader ? "%nUsage: " : "Usage: ")
                .descriptionHeading(hasDescription ? "%n" : "").parameterListHeading("%n").optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("print this help and exit").build());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return run(commandLine(commands()), args, System.out, System.err, System.getenv("DDSP_DEBUG") != null);
    }

    /**
     * Parses {@code args} with {@code cl}, runs the command they name, and reports any failure.
     *
     * @param out   where help goes (commands print their results to {@code System.out})
     * @param err   where errors go
     * @param debug print the stack trace of a failure too
     * @return the exit status
     */
    static int run(CommandLine cl, String[] args, PrintStream out, PrintStream err, boolean debug) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        if (args.length == 0) {
            cl.usage(out);
            return USAGE;
        }
        CommandLine current = cl;
        try {
            ParseResult parsed = cl.parseArgs(args);
            for (ParseResult p = parsed; p != null; p = p.subcommand()) {
                current = p.commandSpec().commandLine();
                // picocli skips unknown arguments when help is asked for; they are still an error
                if (!p.unmatched().isEmpty() && p.commandSpec().unmatchedArgsBindings().isEmpty()) {
                    throw new UnmatchedArgumentException(current, p.unmatched());
                }
            }
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) return help;
            if (!(current.getCommand() instanceof Command command)) { // only options of the top level
                current.usage(err);
                return USAGE;
            }
            return command.call();
        } catch (ParameterException e) {
            return usageError(e, args, out, err);
        } catch (Throwable t) { // Errors too: an OutOfMemoryError deserves a message, not a JVM stack dump
            err.println(prefix(current) + ": " + message(t));
            if (debug) t.printStackTrace(err);
            return FAILURE;
        }
    }

    /**
     * Prints a usage error with the usage of the command it concerns (or, when the command line asks for help
     * anywhere, as in {@code --data --help}, only the help).
     */
    private static int usageError(ParameterException e, String[] args, PrintStream out, PrintStream err) {
        CommandLine where = e.getCommandLine();
        // picocli checks required options before it reports unknown arguments; the unknown ones are the news
        if (!(e instanceof UnmatchedArgumentException) && !where.getUnmatchedArguments().isEmpty()
                && where.getCommandSpec().unmatchedArgsBindings().isEmpty()) {
            e = new UnmatchedArgumentException(where, where.getUnmatchedArguments());
        }
        if (!(e instanceof UnmatchedArgumentException) && asksForHelp(args)) {
            where.usage(out);
            return 0;
        }
        if (e instanceof UnmatchedArgumentException u && where.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().getFirst().startsWith("-")) {
            err.println("ddsp: unknown command '" + u.getUnmatched().getFirst() + "'. Run ./ddsp --help for the list.");
            UnmatchedArgumentException.printSuggestions(e, err);
            return USAGE;
        }
        err.println(prefix(where) + ": " + usageMessage(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        where.usage(err);
        return USAGE;
    }

    private static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("-h") || a.equals("--help")) return true;
        }
        return false;
    }

    /** picocli's message, except that unknown arguments are named as unknown options or unexpected arguments. */
    static String usageMessage(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return e.getMessage();
        List<String> options = new ArrayList<>(), others = new ArrayList<>();
        for (String a : u.getUnmatched()) (a.startsWith("-") && a.length() > 1 ? options : others).add("'" + a + "'");
        return options.isEmpty()
                ? (others.size() == 1 ? "unexpected argument " : "unexpected arguments ") + String.join(", ", others)
                : (options.size() == 1 ? "unknown option " : "unknown options ") + String.join(", ", options);
    }

    /** {@code ddsp} or {@code ddsp NAME}, the start of every error line. */
    private static String prefix(CommandLine c) {
        return c == null || c.getParent() == null ? "ddsp" : "ddsp " + c.getCommandName();
    }

    /**
     * What to tell the user about a failure: the message of the exception that matters (wrappers whose message
     * is only their cause are skipped), without {@code java.io.IOException: }-style class names; a file-system
     * error names what happened to which path; running out of memory or stack says how to give Java more.
     */
    static String message(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 100; c = c.getCause(), depth++) {
            if (c instanceof OutOfMemoryError oom) return memoryMessage(oom);
            if (c instanceof StackOverflowError) {
                return "out of stack space (StackOverflowError): give Java a larger thread stack, e.g. "
                        + "DDSP_JAVA_OPTS=-Xss64m ./ddsp ...";
            }
        }
        Throwable e = unwrap(t);
        if (e instanceof FileSystemException f && fileProblem(f) != null && f.getFile() != null) {
            return fileProblem(f) + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
        }
        String m = e.getMessage() == null || e.getMessage().isBlank() ? "" : stripClassNames(e.getMessage());
        if (isBug(e)) {
            return "internal error: " + e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m)
                    + " (DDSP_DEBUG=1 ./ddsp ... prints where)";
        }
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** Skips exceptions that only wrap another (their message is null or the cause's {@code toString()}). */
    private static Throwable unwrap(Throwable t) {
        for (int depth = 0; t.getCause() != null && depth < 100; depth++) {
            boolean wrapper = t instanceof ExecutionException || t instanceof CompletionException
                    || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                    || t.getMessage() == null || t.getMessage().equals(t.getCause().toString());
            if (!wrapper) break;
            t = t.getCause();
        }
        return t;
    }

    /** What a file-system exception means, in words; null for the general kind (its message says it). */
    private static String fileProblem(FileSystemException f) {
        return switch (f) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            case FileAlreadyExistsException _ -> "already exists";
            case DirectoryNotEmptyException _ -> "folder not empty";
            case NotDirectoryException _ -> "not a folder";
            case NotLinkException _ -> "not a symbolic link";
            case FileSystemLoopException _ -> "symbolic link loop";
            case AtomicMoveNotSupportedException _ -> "atomic move not supported";
            default -> null;
        };
    }

    private static final String[][] FILE_PROBLEM_NAMES = {
        {"NoSuchFileException", "no such file"}, {"AccessDeniedException", "permission denied"},
        {"FileAlreadyExistsException", "already exists"}, {"DirectoryNotEmptyException", "folder not empty"},
        {"NotDirectoryException", "not a folder"}, {"FileNotFoundException", "file not found"}};
    private static final Pattern CLASS_NAME_PREFIX =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*(?:Exception|Error)): ");

    /**
     * {@code "reading x: java.nio.file.NoSuchFileException: y"} becomes {@code "reading x: no such file: y"}, and
     * other {@code package.SomeException: } prefixes go.
     */
    static String stripClassNames(String message) {
        return CLASS_NAME_PREFIX.matcher(message).replaceAll(r -> {
            for (String[] n : FILE_PROBLEM_NAMES) if (n[0].equals(r.group(1))) return n[1] + ": ";
            return "";
        });
    }

    /** Exceptions that mean a mistake in the program rather than in its input. */
    private static boolean isBug(Throwable e) {
        return e instanceof NullPointerException || e instanceof IndexOutOfBoundsException || e instanceof ClassCastException
                || e instanceof ArithmeticException || e instanceof ArrayStoreException || e instanceof NegativeArraySizeException
                || (e instanceof Error && !(e instanceof VirtualMachineError));
    }

    /** Says which memory ran out and the {@code DDSP_JAVA_OPTS} setting that gives Java more of it. */
    static String memoryMessage(OutOfMemoryError e) {
        String what = e.getMessage() == null ? "" : e.getMessage();
        String lower = what.toLowerCase(Locale.ROOT);
        if (lower.contains("array size exceeds")) {
            return "out of memory (" + what + "): one array would exceed Java's 2^31-element limit; the input is "
                    + "too large to process in one piece";
        }
        if (lower.contains("direct buffer")) {
            return "out of memory (" + what + "): give Java more direct memory, e.g. "
                    + "DDSP_JAVA_OPTS=-XX:MaxDirectMemorySize=4g ./ddsp ...";
        }
        if (lower.contains("metaspace")) {
            return "out of memory (" + what + "): give Java more class metadata space, e.g. "
                    + "DDSP_JAVA_OPTS=-XX:MaxMetaspaceSize=1g ./ddsp ...";
        }
        if (lower.contains("native thread")) {
            return "out of memory (" + what + "): the system refused another thread; use fewer (--threads N) or "
                    + "raise the process limit (ulimit -u)";
        }
        long max = Runtime.getRuntime().maxMemory();
        String limit = max >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", max / (double) (1L << 30)) : (max >> 20) + " MiB";
        long suggest = (long) Math.max(8, 2 * Math.ceil(max / (double) (1L << 30)));
        return "out of memory (" + (what.isEmpty() ? "Java heap space" : what) + "; Java may use at most " + limit
                + "): give Java more with DDSP_JAVA_OPTS, e.g. DDSP_JAVA_OPTS=-Xmx" + suggest + "g ./ddsp ... "
                + "(./ddsp passes it to java), or ask for less (a shorter input, a smaller batch)";
    }
}
