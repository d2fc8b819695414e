package org.ddsp4j.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.ddsp4j.studio.StudioOptions;
import org.ddsp4j.studio.StudioServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code ./ddsp studio}: starts the studio ({@link StudioServer}), a local web page to pick an instrument, upload or
 * record audio, move the sliders and listen, train a model and play live; prints its address, opens it in the
 * browser and runs until Ctrl-C (which stops a training run with a checkpoint).
 */
@CommandLine.Command(name = "studio", description = {
    "a local web page: pick an instrument, upload or record audio, move pitch, loudness and reverb and listen,",
    "see spectrograms and the decomposition, train a model, play live from the microphone (Ctrl-C stops)"})
public final class StudioCommand implements Command {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default ${DEFAULT-VALUE}; 0: any free one)")
    int port = StudioOptions.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "address to listen on (default ${DEFAULT-VALUE}: this machine only; the studio has no login)")
    String host = StudioOptions.DEFAULT_HOST;

    @Option(names = "--models", paramLabel = "DIR",
            description = "where models trained in the studio go, and are offered as instruments (default ${DEFAULT-VALUE})")
    Path models = StudioOptions.defaults().models();

    @Option(names = "--no-open", description = "do not open the page in the browser")
    boolean noOpen;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
        StudioOptions o = StudioOptions.defaults().withHost(host).withPort(port).withModels(models);
        if (!o.loopback()) {
            System.err.println("ddsp studio: warning: listening on " + host + ": other machines can reach the studio, which has "
                    + "no login and reads model and data folders on this machine");
        }
        StudioServer server = StudioServer.start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ddsp studio: stopping");
            server.close();
            stopped.countDown();
        }, "studio-shutdown"));
        URI uri = server.uri();
        System.out.println("ddsp studio: " + uri + "  (live: " + uri.resolve("/live") + "; Ctrl-C stops)");
        if (!noOpen) open(uri);
        stopped.await();
        return 0;
    }

    /** Opens the page in the desktop's browser when there is one; says so when there is none. */
    private static void open(URI uri) {
        try {
            if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(uri);
                return;
            }
            for (String opener : new String[] {"xdg-open", "open"}) {
                for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                    if (java.nio.file.Files.isExecutable(Path.of(dir, opener))) {
                        new ProcessBuilder(opener, uri.toString()).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                        return;
                    }
                }
            }
        } catch (Exception | Error e) { // a headless machine: the address above is enough
            // fall through
        }
        System.out.println("ddsp studio: open the address above in a browser");
    }
}
