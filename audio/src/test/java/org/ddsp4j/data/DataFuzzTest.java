package org.ddsp4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.ddsp4j.testing.Fuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TFRecord framing, tf.train.Example parsing and {@link DdspDataset} on mutated input: records or
 * examples, or the documented errors ({@link IOException} naming the file, record and offset;
 * {@link MalformedExampleException} / {@link IllegalArgumentException}; through a dataset,
 * {@link UncheckedIOException} or {@link IllegalArgumentException} naming the shard), never
 * another exception, a hang or an allocation beyond 64 MB. TFRecord inputs get their CRCs
 * recomputed half the time ({@link #repairCrcs}), so mutated lengths and data get past the checks.
 */
class DataFuzzTest {
    static final String NAME = "fuzz/input.tfrecord";

    @TempDir
    Path dir;

    /** Small examples of every feature kind and layout the parser accepts. */
    static List<byte[]> exampleSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(DdspDatasetTest.example(1, 64, 5).toBytes());
        seeds.add(DdspDatasetTest.example(2, 16, 3).toTfExample().putInt64s("id", 1, -1, Long.MAX_VALUE, 0)
                .putStrings("name", "violin", "").putBytes("raw", new byte[] {0, (byte) 0xFF}).toBytes());
        seeds.add(new TfExample().putFloats("empty", new float[0]).putInt64s("n").putBytes("b", List.of()).toBytes());
        // unpacked floats (tag 0x0D) and int64s (tag 0x08), as some writers emit them
        seeds.add(TFRecordTest.hex("0a 19 0a 17 0a 01 61 12 12 12 0a 0d 00 00 80 3f 0d 00 00 00 40 1a 04 08 01 08 7f"));
        return seeds;
    }

    static byte[] tfrecords(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TFRecordWriter w = new TFRecordWriter(out)) {
            for (byte[] r : records) w.write(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static List<byte[]> recordFileSeeds() {
        List<byte[]> ex = exampleSeeds();
        return List.of(tfrecords(ex), tfrecords(List.of(ex.get(0))), tfrecords(List.of(new byte[0], new byte[] {42})));
    }

    /** Recomputes the length and data CRCs of every record, following the (possibly mutated) length fields. */
    static byte[] repairCrcs(byte[] file) {
        byte[] b = file.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p + TFRecords.HEADER_BYTES <= b.length; ) {
            long len = buf.getLong(p);
            buf.putInt(p + 8, TFRecords.maskedCrc32c(b, p, 8));
            if (len < 0 || len > b.length) break;
            long end = p + TFRecords.HEADER_BYTES + len + TFRecords.FOOTER_BYTES;
            if (end > b.length) break;
            int data = p + TFRecords.HEADER_BYTES;
            buf.putInt(data + (int) len, TFRecords.maskedCrc32c(b, data, (int) len));
            p = (int) end;
        }
        return b;
    }

    static boolean namesSource(Throwable e, String source) {
        return e.getMessage() != null && e.getMessage().contains(source);
    }

    // ------------------------------------------------------------------------------ TFRecord

    static void readRecords(byte[] file) throws IOException {
        try (TFRecordReader r = new TFRecordReader(new ByteArrayInputStream(file), NAME)) {
            while (r.read() != null) { }
        }
    }

    static Fuzzer recordFuzzer(String name, List<byte[]> seeds) {
        return Fuzzer.of(name, seeds).repair(DataFuzzTest::repairCrcs)
                .expect(e -> e instanceof IOException && namesSource(e, NAME));
    }

    @Test
    void mutatedTfRecordFiles() {
        recordFuzzer("tfrecord", recordFileSeeds()).iterations(20000).run(DataFuzzTest::readRecords);
    }

    /** Gzip-compressed shards ({@code .gz}): errors of the gzip stream must name the file too. */
    @Test
    void mutatedGzipTfRecordFiles() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (byte[] s : recordFileSeeds()) seeds.add(gzip(s));
        Path f = dir.resolve("shard.tfrecord.gz");
        Fuzzer.of("tfrecord.gz", seeds).expect(e -> e instanceof IOException && namesSource(e, f.toString()))
                .iterations(2000).run(b -> {
                    Files.write(f, b);
                    TFRecordReader.readAll(f);
                });
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------ tf.train.Example

    /** What parses re-encodes to bytes that parse to an equal example; DDSP examples are read when all keys are there. */
    static void parseExample(byte[] b) {
        TfExample ex = TfExample.parse(b);
        assertEquals(ex, TfExample.parse(ex.toBytes()), "re-encoded example");
        DdspExample.fromTfExample(ex);
    }

    @Test
    void mutatedExamples() {
        Fuzzer.of("tf.Example", exampleSeeds()).dictionary("audio", "f0_hz", "loudness_db", "\n", "\u0012", "\u001a", "\r")
                .expect(e -> e instanceof IllegalArgumentException)
                .iterations(30000).run(DataFuzzTest::parseExample);
    }

    // ------------------------------------------------------------------------------ DdspDataset

    @Test
    void mutatedDatasetShards() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(tfrecords(List.of(DdspDatasetTest.example(1, 64, 5).toBytes(), DdspDatasetTest.example(2, 64, 5).toBytes())));
        seeds.add(tfrecords(List.of(DdspDatasetTest.example(3, 32, 3).toBytes())));
        Path shard = dir.resolve("train.tfrecord-00000-of-00001");
        Fuzzer.of("DdspDataset", seeds).repair(DataFuzzTest::repairCrcs)
                .expect(e -> (e instanceof UncheckedIOException u && namesSource(u.getCause(), shard.toString()))
                        || (e instanceof IOException && namesSource(e, shard.toString()))
                        || (e instanceof IllegalArgumentException && namesSource(e, shard.toString())))
                .iterations(2000).run(b -> {
                    Files.write(shard, b);
                    DdspDataset d = DdspDataset.open(dir, DdspDataset.TRAIN);
                    for (DdspExample e : d) e.checkShape(e.nSamples(), e.nFrames());
                    d.count();
                });
    }

    // ------------------------------------------------------------------------------ regression cases

    /** Found by this fuzzer: a record length of 2 GB with a matching CRC allocated 2 GB before reading a byte. */
    @Test
    void hugeRecordLengthAllocatesOnlyWhatArrives() {
        byte[] file = tfrecords(List.of(new byte[] {1, 2, 3}));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, TFRecordReader.MAX_RECORD_BYTES);
        Throwable e = recordFuzzer("huge length", List.of(file)).check("2 GB record", repairCrcs(file), DataFuzzTest::readRecords);
        assertTrue(e.getMessage().contains("record 0 at byte offset 0: truncated data: 7 of 2147483631 bytes"), e.getMessage());
    }

    /** Found by this fuzzer: corrupt gzip data surfaced as a bare ZipException, naming neither file nor record. */
    @Test
    void corruptGzipNamesTheFile() throws IOException {
        byte[] gz = gzip(recordFileSeeds().get(0));
        for (int i = 40; i < 60; i++) gz[i] ^= 0x55;
        Path f = dir.resolve("bad.tfrecord.gz");
        Files.write(f, gz);
        IOException e = assertThrows(IOException.class, () -> TFRecordReader.readAll(f));
        assertTrue(e.getMessage().startsWith(f + ": record 0 at byte offset 0: cannot read (java.util.zip.ZipException"),
                e.getMessage());
    }
}
