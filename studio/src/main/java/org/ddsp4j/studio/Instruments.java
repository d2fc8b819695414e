package org.ddsp4j.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.model.ModelDir;

/**
 * The instruments a page may pick: the built-in ones ({@link Instrument#builtInNames()}), the models trained in
 * the studio's models folder (by name), or any model directory typed in as a path. Loaded instruments are kept
 * (the {@link #KEEP} last used), keyed by their folder and the time of their latest checkpoint, so a model that
 * is still training is reloaded when it writes a new one.
 */
final class Instruments {
    static final int KEEP = 4;

    /**
     * A loaded instrument.
     *
     * @param key   its folder and checkpoint time: renders made with another key are not reused
     * @param label what the page shows
     */
    record Loaded(String key, String label, Instrument instrument) {}

    private final Path models;
    private final Map<String, Loaded> cache = new LinkedHashMap<>(16, 0.75f, true);

    Instruments(Path models) {
        this.models = models;
    }

    Path models() {
        return models;
    }

    /** {@code [{id, label, kind}]}: built-in instruments, then the models folder's trained models. */
    List<Map<String, Object>> list() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : Instrument.builtInNames()) out.add(entry(n, n, "built-in"));
        for (String n : trainedNames()) out.add(entry(n, n + " (trained here)", "trained"));
        return out;
    }

    private static Map<String, Object> entry(String id, String label, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("label", label);
        m.put("kind", kind);
        return m;
    }

    /** Models in the models folder that have a checkpoint (a run still before its first one is not playable yet). */
    List<String> trainedNames() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(models)) return out;
        try (var s = Files.list(models)) {
            for (Path d : s.sorted().toList()) {
                String n = d.getFileName().toString();
                if (SafeNames.isModelName(n) && new ModelDir(d).hasCheckpoint()) out.add(n);
            }
        }
        return out;
    }

    /**
     * The instrument {@code spec} names: a built-in name, a model in the models folder, or a model directory's path.
     *
     * @throws StudioException 400 when it is none of these or cannot be loaded (the message says why)
     */
    Loaded get(String spec) {
        if (spec == null || spec.isBlank()) throw StudioException.badRequest("choose an instrument");
        Path dir = directoryOf(spec.strip());
        try {
            String key = dir.toRealPath() + "@" + Files.getLastModifiedTime(dir.resolve(ModelDir.STATE)).toMillis();
            synchronized (cache) {
                Loaded l = cache.get(key);
                if (l != null) return l;
            }
            Loaded l = new Loaded(key, spec.strip(), Instrument.load(dir));
            synchronized (cache) {
                cache.put(key, l);
                while (cache.size() > KEEP) cache.remove(cache.keySet().iterator().next());
            }
            return l;
        } catch (IOException | RuntimeException e) {
            if (e instanceof StudioException s) throw s;
            throw StudioException.badRequest("instrument '" + SafeNames.shown(spec) + "' could not be loaded: " + e.getMessage());
        }
    }

    /** The model folder of a spec; refuses what is not one, saying what would be. */
    private Path directoryOf(String spec) {
        if (Instrument.builtInNames().contains(spec)) return Path.of(System.getProperty(Instrument.INSTRUMENTS_PROPERTY), spec);
        if (SafeNames.isModelName(spec) && Files.isDirectory(models.resolve(spec))) {
            Path d = models.resolve(spec);
            if (!new ModelDir(d).hasCheckpoint()) {
                throw StudioException.badRequest("model '" + spec + "' has no checkpoint yet; wait for its first one (training)");
            }
            return d;
        }
        Path p = Path.of(spec);
        if (p.isAbsolute() || spec.contains("/") || spec.contains("\\")) {
            if (Files.isDirectory(p) && new ModelDir(p).hasCheckpoint()) return p;
            throw StudioException.badRequest("'" + SafeNames.shown(spec) + "' is not a model directory (a folder with config.json and "
                    + "state.json, written by ./ddsp train)");
        }
        List<String> names = new ArrayList<>(Instrument.builtInNames());
        try {
            names.addAll(trainedNames());
        } catch (IOException ignored) {
            // the list in the message is a courtesy
        }
        throw StudioException.badRequest("no instrument '" + SafeNames.shown(spec) + "'" + (names.isEmpty() ? "" : " (there are: "
                + String.join(", ", names) + ")") + "; or type the path of a model directory");
    }
}
