package org.ddsp4j.studio;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ddsp4j.io.Json;

/**
 * {@code ./ddsp studio}: a local web application on Javalin (Jetty 12). The studio page picks an instrument,
 * takes an upload or a recording, renders the transfer with the page's settings ({@link Renderer}) and shows the
 * spectrograms and the decomposition; it starts training runs ({@link TrainingJobs}); the live page streams the
 * microphone through a {@link org.ddsp4j.inference.LiveEngine} over a WebSocket ({@link LiveSessions}).
 *
 * <h2>Routes</h2>
 * <pre>
 *   GET  /, /live, /static/NAME              the pages ({@link WebAssets}, a fixed list)
 *   GET  /api/instruments                    built-in and trained instruments, the limits
 *   POST /api/uploads?name=FILE              the file's bytes (application/octet-stream) -> {id, seconds, ...}
 *   POST /api/render                         {upload, instrument, pitch, loudness, reverb, auto} -> file URLs, shifts, times
 *   GET  /files/UPLOAD/NAME                  an upload's input.wav, renders and figures
 *   POST /api/train, GET /api/train/current, GET /api/train/ID, POST /api/train/ID/stop
 *   SSE  /api/train/ID/events                progress and new losses, 4 times a second
 *   WS   /api/live?instrument=I              live transfer; GET /live-files/last-(input|output).wav
 * </pre>
 *
 * <h2>Files and limits</h2>
 * Everything the studio writes is under its work folder (uploads, renders, training data, the last live session)
 * and the models folder; files are served only from an upload's folder and the live folder, by names that
 * {@link SafeNames} accepts. Uploads are limited in bytes (counted, not trusted from the header) and seconds.
 * It listens on 127.0.0.1 unless told otherwise; see {@link RequestGuard} for what else keeps other sites out.
 */
public final class StudioServer implements AutoCloseable {
    private final StudioOptions options;
    private final Path work;
    private final boolean ownWork;
    private final Uploads uploads;
    private final Instruments instruments;
    private final TrainingJobs training;
    private final LiveSessions live;
    private final Renderer renderer;
    private final ExecutorService figures = Executors.newSingleThreadExecutor(r -> TrainingJobs.daemon(r, "studio-figures"));
    private final WebAssets assets = new WebAssets();
    private final RequestGuard guard;
    private final Javalin app;

    private StudioServer(StudioOptions o) throws IOException {
        options = o;
        ownWork = o.work() == null;
        work = ownWork ? Files.createTempDirectory("ddsp4j-studio-") : Files.createDirectories(o.work());
        uploads = new Uploads(work.resolve("uploads"), o.maxUploadBytes(), o.maxSeconds());
        instruments = new Instruments(o.models());
        training = new TrainingJobs(o.models(), work, uploads);
        live = new LiveSessions(instruments, work.resolve("live"));
        renderer = new Renderer(figures);
        guard = new RequestGuard(o.loopback());
        app = Javalin.create(this::configure);
    }

    /** Starts a studio; {@link #uri()} is where it answers. */
    public static StudioServer start(StudioOptions options) throws IOException {
        StudioServer s = new StudioServer(options);
        try {
            s.app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            s.close();
            throw new IOException("the studio could not listen on " + options.host() + ":" + options.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + (options.port() != 0 ? " (is another studio running? choose another --port)" : ""), e);
        }
        return s;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8300/}. */
    public URI uri() {
        String h = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + h + ":" + app.port() + "/");
    }

    public int port() {
        return app.port();
    }

    /** The session's work folder (uploads, renders, training data, the last live session). */
    public Path work() {
        return work;
    }

    /** The last closed live connection's input and output, or null. */
    LiveSessions.Recording lastLive() {
        return live.last();
    }

    /** The folder of an upload (tests read its renders). */
    Path uploadDir(String id) {
        return uploads.get(id).dir;
    }

    private void configure(JavalinConfig c) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = Http.MAX_JSON_BYTES; // JSON bodies; uploads are streamed and counted (Uploads)
        c.jetty.modifyWebSocketServletFactory(f -> {
            f.setMaxBinaryMessageSize(LiveWire.IN_HEADER + 4L * LiveWire.MAX_SAMPLES);
            f.setMaxTextMessageSize(4096);
            f.setIdleTimeout(Duration.ofMinutes(2));
        });
        var r = c.routes;
        r.before(ctx -> guard.check(ctx, RequestGuard.changes(ctx.method())));
        r.wsBeforeUpgrade(ctx -> guard.check(ctx, true));
        r.exception(StudioException.class, (e, ctx) -> ctx.status(e.status()).contentType("application/json")
                .result(Json.write(Map.of("error", e.getMessage()))));
        // The library's refusals of an input (a clip too long for memory, a model that cannot do this) are the user's to fix.
        r.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).contentType("application/json")
                .result(Json.write(Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage()))));
        r.exception(Exception.class, (e, ctx) -> {
            System.err.println("ddsp studio: " + ctx.method() + " " + ctx.path() + ": " + e);
            ctx.status(500).contentType("application/json").result(Json.write(Map.of("error", "internal error: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))));
        });

        r.get("/", ctx -> asset(ctx, "index.html"));
        r.get("/live", ctx -> asset(ctx, "live.html"));
        r.get("/static/{name}", ctx -> asset(ctx, ctx.pathParam("name")));
        r.get("/api/instruments", this::listInstruments);
        r.post("/api/uploads", this::upload);
        r.post("/api/render", this::render);
        r.get("/files/{upload}/{name}", this::uploadFile);
        r.post("/api/train", ctx -> Http.json(ctx, training.start(Http.body(ctx)).snapshot(new TrainingJob.Cursor(0, 0)).json()));
        r.get("/api/train/current", ctx -> {
            TrainingJob j = training.current();
            Http.json(ctx, j == null ? Map.of() : j.snapshot(new TrainingJob.Cursor(0, 0)).json());
        });
        r.get("/api/train/{id}", ctx -> Http.json(ctx, training.get(ctx.pathParam("id")).snapshot(new TrainingJob.Cursor(0, 0)).json()));
        r.post("/api/train/{id}/stop", ctx -> {
            training.get(ctx.pathParam("id")).stop();
            Http.json(ctx, Map.of("stopping", true));
        });
        r.sse("/api/train/{id}/events", client -> training.subscribe(client, training.get(client.ctx().pathParam("id"))));
        r.ws("/api/live", live::configure);
        r.get("/live-files/{name}", ctx -> {
            String n = ctx.pathParam("name");
            if (!n.equals(LiveSessions.LAST_INPUT) && !n.equals(LiveSessions.LAST_OUTPUT)) throw StudioException.notFound("no such file: '" + SafeNames.shown(n) + "'");
            sendFile(ctx, SafeNames.inside(live.dir(), n));
        });
    }

    private void asset(Context ctx, String name) {
        WebAssets.Asset a = assets.get(name);
        ctx.contentType(a.type()).header("Cache-Control", "no-cache").result(a.bytes());
    }

    private void listInstruments(Context ctx) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instruments", instruments.list());
        m.put("maxUploadBytes", options.maxUploadBytes());
        m.put("maxSeconds", options.maxSeconds());
        m.put("models", instruments.models().toAbsolutePath().toString());
        m.put("configs", TrainingJobs.CONFIGS);
        Http.json(ctx, m);
    }

    /** The request body is the file; the size is checked against the header first, then counted while reading. */
    private void upload(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.startsWith("application/octet-stream")) {
            throw new StudioException(415, "send the file's bytes as application/octet-stream");
        }
        String name = Uploads.displayName(ctx.queryParam("name"));
        long declared = ctx.req().getContentLengthLong();
        if (declared > options.maxUploadBytes()) {
            ctx.header("Connection", "close"); // the rest of the body is not read
            throw Uploads.tooLarge(name, options.maxUploadBytes());
        }
        Upload u;
        try (InputStream in = ctx.bodyInputStream()) {
            u = uploads.store(in, name);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id);
        m.put("name", u.name);
        m.put("seconds", u.seconds);
        m.put("input", fileUrl(u, Upload.INPUT));
        Http.json(ctx, m);
    }

    private void render(Context ctx) throws IOException {
        Map<String, Object> body = Http.body(ctx);
        Upload u = uploads.get(Http.string(body, "upload", null));
        Instruments.Loaded ins = instruments.get(Http.string(body, "instrument", null));
        Renderer.Settings s = new Renderer.Settings(Http.number(body, "pitch", 0, -36, 36), Http.number(body, "loudness", 0, -40, 40),
                Http.number(body, "reverb", 1, 0, 1), Http.bool(body, "auto", true));
        Map<String, Object> m = renderer.render(u, ins, s);
        for (String k : List.of("input", "output", "inputSpectrogram", "outputSpectrogram", "decomposition")) {
            m.put(k, fileUrl(u, (String) m.get(k)));
        }
        m.put("upload", u.id);
        m.put("instrument", ins.label());
        Http.json(ctx, m);
    }

    private static String fileUrl(Upload u, String name) {
        return "/files/" + u.id + "/" + name;
    }

    /** An upload's file; a figure still being drawn is waited for. */
    private void uploadFile(Context ctx) throws Exception {
        Upload u = uploads.get(ctx.pathParam("upload"));
        String name = ctx.pathParam("name");
        Path p = SafeNames.inside(u.dir, name);
        if (name.startsWith("source") || name.startsWith("upload")) throw StudioException.notFound("no such file: '" + name + "'");
        Future<?> pending = u.pendingFigures.get(name);
        if (pending != null) {
            try {
                pending.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new StudioException(503, "the figure " + name + " is still being drawn; reload it in a moment");
            }
        }
        sendFile(ctx, p);
    }

    private static void sendFile(Context ctx, Path p) throws IOException {
        if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw StudioException.notFound("no such file: '" + p.getFileName() + "' (old renders are deleted)");
        }
        String n = p.getFileName().toString();
        ctx.contentType(n.endsWith(".png") ? "image/png" : n.endsWith(".wav") ? "audio/wav" : "application/octet-stream");
        ctx.header("Cache-Control", "no-store");
        ctx.result(Files.readAllBytes(p));
    }

    /** Stops the server, any training run (with a checkpoint) and, when it made it, deletes the work folder. */
    @Override
    public void close() {
        try {
            app.stop();
        } catch (RuntimeException ignored) {
            // not started
        }
        try {
            training.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        figures.shutdownNow();
        if (ownWork) {
            try {
                org.ddsp4j.io.AtomicFiles.deleteTree(work);
            } catch (IOException ignored) {
                // a temporary folder; the system cleans it eventually
            }
        }
    }
}
