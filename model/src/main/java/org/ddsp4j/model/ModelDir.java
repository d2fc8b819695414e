package org.ddsp4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.io.Json;

/**
 * A model directory:
 * <pre>
 *   config.json                      the configuration the model was built from
 *   weights-STEP.safetensors         parameters at a checkpoint
 *   optimizer-STEP.safetensors       Adam's m and v at that checkpoint
 *   state.json                       {step, weights, optimizer, seconds, schedule}: the commit point of a checkpoint
 *   losses.csv                       step,loss[,eval_loss] history
 *   loss.png                         the loss curve
 *   stats.json                       training-set pitch/loudness statistics ({@link org.ddsp4j.data.DatasetStats})
 * </pre>
 * A checkpoint is written file by file (each atomically) and becomes current only when
 * {@code state.json} is replaced to name it; older weight/optimizer files are deleted afterwards, so
 * an interruption at any point leaves the previous checkpoint intact and loadable.
 */
public final class ModelDir {
    public static final String CONFIG = "config.json", STATE = "state.json", STATS = "stats.json",
            LOSSES = "losses.csv", CURVE = "loss.png";

    /**
     * The committed checkpoint; {@code optimizer} is null in an exported model ({@link #exportTo}), which
     * plays but cannot resume training. {@code schedule} is where the learning-rate schedule stood, in steps: the
     * step count, unless a time-limited run stretched the schedule over its budget ({@code Trainer}).
     */
    public record State(long step, String weights, String optimizer, double seconds, double schedule) {
        public State(long step, String weights, String optimizer, double seconds) {
            this(step, weights, optimizer, seconds, step);
        }

        public boolean resumable() {
            return optimizer != null;
        }
    }

    private final Path dir;

    public ModelDir(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public boolean hasCheckpoint() {
        return Files.isRegularFile(file(STATE));
    }

    public ModelConfig readConfig() throws IOException {
        Path p = file(CONFIG);
        if (!Files.isRegularFile(p)) throw new IOException(dir + " is not a model directory: " + CONFIG + " is missing (train one with ./ddsp train)");
        return ModelConfig.parse(Files.readString(p), p.toString());
    }

    public void writeConfig(ModelConfig cfg) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(file(CONFIG), cfg.toJson());
    }

    /**
     * The committed checkpoint. Every key is checked: a missing or mistyped one, or a file name that
     * leaves the directory (absolute, {@code ..}, a sub-folder) is an error naming {@code state.json}.
     */
    public State readState() throws IOException {
        Path p = file(STATE);
        if (!Files.isRegularFile(p)) throw new IOException(dir + " has no checkpoint (" + STATE + " is missing): train first");
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(p));
        } catch (IllegalArgumentException e) {
            throw new IOException(p + " is not valid JSON (" + e.getMessage() + "); the checkpoint record is damaged: "
                    + "restore it from a backup or train again");
        }
        double step = number(m, "step", p), seconds = number(m, "seconds", p);
        if (step < 0 || step != Math.rint(step)) throw new IOException(p + ": \"step\" must be a whole number >= 0, is " + step);
        String optimizer = m.containsKey("optimizer") && m.get("optimizer") == null ? null : fileName(m, "optimizer", "optimizer-", p);
        // Checkpoints written before the schedule was recorded stood at their step.
        double schedule = m.containsKey("schedule") ? number(m, "schedule", p) : step;
        if (!(schedule >= 0)) throw new IOException(p + ": \"schedule\" must be >= 0, is " + schedule);
        return new State((long) step, fileName(m, "weights", "weights-", p), optimizer, seconds, schedule);
    }

    private static double number(Map<String, Object> m, String key, Path p) throws IOException {
        if (!(m.get(key) instanceof Number n)) {
            throw new IOException(p + ": \"" + key + "\" is missing or not a number (" + m.get(key) + "); the checkpoint record is damaged");
        }
        return n.doubleValue();
    }

    private static String fileName(Map<String, Object> m, String key, String prefix, Path p) throws IOException {
        if (!(m.get(key) instanceof String s) || !s.startsWith(prefix) || !s.endsWith(".safetensors")
                || s.contains("/") || s.contains("\\") || s.contains("..")) {
            throw new IOException(p + ": \"" + key + "\" must name a " + prefix + "*.safetensors file inside the model directory, is "
                    + m.get(key));
        }
        return s;
    }

    /** Loads the configuration and the latest weights. */
    public Autoencoder loadModel() throws IOException {
        Autoencoder m = new Autoencoder(readConfig());
        Path w = file(readState().weights());
        if (!Files.isRegularFile(w)) {
            throw new IOException(w + " is missing, but " + file(STATE) + " names it as the latest weights; the model directory "
                    + "is incomplete (copied in part?)");
        }
        m.load(w);
        return m;
    }

    /**
     * Takes the directory for one training run: an exclusive lock on {@code .lock} (released when the
     * returned handle is closed or the process ends, even by {@code kill -9}); stale temporaries of
     * killed writes are removed.
     *
     * @throws IOException when another process holds it, naming that process
     */
    public Lock lock() throws IOException {
        Files.createDirectories(dir);
        Path lockFile = file(".lock");
        Path key = lockFile.toAbsolutePath().normalize();
        synchronized (HELD) {
            Lock mine = HELD.get(key);
            if (mine != null && mine.thread == Thread.currentThread()) {
                mine.depth++;   // re-entered by the thread that holds it (a command that locks, then its trainer)
                return mine;
            }
        }
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String holder = new String(Files.readAllBytes(lockFile), java.nio.charset.StandardCharsets.UTF_8).trim();
            ch.close();
            throw new IOException(dir + " is in use by " + (holder.isEmpty() ? "another process" : holder)
                    + ": wait until it finishes, stop it, or train into another --model directory");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap(("process " + ProcessHandle.current().pid() + " (ddsp train)\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0);
        AtomicFiles.removeStaleTemporaries(dir, 0);
        Lock held = new Lock(key, ch, l);
        synchronized (HELD) {
            HELD.put(key, held);
        }
        return held;
    }

    /** Locks this process holds, by lock file, so the holding thread can take its own lock again. */
    private static final Map<Path, Lock> HELD = new java.util.HashMap<>();

    /** The held lock of {@link #lock()}; re-entrant for the thread that took it. */
    public static final class Lock implements AutoCloseable {
        private final Path key;
        private final java.nio.channels.FileChannel channel;
        private final java.nio.channels.FileLock lock;
        private final Thread thread = Thread.currentThread();
        private int depth = 1;

        private Lock(Path key, java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            synchronized (HELD) {
                if (--depth > 0) return;
                HELD.remove(key);
            }
            channel.truncate(0);
            lock.release();
            channel.close();
        }
    }

    /** Writes a checkpoint: weights, optimizer state, then the commit ({@code state.json}); the schedule at {@code step}. */
    public void writeCheckpoint(Autoencoder model, org.ddsp4j.nn.Adam adam, long step, double seconds) throws IOException {
        writeCheckpoint(model, adam, step, seconds, step);
    }

    /** {@link #writeCheckpoint(Autoencoder, org.ddsp4j.nn.Adam, long, double)} with the schedule's position, in steps. */
    public void writeCheckpoint(Autoencoder model, org.ddsp4j.nn.Adam adam, long step, double seconds, double schedule) throws IOException {
        Files.createDirectories(dir);
        String w = weightsName(step), o = String.format("optimizer-%08d.safetensors", step);
        try {
            model.save(file(w));
            adam.saveState(file(o));
            writeState(new State(step, w, o, seconds, schedule));
        } catch (IOException e) {
            // Say which checkpoint survived: the failed one was never committed.
            String kept;
            try {
                kept = hasCheckpoint() ? "the checkpoint of step " + readState().step() + " is intact" : "no checkpoint was committed yet";
            } catch (IOException unreadable) {
                kept = "the previous checkpoint could not be read back either (" + unreadable.getMessage() + ")";
            }
            if (Files.isRegularFile(file(w)) && !w.equals(safeWeightsName())) {
                try {
                    Files.deleteIfExists(file(w));   // the uncommitted half of the failed checkpoint
                } catch (IOException ignored) {
                    // it stays; the next checkpoint's clean-up removes it
                }
            }
            throw new IOException("could not write the checkpoint of step " + step + " to " + dir + " (" + e.getMessage()
                    + "); " + kept + "; free some space or fix the folder, then resume with --resume", e);
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if ((n.startsWith("weights-") || n.startsWith("optimizer-")) && n.endsWith(".safetensors")
                        && !n.equals(w) && !n.equals(o)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes a copy for playing and shipping into {@code out}: the configuration, statistics, loss history and
     * curve, the latest weights at {@code precision}, and a {@code state.json} without optimizer state (so the
     * copy cannot be resumed; about a third of the size at F32, a sixth at F16). The copy is assembled in a
     * temporary sibling folder and renamed into place; an existing {@code out} is replaced only when
     * {@code replace} is set, and only after the new copy is complete.
     *
     * @return the exported directory
     */
    public ModelDir exportTo(Path out, org.ddsp4j.io.SafeTensors.Precision precision, boolean replace) throws IOException {
        State s = readState();
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(dir.toAbsolutePath().normalize())) throw new IOException("cannot export " + dir + " onto itself: choose another --output");
        if (Files.exists(target) && !replace) {
            throw new IOException(out + " already exists: choose another folder, or replace it with --overwrite");
        }
        Autoencoder model = loadModel();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".export-");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // the platform's default permissions stay
        }
        try {
            ModelDir copy = new ModelDir(tmp);
            Files.copy(file(CONFIG), copy.file(CONFIG));
            for (String optional : List.of(STATS, LOSSES, CURVE)) {
                if (Files.isRegularFile(file(optional))) Files.copy(file(optional), copy.file(optional));
            }
            String w = weightsName(s.step());
            model.save(copy.file(w), precision);
            copy.writeState(new State(s.step(), w, null, s.seconds(), s.schedule()));
            copy.loadModel();   // it must load before it replaces anything
            AtomicFiles.replaceDirectory(tmp, target);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        return new ModelDir(target);
    }

    private static String weightsName(long step) {
        return String.format("weights-%08d.safetensors", step);
    }

    /** Commits {@code s} ({@code state.json}, atomically): the checkpoint it names becomes current. */
    private void writeState(State s) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", (double) s.step());
        m.put("weights", s.weights());
        m.put("optimizer", s.optimizer());
        m.put("seconds", s.seconds());
        m.put("schedule", s.schedule());
        AtomicFiles.writeString(file(STATE), Json.write(m, true));
    }

    private String safeWeightsName() {
        try {
            return readState().weights();
        } catch (IOException e) {
            return "";
        }
    }

    /** Loss history rows {@code [step, loss, evalLoss or NaN]} up to and including {@code maxStep}. */
    public List<double[]> readLosses(long maxStep) throws IOException {
        List<double[]> out = new ArrayList<>();
        Path p = file(LOSSES);
        if (!Files.isRegularFile(p)) return out;
        for (String line : Files.readAllLines(p)) {
            if (line.isBlank() || line.startsWith("step")) continue;
            String[] f = line.split(",");
            double step = Double.parseDouble(f[0]);
            if (step > maxStep) continue;
            out.add(new double[] {step, Double.parseDouble(f[1]), f.length > 2 && !f[2].isEmpty() ? Double.parseDouble(f[2]) : Double.NaN});
        }
        return out;
    }

    /**
     * Writes {@code step,loss,eval_loss} rows; the losses at full double precision (the shortest text
     * that reads back to the same double), so a resumed run's history equals an uninterrupted one's.
     */
    public void writeLosses(List<double[]> rows) throws IOException {
        StringBuilder sb = new StringBuilder("step,loss,eval_loss\n");
        for (double[] r : rows) {
            sb.append((long) r[0]).append(',').append(r[1]).append(',');
            if (!Double.isNaN(r[2])) sb.append(r[2]);
            sb.append('\n');
        }
        AtomicFiles.writeString(file(LOSSES), sb.toString());
    }
}
