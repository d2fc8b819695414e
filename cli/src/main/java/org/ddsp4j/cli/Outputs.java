package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of output paths made before any work, so a bad {@code --output} fails in a second, not after the rendering. */
final class Outputs {
    private Outputs() {}

    /**
     * Refuses an output file path that cannot be written as a file: an existing folder, or a path whose
     * folder is a file. (A missing folder is created when the file is written.)
     */
    static void requireFile(Path out, String example) {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--output " + out + " is a folder; give a file name, e.g. "
                    + out.resolve(example));
        }
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException("--output " + out + ": " + p + " is a file, not a folder; choose another path");
            }
        }
    }
}
