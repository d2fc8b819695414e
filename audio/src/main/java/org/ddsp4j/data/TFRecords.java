package org.ddsp4j.data;

import java.util.zip.CRC32C;

/**
 * The TFRecord container format, shared by {@link TFRecordWriter} and {@link TFRecordReader}.
 *
 * <p>A TFRecord file is a plain concatenation of records, each laid out as
 * <pre>
 *   uint64 length            (little-endian, number of data bytes)
 *   uint32 maskedCrc(length) (CRC32C of the 8 length bytes, masked)
 *   byte   data[length]
 *   uint32 maskedCrc(data)
 * </pre>
 * with no file header or trailer. The CRC is masked (rotated and offset) because a CRC stored next
 * to the data it covers is otherwise easy to confuse with data; TensorFlow's {@code crc32c::Mask}.
 */
public final class TFRecords {
    /** Bytes of framing before the data: length (8) and its CRC (4). */
    public static final int HEADER_BYTES = 12;
    /** Bytes of framing after the data: the data CRC. */
    public static final int FOOTER_BYTES = 4;
    private static final int MASK_DELTA = 0xa282ead8;

    private TFRecords() {}

    /** Masks a CRC32C value: rotate right by 15 bits, then add {@code 0xa282ead8} (mod 2^32). */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** Inverse of {@link #mask}. */
    public static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }

    /** CRC32C (Castagnoli) of {@code len} bytes of {@code b} from {@code off}, unmasked. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Masked CRC32C of {@code len} bytes of {@code b} from {@code off}, as stored in a TFRecord. */
    public static int maskedCrc32c(byte[] b, int off, int len) {
        return mask(crc32c(b, off, len));
    }
}
