package org.ddsp4j.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.AudioFormatException;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.io.AtomicFiles;

/**
 * The uploads of a studio session, each in its own folder under {@code root}: stored with a size limit (counted
 * while reading, whatever the request declared), decoded once to refuse what is not audio, too long or corrupt
 * with a message naming the file, and kept for the {@link #KEEP} most recent.
 */
final class Uploads {
    /** Uploads kept; older ones (folders and analyses) are deleted. */
    static final int KEEP = 20;

    private final Path root;
    private final long maxBytes;
    private final double maxSeconds;
    private final Map<String, Upload> byId = new LinkedHashMap<>();

    Uploads(Path root, long maxBytes, double maxSeconds) throws IOException {
        this.root = Files.createDirectories(root);
        this.maxBytes = maxBytes;
        this.maxSeconds = maxSeconds;
    }

    long maxBytes() {
        return maxBytes;
    }

    double maxSeconds() {
        return maxSeconds;
    }

    /**
     * Stores a request body as a new upload.
     *
     * @param body       the bytes of the file
     * @param clientName the browser's file name (for messages only)
     * @throws StudioException 413 over {@link #maxBytes} or {@link #maxSeconds}; 415 not a WAV/FLAC/MP3 file or corrupt
     */
    Upload store(InputStream body, String clientName) throws IOException {
        String name = displayName(clientName);
        String id = SafeNames.newId();
        Path dir = Files.createDirectory(root.resolve(id));
        try {
            Path raw = dir.resolve("upload.bin");
            copyLimited(body, raw, name);
            Audio audio;
            try {
                audio = AudioFile.read(raw);
            } catch (AudioFormatException e) {
                throw new StudioException(415, "'" + name + "' could not be read: " + problem(e, raw)
                        + " (the studio reads WAV, FLAC and MP3)", e);
            }
            float[] mono = audio.mono();
            for (int i = 0; i < mono.length; i++) {
                if (!Float.isFinite(mono[i])) {
                    throw new StudioException(415, "'" + name + "' holds invalid samples (" + mono[i] + " at "
                            + String.format(Locale.ROOT, "%.3f", i / (double) audio.sampleRate()) + " s); export it again as 16-bit PCM");
                }
            }
            double seconds = audio.durationSeconds();
            if (seconds > maxSeconds) {
                throw new StudioException(413, String.format(Locale.ROOT, "'%s' is %.1f s long; the studio takes recordings of up "
                        + "to %.0f s: cut it shorter (./ddsp transfer has no limit)", name, seconds, maxSeconds));
            }
            String ext = switch (audio.format().toLowerCase(Locale.ROOT)) {
                case String f when f.contains("flac") -> "flac";
                case String f when f.contains("mp3") -> "mp3";
                default -> "wav";
            };
            Path source = Files.move(raw, dir.resolve("source." + ext), StandardCopyOption.ATOMIC_MOVE);
            AudioFile.writeWav(dir.resolve(Upload.INPUT), mono, audio.sampleRate(), WavEncoding.PCM_16);
            Upload u = new Upload(id, dir, name, source, seconds);
            remember(u);
            return u;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(dir);
            throw e;
        }
    }

    /** The upload with this id, or 404. */
    synchronized Upload get(String id) {
        Upload u = byId.get(SafeNames.requireId(id, "upload"));
        if (u == null) throw StudioException.notFound("no such upload: '" + id + "' (uploads are kept while the studio runs, the "
                + KEEP + " most recent); upload the file again");
        return u;
    }

    private synchronized void remember(Upload u) throws IOException {
        byId.put(u.id, u);
        while (byId.size() > KEEP) {
            Upload oldest = byId.values().iterator().next();
            byId.remove(oldest.id);
            AtomicFiles.deleteTree(oldest.dir);
        }
    }

    /** Copies at most {@link #maxBytes}; one byte more and the upload is refused (the declared length is not trusted). */
    private void copyLimited(InputStream in, Path to, String name) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    drain(in, maxBytes);
                    throw tooLarge(name, maxBytes);
                }
                out.write(buf, 0, n);
            }
        }
        if (total == 0) throw new StudioException(415, "'" + name + "' is empty (0 bytes); choose an audio file or record again");
    }

    /**
     * Reads and discards up to {@code limit} more bytes of a refused body: a client still sending would otherwise
     * meet a closed connection instead of the 413 and its message (a browser shows "network error"). Beyond the
     * limit the connection is closed after all.
     */
    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[1 << 16];
        long read = 0;
        for (int n; read < limit && (n = in.read(buf)) > 0; ) read += n;
    }

    static StudioException tooLarge(String name, long maxBytes) {
        return new StudioException(413, String.format(Locale.ROOT, "'%s' is larger than the %.0f MiB upload limit; send a "
                + "shorter or compressed recording (FLAC, MP3)", name, maxBytes / (double) (1 << 20)));
    }

    /** The reader's message without the server's path (the user knows the file by its own name). */
    private static String problem(AudioFormatException e, Path raw) {
        String m = e.getMessage() == null ? "unreadable" : e.getMessage();
        String prefix = raw + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m.replace(raw.toString(), "the file");
    }

    /** The browser's file name, as shown in messages: its last path element, printable, at most 80 characters. */
    static String displayName(String clientName) {
        if (clientName == null || clientName.isBlank()) return "recording";
        String n = clientName.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        n = SafeNames.shown(n);
        return n.isBlank() ? "recording" : n;
    }
}
