package org.ddsp4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.io.Json;

/**
 * A model/training configuration: a JSON tree of sections ({@code audio}, {@code decoder},
 * {@code harmonic}, {@code noise}, {@code reverb}, {@code loss}, {@code train}, {@code encoder}) of
 * named values. Built-in configurations live in {@code org/ddsp4j/model/configs/NAME.json}
 * ({@link #BUILT_IN}); any file with the same layout can be loaded from a path, and every value can
 * be overridden with {@code section.key=value} ({@link #set}).
 *
 * <p>Overrides are typed by the value they replace (number, boolean, string, list of numbers as
 * {@code 2048,1024}); unknown keys are rejected with the list of valid ones, so a typo never passes
 * silently.
 */
public final class ModelConfig {
    /** Names of the configurations shipped as resources. */
    public static final List<String> BUILT_IN = List.of("solo", "tiny", "nsynth", "pytorch-default");

    private final Map<String, Object> root;

    private ModelConfig(Map<String, Object> root) {
        this.root = root;
    }

    /** Parses a configuration from JSON text; {@code source} names it in error messages. */
    public static ModelConfig parse(String json, String source) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        ModelConfig c = new ModelConfig(m);
        c.validate(source);
        return c;
    }

    /** A built-in configuration by name (see {@link #BUILT_IN}). */
    public static ModelConfig builtIn(String name) {
        try (InputStream in = ModelConfig.class.getResourceAsStream("configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown configuration '" + name + "': built-in ones are " + BUILT_IN
                        + ", or give a path to a .json file");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in configuration " + name, e);
        }
    }

    /** A built-in name, or else a path to a JSON file. */
    public static ModelConfig load(String nameOrPath) throws IOException {
        if (BUILT_IN.contains(nameOrPath)) return builtIn(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return parse(Files.readString(p), p.toString());
        return builtIn(nameOrPath); // throws with the list of names
    }

    /** Applies overrides {@code section.key=value}; returns this. */
    public ModelConfig setAll(List<String> assignments) {
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("override '" + a + "' must look like section.key=value, e.g. decoder.gru_units=256");
            set(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return this;
    }

    /** Sets {@code path} (e.g. {@code decoder.gru_units}) from text, typed like the current value. */
    @SuppressWarnings("unchecked")
    public ModelConfig set(String path, String text) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object o = m.get(parts[i]);
            if (!(o instanceof Map)) throw new IllegalArgumentException("unknown configuration key '" + path + "': '" + parts[i] + "' is not a section; sections are " + sections(m));
            m = (Map<String, Object>) o;
        }
        String key = parts[parts.length - 1];
        Object old = m.get(key);
        if (old == null) throw new IllegalArgumentException("unknown configuration key '" + path + "'; keys here are " + m.keySet());
        Object value;
        try {
            value = switch (old) {
                case Double d -> Double.parseDouble(text);
                case Boolean b -> parseBoolean(text);
                case List<?> l -> {
                    List<Object> out = new ArrayList<>();
                    for (String s : text.replace("[", "").replace("]", "").split(",")) {
                        if (!s.isBlank()) out.add(Double.parseDouble(s.trim()));
                    }
                    yield out;
                }
                case Map<?, ?> mm -> throw new IllegalArgumentException("'" + path + "' is a section, set one of its keys " + mm.keySet());
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("override " + path + "=" + text + ": expected a number", e);
        }
        m.put(key, value);
        return this;
    }

    private static boolean parseBoolean(String s) {
        return switch (s.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        };
    }

    private static List<String> sections(Map<String, Object> m) {
        List<String> s = new ArrayList<>();
        for (var e : m.entrySet()) if (e.getValue() instanceof Map) s.add(e.getKey());
        return s;
    }

    private Object raw(String path) {
        Object o = root;
        for (String p : path.split("\\.")) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(p)) {
                throw new IllegalArgumentException("configuration has no value '" + path + "'");
            }
            o = m.get(p);
        }
        return o;
    }

    public double getDouble(String path) {
        Object o = raw(path);
        if (!(o instanceof Number n)) throw new IllegalArgumentException("configuration value " + path + " must be a number, is " + o);
        return n.doubleValue();
    }

    /** A number that older configurations may lack: {@code fallback} when {@code path} is absent. */
    public double getDouble(String path, double fallback) {
        Object o = root;
        for (String p : path.split("\\.")) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(p)) return fallback;
            o = m.get(p);
        }
        return getDouble(path);
    }

    /** An integer value; fails if the number has a fractional part. */
    public int getInt(String path) {
        double d = getDouble(path);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new IllegalArgumentException("configuration value " + path + " must be an integer, is " + d);
        return (int) d;
    }

    public float getFloat(String path) {
        return (float) getDouble(path);
    }

    public boolean getBoolean(String path) {
        Object o = raw(path);
        if (!(o instanceof Boolean b)) throw new IllegalArgumentException("configuration value " + path + " must be true or false, is " + o);
        return b;
    }

    public String getString(String path) {
        return String.valueOf(raw(path));
    }

    public int[] getIntArray(String path) {
        Object o = raw(path);
        if (!(o instanceof List<?> l)) throw new IllegalArgumentException("configuration value " + path + " must be a list of integers, is " + o);
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
        return r;
    }

    /** Samples per frame: {@code sample_rate / frame_rate}. */
    public int hop() {
        return getInt("audio.sample_rate") / getInt("audio.frame_rate");
    }

    public int sampleRate() {
        return getInt("audio.sample_rate");
    }

    public int frameRate() {
        return getInt("audio.frame_rate");
    }

    /** Frames per training example. */
    public int exampleFrames() {
        return (int) Math.round(getDouble("audio.example_seconds") * frameRate());
    }

    /** The configuration as pretty JSON (what {@code config.json} in a model directory holds). */
    public String toJson() {
        return Json.write(root, true);
    }

    /** A deep copy. */
    public ModelConfig copy() {
        return parse(toJson(), getString("name"));
    }

    private void validate(String source) {
        for (String s : List.of("audio.sample_rate", "audio.frame_rate", "decoder.hidden", "decoder.layers_per_stack",
                "decoder.gru_units", "harmonic.n_harmonics", "noise.n_bands", "reverb.taps", "train.batch")) {
            int v = getInt(s);
            if (v < 0 || (v == 0 && !s.equals("decoder.layers_per_stack") && !s.equals("reverb.taps"))) {
                throw new IllegalArgumentException("configuration " + source + ": " + s + " must be positive, is " + v);
            }
        }
        int sr = sampleRate(), fr = frameRate();
        if (sr % fr != 0) {
            throw new IllegalArgumentException("configuration " + source + ": audio.frame_rate " + fr
                    + " must divide audio.sample_rate " + sr + " (whole samples per frame)");
        }
        String rev = getString("reverb.type");
        if (!List.of("learned", "exp_decay", "none").contains(rev)) {
            throw new IllegalArgumentException("configuration " + source + ": reverb.type must be learned, exp_decay or none, is '" + rev + "'");
        }
    }

    /** Validates again after overrides (call once all {@code --set} values are applied). */
    public ModelConfig check() {
        validate(getString("name"));
        return this;
    }

    /** The whole tree (a live view; for inspection and tests). */
    public Map<String, Object> tree() {
        return new LinkedHashMap<>(root);
    }
}
