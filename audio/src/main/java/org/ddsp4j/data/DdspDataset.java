package org.ddsp4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A split of a prepared dataset: the TFRecord shards of one folder, read as {@link DdspExample}s.
 *
 * <p>File naming (written by {@code ./ddsp prepare}, Beam's default shard template):
 * {@code DIR/train.tfrecord-00000-of-00008}, ..., {@code DIR/eval.tfrecord-00000-of-00001}; so
 * {@code DIR/train.tfrecord*} is the file pattern magenta/ddsp's {@code TFRecordProvider} takes. Shards
 * written by magenta's {@code prepare_tfrecord} with an eval split
 * ({@code PREFIX-train-00000-of-00010}, {@code PREFIX-eval-...}, where PREFIX ends in {@code .tfrecord})
 * are found too. A shard is in split S when its name starts with {@code S.tfrecord}, or contains
 * {@code .tfrecord-S-}. Hidden files (Beam's temporary files, {@code .name.tmp}) are ignored; a name
 * ending in {@code .gz} is read through gzip. Shards are read in name order, records in file order.
 */
public final class DdspDataset implements Iterable<DdspExample> {
    public static final String TRAIN = "train";
    public static final String EVAL = "eval";
    private static final Pattern SHARD_OF = Pattern.compile("-(\\d{5,})-of-(\\d{5,})(\\.gz)?$");

    private final Path dir;
    private final String split;
    private final List<Path> shards;

    private DdspDataset(Path dir, String split, List<Path> shards) {
        this.dir = dir;
        this.split = split;
        this.shards = shards;
    }

    /**
     * Opens split {@code split} ("train", "eval") of the dataset in {@code dir}.
     *
     * @throws IllegalArgumentException if the folder is missing or holds no shard of that split, or
     *     if a numbered shard set is incomplete (e.g. {@code -of-00008} with a shard missing)
     */
    public static DdspDataset open(Path dir, String split) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset folder " + dir + " does not exist; create it with ./ddsp prepare");
        }
        List<Path> shards = shards(dir, split);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no '" + split + "' shards (" + split + ".tfrecord*) in " + dir
                    + "; create them with ./ddsp prepare --output " + dir);
        }
        checkComplete(shards, split);
        return new DdspDataset(dir, split, shards);
    }

    /** The shard files of {@code split} in {@code dir}, sorted by name (empty if none). */
    public static List<Path> shards(Path dir, String split) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(p -> inSplit(p.getFileName().toString(), split)).sorted().forEach(out::add);
        }
        return out;
    }

    static boolean inSplit(String name, String split) {
        if (name.startsWith(".")) return false;
        return name.startsWith(split + ".tfrecord") || name.contains(".tfrecord-" + split + "-");
    }

    private static void checkComplete(List<Path> shards, String split) {
        Integer total = null;
        int numbered = 0;
        for (Path p : shards) {
            Matcher m = SHARD_OF.matcher(p.getFileName().toString());
            if (!m.find()) continue;
            int of = Integer.parseInt(m.group(2));
            if (total != null && total != of) {
                throw new IllegalArgumentException("'" + split + "' shards in " + p.getParent() + " come from different runs (-of-"
                        + total + " and -of-" + of + "); remove the stale ones or prepare again with --overwrite");
            }
            total = of;
            numbered++;
        }
        if (total != null && numbered != total) {
            throw new IllegalArgumentException("'" + split + "' split in " + shards.getFirst().getParent() + " has " + numbered
                    + " of " + total + " shards; the dataset is incomplete");
        }
    }

    public Path dir() {
        return dir;
    }

    public String split() {
        return split;
    }

    /** The shard files, in reading order. */
    public List<Path> shards() {
        return shards;
    }

    /** Counts the records of all shards (reads every shard, checking CRCs; does not parse examples). */
    public long count() throws IOException {
        long n = 0;
        for (Path p : shards) {
            try (TFRecordReader r = TFRecordReader.open(p)) {
                while (r.read() != null) n++;
            }
        }
        return n;
    }

    /** Reads every example into memory. */
    public List<DdspExample> readAll() {
        List<DdspExample> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /**
     * Iterates the examples of all shards lazily, one shard open at a time. Errors surface as
     * {@link UncheckedIOException} (damaged record: file, record index, byte offset) or
     * {@link IllegalArgumentException} (record that is not a DDSP example: file and record index).
     * A shard left open by an abandoned iteration is closed when the next shard is opened or at the end.
     */
    @Override
    public Iterator<DdspExample> iterator() {
        return new Iterator<>() {
            private int shard = -1;
            private TFRecordReader reader;
            private DdspExample next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null) {
                        if (reader == null) {
                            if (++shard >= shards.size()) return false;
                            reader = TFRecordReader.open(shards.get(shard));
                        }
                        long index = reader.recordIndex();
                        byte[] rec = reader.read();
                        if (rec == null) {
                            reader.close();
                            reader = null;
                            continue;
                        }
                        try {
                            next = DdspExample.parse(rec);
                        } catch (IllegalArgumentException e) {
                            reader.close();
                            reader = null;
                            throw new IllegalArgumentException(shards.get(shard) + ": record " + index + ": " + e.getMessage(), e);
                        }
                    }
                    return true;
                } catch (IOException e) {
                    closeQuietly();
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public DdspExample next() {
                if (!hasNext()) throw new NoSuchElementException();
                DdspExample e = next;
                next = null;
                return e;
            }

            private void closeQuietly() {
                try {
                    if (reader != null) reader.close();
                } catch (IOException ignored) {
                    // the original error is more useful than a failure to close
                }
                reader = null;
                shard = shards.size();
            }
        };
    }

    @Override
    public String toString() {
        return "DdspDataset[" + dir + ", " + split + ", " + shards.size() + " shard(s)]";
    }
}
