package org.ddsp4j.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads records in the TFRecord format (see {@link TFRecords}), checking both CRCs of every record.
 * A damaged file gives an {@link IOException} naming the file, the record index (0-based), the byte
 * offset of the record's start and what is wrong. Not thread-safe.
 *
 * <p>Files whose name ends in {@code .gz} are read through gzip (TensorFlow's {@code GZIP}
 * compression option and Beam's {@code Compression.GZIP}).
 */
public final class TFRecordReader implements Closeable, Iterable<byte[]> {
    /** Refuse records above this size: a larger length is almost surely a damaged header. */
    public static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 16;
    /** A record's buffer starts at most this large and doubles as its data arrives. */
    private static final int FIRST_CHUNK = 1 << 20;

    private final InputStream in;
    private final String source;
    private final byte[] header = new byte[TFRecords.HEADER_BYTES];
    private final byte[] footer = new byte[TFRecords.FOOTER_BYTES];
    private long offset;
    private long index;
    private boolean iterated;

    /**
     * @param in     the stream (buffered here); {@link #close()} closes it
     * @param source a name for messages, usually the file path
     */
    public TFRecordReader(InputStream in, String source) {
        this.in = new BufferedInputStream(Objects.requireNonNull(in, "in"), 1 << 16);
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Opens a file (gzip-decoded if its name ends in {@code .gz}). */
    public static TFRecordReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream s = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new TFRecordReader(s, file.toString());
        } catch (IOException e) {
            raw.close();
            throw new IOException(file + ": cannot open as gzip: " + e.getMessage(), e);
        }
    }

    /** Reads every record of {@code file}. */
    public static List<byte[]> readAll(Path file) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (TFRecordReader r = open(file)) {
            for (byte[] rec; (rec = r.read()) != null; ) out.add(rec);
        }
        return out;
    }

    /**
     * Reads the next record.
     *
     * @return the record's data, or {@code null} at a clean end of input (between records)
     * @throws IOException on a truncated or corrupt record, or a read error
     */
    public byte[] read() throws IOException {
        int got = readFully(header, 0, header.length);
        if (got == 0) return null;
        if (got < header.length) {
            throw damaged("truncated header: " + got + " of " + header.length + " bytes before end of file");
        }
        long length = 0;
        for (int i = 7; i >= 0; i--) length = (length << 8) | (header[i] & 0xff);
        int lengthCrc = getIntLE(header, 8);
        int expected = TFRecords.maskedCrc32c(header, 0, 8);
        if (lengthCrc != expected) {
            throw damaged(String.format("length CRC mismatch (stored 0x%08x, computed 0x%08x over length field %d)"
                    + "; not a TFRecord file, or a damaged one", lengthCrc, expected, length));
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw damaged("record length " + Long.toUnsignedString(length) + " exceeds the limit of " + MAX_RECORD_BYTES + " bytes");
        }
        byte[] data = readData((int) length);
        got = readFully(footer, 0, footer.length);
        if (got < footer.length) {
            throw damaged("truncated data CRC: " + got + " of " + footer.length + " bytes before end of file");
        }
        int dataCrc = getIntLE(footer, 0);
        int computed = TFRecords.maskedCrc32c(data, 0, data.length);
        if (dataCrc != computed) {
            throw damaged(String.format("data CRC mismatch (stored 0x%08x, computed 0x%08x over %d bytes)",
                    dataCrc, computed, length));
        }
        offset += TFRecords.HEADER_BYTES + length + TFRecords.FOOTER_BYTES;
        index++;
        return data;
    }

    /**
     * Reads a record's {@code length} bytes into a buffer that grows as they arrive, so a damaged
     * length field (with a matching CRC, or in a file of our own) cannot allocate more than the
     * input holds.
     */
    private byte[] readData(int length) throws IOException {
        byte[] data = new byte[Math.min(length, FIRST_CHUNK)];
        int got = 0;
        while (true) {
            got += readFully(data, got, data.length - got);
            if (got < data.length || data.length == length) break;
            data = java.util.Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
        }
        if (got < length) throw damaged("truncated data: " + got + " of " + length + " bytes before end of file");
        return data;
    }

    /** Index (0-based) of the next record to be read. */
    public long recordIndex() {
        return index;
    }

    /** Byte offset of the next record to be read (in the decompressed stream). */
    public long byteOffset() {
        return offset;
    }

    /**
     * Iterates the remaining records; read errors surface as {@link UncheckedIOException} wrapping the
     * descriptive {@link IOException}. Can be called once.
     */
    @Override
    public Iterator<byte[]> iterator() {
        if (iterated) throw new IllegalStateException("TFRecordReader of " + source + " can be iterated only once");
        iterated = true;
        return new Iterator<>() {
            private byte[] next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                if (done) return false;
                try {
                    next = read();
                } catch (IOException e) {
                    done = true;
                    throw new UncheckedIOException(e);
                }
                if (next == null) done = true;
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                byte[] r = next;
                next = null;
                return r;
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private IOException damaged(String what) {
        return damaged(what, null);
    }

    private IOException damaged(String what, Throwable cause) {
        return new IOException(source + ": record " + index + " at byte offset " + offset + ": " + what, cause);
    }

    /**
     * Reads up to {@code len} bytes, stopping only at end of input; returns the count read. A read
     * error (e.g. corrupt gzip data) is reported with the file, record and offset.
     */
    private int readFully(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r;
            try {
                r = in.read(b, off + n, len - n);
            } catch (IOException e) {
                throw damaged("cannot read (" + e + "); the file is damaged, or a .gz file is not complete gzip data", e);
            }
            if (r < 0) break;
            n += r;
        }
        return n;
    }

    static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
