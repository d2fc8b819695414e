package org.ddsp4j.cli;

import java.util.List;

/** Entry point of {@code ./ddsp}: dispatches to one {@link Command}. */
public final class Main {
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
                new StreamCommand(),
                new DemoCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printHelp();
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : commands()) {
            if (c.name().equals(args[0])) {
                String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
                if (rest.length > 0 && (rest[0].equals("--help") || rest[0].equals("-h"))) {
                    System.out.println(c.usage());
                    return 0;
                }
                try {
                    return c.run(rest);
                } catch (UsageException e) {
                    System.err.println("ddsp " + c.name() + ": " + e.getMessage());
                    System.err.println();
                    System.err.println(c.usage());
                    return 2;
                } catch (Exception e) {
                    System.err.println("ddsp " + c.name() + ": " + e.getMessage());
                    if (System.getenv("DDSP_DEBUG") != null) e.printStackTrace();
                    return 1;
                }
            }
        }
        System.err.println("ddsp: unknown command '" + args[0] + "'. Run ./ddsp --help for the list.");
        return 2;
    }

    private static void printHelp() {
        System.out.println("ddsp4j: Differentiable Digital Signal Processing for the JVM");
        System.out.println();
        System.out.println("usage: ./ddsp COMMAND [OPTIONS]     (./ddsp COMMAND --help for a command's options)");
        System.out.println();
        System.out.println("commands:");
        for (Command c : commands()) System.out.printf("  %-12s %s%n", c.name(), c.summary());
    }
}
