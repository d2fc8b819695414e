package org.ddsp4j.studio;

import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ddsp4j.io.Json;
import org.ddsp4j.train.TrainingRun;

/**
 * Training runs started from the page, one at a time (they take every core). A run trains in this process
 * on its own thread through {@link TrainingRun}, the code path of {@code ./ddsp train}, into
 * {@code models/NAME}; its data is a folder on this machine (a prepared dataset or recordings) or the
 * session's uploads, copied into the work folder. Progress reaches the page as Server-Sent Events, at most
 * {@link #TICK_MS} apart, each with the losses since the last.
 */
final class TrainingJobs implements AutoCloseable {
    static final int TICK_MS = 250;
    static final long MAX_STEPS = 1_000_000;
    /** Configurations the page offers (built-in names). */
    static final List<String> CONFIGS = List.of("tiny", "solo");

    private final Path models, work;
    private final Uploads uploads;
    private final Map<String, TrainingJob> jobs = new ConcurrentHashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "studio-progress"));
    private volatile TrainingJob running;
    private volatile Thread runner;

    /** A page following a job: its connection and how far it has read. */
    private static final class Subscriber {
        final SseClient client;
        final TrainingJob job;
        TrainingJob.Cursor cursor = new TrainingJob.Cursor(0, 0);

        Subscriber(SseClient client, TrainingJob job) {
            this.client = client;
            this.job = job;
        }
    }

    TrainingJobs(Path models, Path work, Uploads uploads) {
        this.models = models;
        this.work = work;
        this.uploads = uploads;
        ticker.scheduleWithFixedDelay(this::publish, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a run from the page's request: {@code model} (new name), {@code folder} (a path on this machine) or
     * {@code uploads} (ids), {@code config} (one of {@link #CONFIGS}), {@code settings} ({@code key=value} strings,
     * as {@code ./ddsp train --set}; checked key by key), {@code steps}, {@code minutes}.
     */
    synchronized TrainingJob start(Map<String, Object> body) throws IOException {
        String name = SafeNames.requireModelName(Http.string(body, "model", null));
        String config = Http.string(body, "config", "tiny");
        if (!CONFIGS.contains(config)) throw StudioException.badRequest("configuration '" + SafeNames.shown(config) + "': choose one of " + CONFIGS);
        List<String> settings = Http.strings(body, "settings");
        try {
            org.ddsp4j.model.ModelConfig.builtIn(config).with(settings);
        } catch (IllegalArgumentException e) {
            throw StudioException.badRequest("settings: " + e.getMessage());
        }
        long steps = Math.round(Http.number(body, "steps", 300, 1, MAX_STEPS));
        double minutes = Http.number(body, "minutes", 10, 0.05, 24 * 60);
        TrainingJob r = running;
        if (r != null && !r.finished()) {
            throw new StudioException(409, "a training run (" + r.model + ") is going on; stop it or wait for it to finish");
        }
        Path modelDir = models.resolve(name);
        if (Files.exists(modelDir)) {
            throw new StudioException(409, "a model named '" + name + "' exists already in " + models + "; choose another name");
        }
        String id = SafeNames.newId();
        Path data = data(body, id);
        Files.createDirectories(models);
        TrainingJob job = new TrainingJob(id, name, modelDir, steps,
                new TrainingRun.Request(data, modelDir, config, settings, steps, minutes * 60, false));
        jobs.put(id, job);
        running = job;
        runner = Thread.ofPlatform().name("studio-training").daemon().start(job::runHere);
        return job;
    }

    /** The data folder of a request: the folder it names, or its uploads copied into a folder of the job. */
    private Path data(Map<String, Object> body, String id) throws IOException {
        String folder = Http.string(body, "folder", "").strip();
        List<String> ids = Http.strings(body, "uploads");
        if (!folder.isEmpty() == !ids.isEmpty()) {
            throw StudioException.badRequest("give either a folder of recordings (or a prepared dataset) on this machine, "
                    + "or use your uploads, as training data");
        }
        if (!folder.isEmpty()) {
            Path p = Path.of(folder);
            if (!Files.isDirectory(p)) throw StudioException.badRequest("training data: '" + SafeNames.shown(folder) + "' is not a folder on this machine");
            return p;
        }
        Path dir = Files.createDirectories(work.resolve("train").resolve(id));
        for (String u : ids) {
            Upload up = uploads.get(u);
            Files.copy(up.source, dir.resolve(up.id + "-" + up.source.getFileName()));
        }
        return dir;
    }

    TrainingJob get(String id) {
        TrainingJob j = jobs.get(SafeNames.requireId(id, "training run"));
        if (j == null) throw StudioException.notFound("no such training run: '" + id + "'");
        return j;
    }

    /** Follows a job: the whole state at once, then what changes, until it ends. */
    void subscribe(SseClient client, TrainingJob job) {
        client.keepAlive();
        Subscriber s = new Subscriber(client, job);
        subscribers.add(s);
        client.onClose(() -> subscribers.remove(s));
        ticker.execute(this::publish); // the first event now, not a tick later
    }

    /** Sends each subscriber what is new; ends the stream after a finished job's last state. */
    private synchronized void publish() {
        for (Subscriber s : subscribers) {
            try {
                if (s.client.terminated()) {
                    subscribers.remove(s);
                    continue;
                }
                boolean done = s.job.finished(); // read first: the snapshot after it holds everything up to the end
                TrainingJob.Snapshot snap = s.job.snapshot(s.cursor);
                s.cursor = snap.next();
                s.client.sendEvent("progress", Json.write(snap.json()));
                if (done) {
                    subscribers.remove(s);
                    s.client.close();
                }
            } catch (RuntimeException e) { // a page gone away: forget it, keep the others
                subscribers.remove(s);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        TrainingJob r = running;
        if (r != null) r.stop();
        Thread t = runner;
        if (t != null) t.join(30_000);
        ticker.shutdownNow();
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The run started last (going on or finished), or null: a page opened later finds it. */
    TrainingJob current() {
        return running;
    }
}
