package org.ddsp4j.studio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Every name that comes from a request and becomes part of a path goes through here: ids are 32 random hex
 * digits, file and model names a short whitelist of characters (no separators, no dot first, so never
 * {@code ..}); the path they make is checked to lie inside its folder, with no symbolic link on the way out.
 * Anything else is refused with 400/404 before a file is touched.
 */
final class SafeNames {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}(\\.[A-Za-z0-9]{1,8})?");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private SafeNames() {}

    /** A fresh id: 128 random bits as 32 lowercase hex digits (unguessable, so one page cannot reach another's files). */
    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** {@code id} if it has the form of {@link #newId()}; otherwise 404 (a malformed id names nothing here). */
    static String requireId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) throw StudioException.notFound("no such " + what + ": '" + shown(id) + "'");
        return id;
    }

    /** A model name for a new training run: letters, digits, '-' and '_', 1 to 64 characters. */
    static String requireModelName(String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw StudioException.badRequest("model name '" + shown(name) + "': use 1 to 64 letters, digits, '-' or '_' "
                    + "(it becomes a folder name)");
        }
        return name;
    }

    /** Whether {@code name} could be a model name (for listing and looking up trained models). */
    static boolean isModelName(String name) {
        return name != null && MODEL.matcher(name).matches();
    }

    /**
     * The file {@code name} inside {@code folder}: a plain name (no separator, no leading dot) that resolves inside
     * the folder and is not a symbolic link; otherwise 404 with nothing read.
     */
    static Path inside(Path folder, String name) {
        if (name == null || !FILE.matcher(name).matches()) throw StudioException.notFound("no such file: '" + shown(name) + "'");
        Path base = folder.toAbsolutePath().normalize();
        Path p = base.resolve(name).normalize();
        // The pattern already rules out separators and "..": this is the second lock on the same door.
        if (!p.getParent().equals(base) || Files.isSymbolicLink(p)) throw StudioException.notFound("no such file: '" + shown(name) + "'");
        return p;
    }

    /** A name from a request, shortened and stripped of control characters, for an error message. */
    static String shown(String s) {
        if (s == null) return "";
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }
}
