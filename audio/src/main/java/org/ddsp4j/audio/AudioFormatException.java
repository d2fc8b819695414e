package org.ddsp4j.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An audio file that cannot be read: missing, empty, truncated, not audio, or in an encoding this
 * library does not decode. The message names the file, the problem and what would fix it.
 */
public class AudioFormatException extends IOException {
    private final Path file;

    public AudioFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public AudioFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read (may be null when decoding from memory). */
    public Path file() {
        return file;
    }
}
