package org.ddsp4j.prepare;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Finds the audio files to prepare. */
public final class InputFiles {
    /** Extensions taken from folders (case-insensitive). Files named explicitly are taken whatever their name. */
    public static final Set<String> AUDIO_EXTENSIONS = Set.of("wav", "flac", "mp3");

    /**
     * One input file.
     *
     * @param path         absolute path
     * @param relativePath path relative to the folder it was found in (for a file named directly: its
     *                     file name), '/'-separated; decides the split
     * @param bytes        file size
     */
    public record InputFile(String path, String relativePath, long bytes) {}

    /** Beam coder for {@link InputFile}: two UTF-8 strings and a variable-length long (no Java serialization). */
    static final class InputFileCoder extends CustomCoder<InputFile> {
        private static final StringUtf8Coder STRING = StringUtf8Coder.of();
        private static final VarLongCoder LONG = VarLongCoder.of();

        @Override
        public void encode(InputFile f, OutputStream out) throws IOException {
            STRING.encode(f.path(), out);
            STRING.encode(f.relativePath(), out);
            LONG.encode(f.bytes(), out);
        }

        @Override
        public InputFile decode(InputStream in) throws IOException {
            return new InputFile(STRING.decode(in), STRING.decode(in), LONG.decode(in));
        }
    }

    private InputFiles() {}

    /** Extensions of audio formats that are not read (yet), so they can be named instead of silently passed over. */
    public static final Set<String> UNSUPPORTED_AUDIO = Set.of("ogg", "oga", "opus", "m4a", "aac", "aif", "aiff", "wma", "ape", "wv");

    /** Files in the input folders in an audio format that is not read (sorted); empty when there are none. */
    public static List<Path> unsupported(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.isDirectory(in)) continue;
            Path root = in.toAbsolutePath().normalize();
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(Files::isRegularFile).filter(p -> !hidden(root, p) && UNSUPPORTED_AUDIO.contains(extension(p))).forEach(out::add);
            }
        }
        out.sort(null);
        return out;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    /**
     * Lists audio files: each input is a folder (walked recursively, hidden entries skipped, audio
     * extensions only) or a file. Sorted by relative path; duplicates (same absolute path) removed.
     *
     * @throws IllegalArgumentException for an input that does not exist
     */
    public static List<InputFile> list(List<Path> inputs) throws IOException {
        Map<String, InputFile> out = new LinkedHashMap<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                Path root = in.toAbsolutePath().normalize();
                List<Path> found = new ArrayList<>();
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(Files::isRegularFile).filter(p -> isAudio(p) && !hidden(root, p)).forEach(found::add);
                }
                found.sort(null);
                for (Path p : found) {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    out.putIfAbsent(p.toString(), new InputFile(p.toString(), rel, Files.size(p)));
                }
            } else if (Files.isRegularFile(in)) {
                Path p = in.toAbsolutePath().normalize();
                out.putIfAbsent(p.toString(), new InputFile(p.toString(), p.getFileName().toString(), Files.size(p)));
            } else {
                throw new IllegalArgumentException("input " + in + " is neither a file nor a folder");
            }
        }
        List<InputFile> list = new ArrayList<>(out.values());
        list.sort(java.util.Comparator.comparing(InputFile::relativePath).thenComparing(InputFile::path));
        return list;
    }

    static boolean isAudio(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && AUDIO_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }
}
