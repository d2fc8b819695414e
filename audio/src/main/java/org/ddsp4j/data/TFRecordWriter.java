package org.ddsp4j.data;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes records in the TFRecord format (see {@link TFRecords}) to an {@link OutputStream}.
 * Not thread-safe. For a file that must never be seen half-written, write through
 * {@link org.ddsp4j.io.AtomicFiles#write(java.nio.file.Path, org.ddsp4j.io.AtomicFiles.Writer)}.
 */
public final class TFRecordWriter implements Closeable, Flushable {
    private final OutputStream out;
    private final byte[] header = new byte[TFRecords.HEADER_BYTES];
    private final byte[] footer = new byte[TFRecords.FOOTER_BYTES];
    private final CRC32C crc = new CRC32C();
    private long records;

    /** Wraps {@code out} (buffered here unless it already is); {@link #close()} closes it. */
    public TFRecordWriter(OutputStream out) {
        Objects.requireNonNull(out, "out");
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
    }

    /** Appends one record holding all of {@code data}. */
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    /** Appends one record holding {@code len} bytes of {@code data} from {@code off}. */
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        long length = len;
        for (int i = 0; i < 8; i++) header[i] = (byte) (length >>> (8 * i));
        putIntLE(header, 8, TFRecords.maskedCrc32c(header, 0, 8));
        crc.reset();
        crc.update(data, off, len);
        putIntLE(footer, 0, TFRecords.mask((int) crc.getValue()));
        out.write(header);
        out.write(data, off, len);
        out.write(footer);
        records++;
    }

    /** Number of records written so far. */
    public long records() {
        return records;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
