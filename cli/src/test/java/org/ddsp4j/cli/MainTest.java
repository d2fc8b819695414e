package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a whole: help, usage errors, the error printer, the completion script. */
class MainTest {
    /** Exit status, stdout (help) and stderr (errors) of one run. */
    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        return run(Main.commandLine(Main.commands()), false, args);
    }

    static Run run(CommandLine cl, boolean debug, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(cl, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), debug);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (Command c : Main.commands()) names.add(new CommandLine(c).getCommandName());
        return names;
    }

    @Test
    void helpIsAcceptedAnywhere() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
            Run r = run(args);
            assertEquals(0, r.status(), String.join(" ", args));
            for (String name : commandNames()) assertTrue(r.out().contains("  " + name + " "), name + " listed:\n" + r.out());
        }
        Run none = run();
        assertEquals(2, none.status(), "no arguments: help and a usage error");
        assertTrue(none.out().contains("Usage: ./ddsp"), none.out());
        for (String[] args : List.of(new String[] {"train", "--help"}, new String[] {"train", "-h"},
                new String[] {"train", "--data", "x", "--help"}, new String[] {"train", "--data", "x", "--model", "y", "-h"},
                new String[] {"train", "--data", "--help"}, new String[] {"train", "--steps", "many", "--help"},
                new String[] {"help", "train"})) {
            Run r = run(args);
            assertEquals(0, r.status(), String.join(" ", args) + "\n" + r.err());
            assertTrue(r.out().contains("Usage: ./ddsp train"), r.out());
            assertTrue(r.out().contains("--set=KEY=VALUE"), "options come from the fields:\n" + r.out());
            assertEquals("", r.err());
        }
        for (String name : commandNames()) {
            Run r = run(name, "--help");
            assertEquals(0, r.status(), name);
            assertTrue(r.out().contains("Usage: ./ddsp " + name), r.out());
            assertTrue(r.out().contains("-h, --help"), r.out());
        }
    }

    @Test
    void unknownOptionsAreUsageErrorsNamingThem() {
        for (String name : commandNames()) {
            if (name.equals("prepare")) continue; // hands options it does not know to Beam, see below
            Run r = run(name, "--no-such-option", "3");
            assertEquals(2, r.status(), name);
            assertTrue(r.err().startsWith("ddsp " + name + ": unknown option '--no-such-option'"), r.err());
            assertTrue(r.err().contains("Usage: ./ddsp " + name), "the usage follows:\n" + r.err());
        }
        Run typo = run("train", "--data", "d", "--model", "m", "--step", "3");
        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("unknown option '--step'"), typo.err());
        assertTrue(typo.err().contains("--steps"), "a suggestion:\n" + typo.err());

        Run withHelp = run("train", "--bogus", "--help");
        assertEquals(2, withHelp.status(), "--help does not hide an unknown option");
        assertTrue(withHelp.err().contains("unknown option '--bogus'"), withHelp.err());

        Run missingToo = run("train", "--bogus");
        assertEquals(2, missingToo.status());
        assertTrue(missingToo.err().contains("unknown option '--bogus'"), "named before the missing --data:\n" + missingToo.err());

        Run top = run("--bogus");
        assertEquals(2, top.status());
        assertTrue(top.err().contains("unknown option '--bogus'"), top.err());

        Run command = run("trian");
        assertEquals(2, command.status());
        assertTrue(command.err().contains("unknown command 'trian'"), command.err());
    }

    @Test
    void extraPositionalArgumentsAreUsageErrorsNamingThem() {
        Run r = run("train", "--data", "d", "--model", "m", "extra");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ddsp train: unexpected argument 'extra'"), r.err());

        Run two = run("features", "a.wav", "b.wav", "--output", "x.csv");
        assertEquals(2, two.status());
        assertTrue(two.err().startsWith("ddsp features: unexpected argument 'b.wav'"), two.err());

        Run stray = run("prepare", "--input", "in", "--output", "out", "--runner", "DirectRunner", "--overwrite", "stray");
        assertEquals(2, stray.status());
        assertTrue(stray.err().startsWith("ddsp prepare: unexpected argument 'stray'"), stray.err());

        Run missing = run("features", "--output", "x.csv");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("AUDIO"), missing.err());
    }

    @Test
    void completionScriptCoversEveryCommand(@TempDir Path tmp) throws Exception {
        Run r = run("completion");
        assertEquals(0, r.status(), r.err());
        String script = r.out();
        assertTrue(script.contains("complete -F _complete_ddsp"), "registers itself for ddsp");
        for (String name : commandNames()) assertTrue(script.contains(name), name);
        assertTrue(script.contains("--no-reverb") && script.contains("--set"), "options are completed too");

        // bash reads it, and completing "./ddsp tr" offers train and transfer
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash");
        Path file = Files.writeString(tmp.resolve("ddsp-completion.bash"), script);
        String probe = "source '" + file + "' 2>/dev/null; COMP_WORDS=(./ddsp tr); COMP_CWORD=1; COMP_LINE='./ddsp tr'; "
                + "COMP_POINT=${#COMP_LINE}; _complete_ddsp 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        Process p = new ProcessBuilder("/bin/bash", "--norc", "-c", probe).redirectErrorStream(true).start();
        String offered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("train transfer", offered);
    }

    /** A command that throws what it is given, to see what {@link Main} makes of it. */
    @CommandLine.Command(name = "boom")
    static final class Boom implements Command {
        final Throwable toThrow;

        Boom(Throwable toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() throws Exception {
            if (toThrow instanceof Exception e) throw e;
            throw (Error) toThrow;
        }
    }

    static Run boom(Throwable t, boolean debug) {
        return run(Main.commandLine(List.of(new Boom(t))), debug, "boom");
    }

    @Test
    void outOfMemoryTellsHowToGiveJavaMore() {
        String m = Main.message(new OutOfMemoryError("Java heap space"));
        assertTrue(m.startsWith("out of memory (Java heap space"), m);
        assertTrue(m.matches(".*DDSP_JAVA_OPTS=-Xmx\\d+g \\./ddsp.*"), m);
        assertEquals(m, Main.message(new RuntimeException("worker failed", new OutOfMemoryError("Java heap space"))),
                "found behind a wrapper too");
        assertTrue(Main.message(new OutOfMemoryError("Direct buffer memory")).contains("-XX:MaxDirectMemorySize"));
        assertTrue(Main.message(new StackOverflowError()).contains("DDSP_JAVA_OPTS=-Xss"));

        Run r = boom(new OutOfMemoryError("Java heap space"), false);
        assertEquals(1, r.status(), "an Error is caught like an exception");
        assertEquals("ddsp boom: " + m + System.lineSeparator(), r.err());
    }

    @Test
    void messagesLoseClassNamesAndSayWhatHappenedToAPath() {
        assertEquals("no such file: /data/x.wav", Main.message(new NoSuchFileException("/data/x.wav")));
        assertEquals("permission denied: /models/m", Main.message(new AccessDeniedException("/models/m")));
        assertEquals("already exists: out.wav", Main.message(new FileAlreadyExistsException("out.wav")));
        assertEquals("no such file: /a -> /b (rename)", Main.message(new NoSuchFileException("/a", "/b", "rename")));
        assertEquals("no such file: /data/x.wav", Main.message(new UncheckedIOException(new NoSuchFileException("/data/x.wav"))));
        assertEquals("permission denied: /m", Main.message(new ExecutionException(new IOException(new AccessDeniedException("/m")))));
        assertEquals("loading m: truncated", Main.message(new RuntimeException("loading m: java.io.IOException: truncated")));
        assertEquals("reading x: no such file: /y",
                Main.message(new IllegalStateException("reading x: java.nio.file.NoSuchFileException: /y")));
        assertEquals("shape [2, 3] vs [3, 2]", Main.message(new IllegalArgumentException("shape [2, 3] vs [3, 2]")));
        assertTrue(Main.message(new NullPointerException()).startsWith("internal error: NullPointerException"));
    }

    @Test
    void failuresPrintOneCleanLineWithoutDdspDebug(@TempDir Path tmp) {
        Run r = boom(new UncheckedIOException(new NoSuchFileException("/data/x.wav")), false);
        assertEquals(1, r.status());
        assertEquals("ddsp boom: no such file: /data/x.wav" + System.lineSeparator(), r.err());

        Path missing = tmp.resolve("missing.wav");
        Run real = run("features", missing.toString(), "--output", tmp.resolve("f.csv").toString());
        assertEquals(1, real.status());
        assertTrue(real.err().startsWith("ddsp features: ") && real.err().contains(missing.toString()), real.err());
        assertEquals(1, real.err().lines().count(), "one line:\n" + real.err());
        assertFalse(real.err().contains("\tat ") || real.err().contains("Exception"), real.err());

        Run debug = boom(new UncheckedIOException(new NoSuchFileException("/data/x.wav")), true);
        assertTrue(debug.err().startsWith("ddsp boom: no such file: /data/x.wav"), debug.err());
        assertTrue(debug.err().contains("\tat "), "DDSP_DEBUG adds the stack trace:\n" + debug.err());
    }
}
