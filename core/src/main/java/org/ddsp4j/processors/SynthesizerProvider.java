package org.ddsp4j.processors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes a {@link Synthesizer} from its section of a model configuration. Providers are found with
 * {@link ServiceLoader} (listed in {@code META-INF/services/org.ddsp4j.processors.SynthesizerProvider}), so a
 * new synthesizer is its class, its provider and one line there: a configuration names it in
 * {@code "synths"} and gives its section, and the model, training, offline rendering and streaming
 * take it up with no edit.
 */
public interface SynthesizerProvider {
    /** The name in a configuration's {@code "synths"} list and of its section, e.g. {@code harmonic}. */
    String name();

    /** The keys its section may hold (anything else is an unknown key). */
    List<String> keys();

    /**
     * Builds the synthesizer.
     *
     * @param section    its configuration section (JSON values: numbers as {@code Double}); missing keys take the defaults
     * @param source     where the configuration came from, for messages
     * @param sampleRate Hz
     * @param hop        samples per frame
     * @throws IllegalArgumentException naming the key and what is allowed
     */
    Synthesizer create(Map<String, Object> section, String source, int sampleRate, int hop);

    /** Every provider on the class path, by name. */
    static List<SynthesizerProvider> all() {
        List<SynthesizerProvider> out = new ArrayList<>();
        for (SynthesizerProvider p : ServiceLoader.load(SynthesizerProvider.class, SynthesizerProvider.class.getClassLoader())) out.add(p);
        return out;
    }

    /** The provider of {@code name}, or an error listing the known ones. */
    static SynthesizerProvider named(String name, String source) {
        List<String> known = new ArrayList<>();
        for (SynthesizerProvider p : all()) {
            if (p.name().equals(name)) return p;
            known.add(p.name());
        }
        throw new IllegalArgumentException("configuration " + source + ": unknown synthesizer '" + name + "' in synths; known: " + known);
    }

    /** An integer of a section, or its default; the message names the key. */
    static int integer(Map<String, Object> section, String section_, String key, Integer fallback, String source) {
        Object v = section.get(key);
        if (v == null && fallback != null) return fallback;
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("configuration " + source + ": " + section_ + "." + key + " must be an integer, is " + v);
        }
        return n.intValue();
    }

    /** A finite number of a section, or its default. */
    static double number(Map<String, Object> section, String section_, String key, Double fallback, String source) {
        Object v = section.get(key);
        if (v == null && fallback != null) return fallback;
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException("configuration " + source + ": " + section_ + "." + key + " must be a number, is " + v);
        }
        return n.doubleValue();
    }
}
