package org.ddsp4j.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's files (HTML, CSS, JavaScript, the AudioWorklet processors), read once from the class path. Only the
 * names listed here are served, so no request reaches another resource; there is no front-end build and
 * nothing is fetched from the network (no CDN, no web fonts).
 */
final class WebAssets {
    /** Folder of the files on the class path. */
    static final String ROOT = "/org/ddsp4j/studio/web/";

    /** Name to content type. */
    static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "live.html", "text/html; charset=utf-8",
            "studio.css", "text/css; charset=utf-8",
            "common.js", "text/javascript; charset=utf-8",
            "studio.js", "text/javascript; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8",
            "capture-worklet.js", "text/javascript; charset=utf-8",
            "playback-worklet.js", "text/javascript; charset=utf-8");

    /** A file and its type. */
    record Asset(byte[] bytes, String type) {}

    private final Map<String, Asset> assets;

    WebAssets() {
        var m = new java.util.HashMap<String, Asset>();
        for (var e : TYPES.entrySet()) {
            try (InputStream in = WebAssets.class.getResourceAsStream(ROOT + e.getKey())) {
                if (in == null) throw new IllegalStateException("studio resource " + ROOT + e.getKey() + " is missing from the build");
                m.put(e.getKey(), new Asset(in.readAllBytes(), e.getValue()));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
        assets = Map.copyOf(m);
    }

    /** The asset of this name, or 404. */
    Asset get(String name) {
        Asset a = name == null ? null : assets.get(name);
        if (a == null) throw StudioException.notFound("no such file: '" + SafeNames.shown(name) + "'");
        return a;
    }
}
