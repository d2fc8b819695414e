package org.ddsp4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic file writes: data goes to a temporary file in the target's folder, is forced to disk,
 * and is then renamed over the target, and the folder is forced too (so the rename survives a power
 * loss). A process killed mid-write leaves the old file intact (and at worst a stray
 * {@code .NAME.*.tmp} file, see {@link #removeStaleTemporaries}), never a truncated one. New files get
 * the permissions of the process's umask (as any file it creates), not a private 0600.
 */
public final class AtomicFiles {
    /** Writes the bytes of one file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Atomically replaces {@code target} with what {@code writer} writes. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = newTemporary(dir, abs.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** A new empty file {@code .NAME.<random>.tmp} beside the target, created with the umask's permissions. */
    private static Path newTemporary(Path dir, String name) throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = (dir == null ? Path.of("") : dir).resolve("." + name + "." + Long.toUnsignedString(r.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    /** Forces a folder's entries to disk (Linux, macOS); silently skipped where a folder cannot be opened. */
    private static void forceDirectory(Path dir) {
        if (dir == null) return;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open folders; the rename itself is still atomic there.
        }
    }

    /**
     * Deletes the temporary files that writes killed mid-way left in {@code dir} ({@code .NAME.*.tmp}),
     * when they are older than {@code minAgeMillis} (so a live writer's file is not taken).
     *
     * @return how many were deleted
     */
    public static int removeStaleTemporaries(Path dir, long minAgeMillis) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        long now = System.currentTimeMillis();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") && f.endsWith(".tmp") && Files.isRegularFile(p)
                        && now - Files.getLastModifiedTime(p).toMillis() >= minAgeMillis && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with UTF-8 {@code text}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * Puts the complete folder {@code ready} at {@code target} (a sibling on the same file system): an existing
     * {@code target} is first renamed aside, then {@code ready} is renamed in, then the old copy is deleted. A
     * crash leaves either the old folder at {@code target} or the new one, never a mix.
     */
    public static void replaceDirectory(Path ready, Path target) throws IOException {
        Path aside = null;
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            aside = target.resolveSibling("." + target.getFileName() + ".replaced-" + java.util.UUID.randomUUID());
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(ready, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (aside != null) Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);   // put the old one back
            throw e;
        }
        if (aside != null) deleteTree(aside);
    }
}
