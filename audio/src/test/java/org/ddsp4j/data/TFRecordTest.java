package org.ddsp4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TFRecord framing against the format definition and bytes written by real TensorFlow. */
class TFRecordTest {
    /**
     * A TensorFlow event file holding {@code tf.summary.scalar("accuracy", 0.99, step=77)}, as dumped
     * with xxd in TensorBoard's rustboard tests (tensorboard/data/server/tf_record.rs): two records.
     */
    private static final byte[] TF_RECORD_1 = concat(hex("09 00 00 80 38 99 d6 d7 41 1a 0d"), ascii("brain.Event:2"));
    private static final byte[] TF_RECORD_2 = concat(hex("09 c4 05 b7 3d 99 d6 d7 41 10 4d 2a 25 0a 23 0a 08"),
            ascii("accuracy"), hex("42 0a 08 01 12 00 22 04 a4 70 7d 3f 4a 0b 0a 09 0a 07"), ascii("scalars"));
    private static final byte[] TF_FILE = concat(
            hex("18 00 00 00 00 00 00 00 a3 7f 4b 22"), TF_RECORD_1, hex("12 4b 36 ab"),
            hex("32 00 00 00 00 00 00 00 24 19 56 ec"), TF_RECORD_2, hex("a5 5b 64 33"));

    @Test
    void crc32cOfCheckString() {
        // The standard CRC-32C check value (RFC 3720 / every CRC catalogue).
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, TFRecords.crc32c(check, 0, check.length));
        // RFC 3720 B.4: 32 zero bytes.
        assertEquals(0x8A9136AA, TFRecords.crc32c(new byte[32], 0, 32));
    }

    @Test
    void maskMatchesDefinitionAndRealTensorFlow() {
        int crc = 0xE3069283;
        // mask = rotr(crc, 15) + 0xa282ead8, written out by hand: rotr(0xE3069283, 15) = 0x2507C60D.
        assertEquals(0x2507C60D, Integer.rotateRight(crc, 15));
        assertEquals(0x2507C60D + 0xa282ead8, TFRecords.mask(crc));
        assertEquals(0xC78AB0E5, TFRecords.mask(crc));
        assertEquals(crc, TFRecords.unmask(TFRecords.mask(crc)));
        // Masked CRC of a record from a real TensorFlow event file (rustboard masked_crc.rs).
        byte[] ev = concat(hex("1a 11"), ascii("CRC test, one two"));
        assertEquals(0x5794d08a, TFRecords.maskedCrc32c(ev, 0, ev.length));
    }

    @Test
    void readsRealTensorFlowFile() throws IOException {
        TFRecordReader r = new TFRecordReader(new ByteArrayInputStream(TF_FILE), "events");
        assertArrayEquals(TF_RECORD_1, r.read());
        assertArrayEquals(TF_RECORD_2, r.read());
        assertNull(r.read());
        assertEquals(TF_FILE.length, r.byteOffset());
        assertEquals(2, r.recordIndex());
    }

    @Test
    void writesTheSameBytesAsTensorFlow() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TFRecordWriter w = new TFRecordWriter(bos)) {
            w.write(TF_RECORD_1);
            w.write(TF_RECORD_2);
            assertEquals(2, w.records());
        }
        assertArrayEquals(TF_FILE, bos.toByteArray());
    }

    @Test
    void roundTripsManyRecordsIncludingEmpty(@TempDir Path dir) throws IOException {
        Random rnd = new Random(7);
        List<byte[]> records = new ArrayList<>();
        records.add(new byte[0]);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[rnd.nextInt(i < 45 ? 300 : 200_000)];
            rnd.nextBytes(b);
            records.add(b);
        }
        Path f = dir.resolve("x.tfrecord");
        try (TFRecordWriter w = new TFRecordWriter(Files.newOutputStream(f))) {
            for (byte[] b : records) w.write(b);
        }
        long expectedSize = records.stream().mapToLong(b -> b.length + 16L).sum();
        assertEquals(expectedSize, Files.size(f));
        List<byte[]> back = TFRecordReader.readAll(f);
        assertEquals(records.size(), back.size());
        for (int i = 0; i < records.size(); i++) assertArrayEquals(records.get(i), back.get(i), "record " + i);

        // The iterator view gives the same.
        try (TFRecordReader r = TFRecordReader.open(f)) {
            int i = 0;
            for (byte[] b : r) assertArrayEquals(records.get(i++), b);
            assertEquals(records.size(), i);
        }
    }

    @Test
    void readsGzipCompressedFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.tfrecord.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(TF_FILE);
        }
        List<byte[]> back = TFRecordReader.readAll(f);
        assertArrayEquals(TF_RECORD_2, back.get(1));
    }

    @Test
    void corruptDataCrcNamesFileRecordAndOffset() {
        byte[] bad = TF_FILE.clone();
        int secondRecordStart = 12 + TF_RECORD_1.length + 4;
        bad[secondRecordStart + 12 + 5] ^= 0x01; // flip one bit in record 1's data
        IOException e = assertThrows(IOException.class, () -> readAll(bad, "shard-7"));
        assertTrue(e.getMessage().contains("shard-7"), e.getMessage());
        assertTrue(e.getMessage().contains("record 1"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + secondRecordStart), e.getMessage());
        assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
    }

    @Test
    void corruptLengthIsCaughtByItsCrc() {
        byte[] bad = TF_FILE.clone();
        bad[0] = 0x19; // length 25 instead of 24
        IOException e = assertThrows(IOException.class, () -> readAll(bad, "f"));
        assertTrue(e.getMessage().contains("record 0 at byte offset 0: length CRC mismatch"), e.getMessage());
    }

    @Test
    void truncationAnywhereIsReported() {
        int firstEnd = 12 + TF_RECORD_1.length + 4;
        for (int cut = 1; cut < TF_FILE.length; cut++) {
            byte[] part = Arrays.copyOf(TF_FILE, cut);
            if (cut == firstEnd) {
                assertEquals(1, assertDoesNotThrowCount(part), "cut at a record boundary is a clean end");
                continue;
            }
            final int c = cut;
            IOException e = assertThrows(IOException.class, () -> readAll(part, "f"), "cut at " + c);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("record " + (cut < firstEnd ? 0 : 1)), e.getMessage());
        }
    }

    @Test
    void iteratorWrapsErrors() {
        byte[] bad = Arrays.copyOf(TF_FILE, TF_FILE.length - 1);
        TFRecordReader r = new TFRecordReader(new ByteArrayInputStream(bad), "f");
        var it = r.iterator();
        it.next();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, it::hasNext);
        assertTrue(e.getCause().getMessage().contains("truncated data CRC"), e.getMessage());
    }

    private static int assertDoesNotThrowCount(byte[] file) {
        try {
            return readAll(file, "f").size();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> readAll(byte[] file, String name) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (TFRecordReader r = new TFRecordReader(new ByteArrayInputStream(file), name)) {
            for (byte[] b; (b = r.read()) != null; ) out.add(b);
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes from space-separated hex pairs. */
    static byte[] hex(String pairs) {
        String[] p = pairs.trim().split("\\s+");
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) b[i] = (byte) Integer.parseInt(p[i], 16);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }
}
