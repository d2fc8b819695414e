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
 *   state.json                       {step, weights, optimizer, seconds}: the commit point of a checkpoint
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

    /** The committed checkpoint. */
    public record State(long step, String weights, String optimizer, double seconds) {}

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

    public State readState() throws IOException {
        Path p = file(STATE);
        if (!Files.isRegularFile(p)) throw new IOException(dir + " has no checkpoint (" + STATE + " is missing): train first");
        Map<String, Object> m = Json.parseObject(Files.readString(p));
        return new State(((Number) m.get("step")).longValue(), (String) m.get("weights"), (String) m.get("optimizer"),
                ((Number) m.get("seconds")).doubleValue());
    }

    /** Loads the configuration and the latest weights. */
    public Autoencoder loadModel() throws IOException {
        Autoencoder m = new Autoencoder(readConfig());
        m.load(file(readState().weights()));
        return m;
    }

    /** Writes a checkpoint: weights, optimizer state, then the commit ({@code state.json}). */
    public void writeCheckpoint(Autoencoder model, org.ddsp4j.nn.Adam adam, long step, double seconds) throws IOException {
        Files.createDirectories(dir);
        String w = String.format("weights-%08d.safetensors", step), o = String.format("optimizer-%08d.safetensors", step);
        model.save(file(w));
        adam.saveState(file(o));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step", (double) step);
        s.put("weights", w);
        s.put("optimizer", o);
        s.put("seconds", seconds);
        AtomicFiles.writeString(file(STATE), Json.write(s, true));
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

    public void writeLosses(List<double[]> rows) throws IOException {
        StringBuilder sb = new StringBuilder("step,loss,eval_loss\n");
        for (double[] r : rows) {
            sb.append((long) r[0]).append(',').append((float) r[1]).append(',');
            if (!Double.isNaN(r[2])) sb.append((float) r[2]);
            sb.append('\n');
        }
        AtomicFiles.writeString(file(LOSSES), sb.toString());
    }
}
