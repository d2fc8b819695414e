package org.ddsp4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdspDatasetTest {
    static DdspExample example(int seed, int nSamples, int nFrames) {
        float[] a = new float[nSamples], f0 = new float[nFrames], c = new float[nFrames], l = new float[nFrames];
        for (int i = 0; i < nSamples; i++) a[i] = (float) Math.sin(0.01 * i * (seed + 1));
        for (int i = 0; i < nFrames; i++) {
            f0[i] = 100 + seed + i;
            c[i] = (i % 10) / 10f;
            l[i] = -60 + seed - i * 0.01f;
        }
        return new DdspExample(a, f0, c, l);
    }

    static void writeShard(Path file, List<DdspExample> examples) throws IOException {
        AtomicFiles.write(file, out -> {
            TFRecordWriter w = new TFRecordWriter(out);
            for (DdspExample e : examples) w.write(e.toBytes());
            w.flush();
        });
    }

    @Test
    void exampleUsesMagentaKeys() {
        TfExample ex = example(1, 64, 2).toTfExample();
        assertEquals(List.of("audio", "f0_hz", "f0_confidence", "loudness_db"), List.copyOf(ex.keys()));
        DdspExample back = DdspExample.parse(ex.putStrings("extra", "ignored").toBytes());
        assertEquals(example(1, 64, 2), back);
    }

    @Test
    void exampleRejectsMismatchedFrames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DdspExample(new float[64], new float[2], new float[3], new float[2]));
        assertTrue(e.getMessage().contains("f0_confidence 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> example(0, 64, 2).checkShape(64000, 1001));
        assertTrue(e.getMessage().contains("expected 64000 and 1001"), e.getMessage());
        TfExample missing = new TfExample().putFloats("audio", new float[1]);
        assertThrows(IllegalArgumentException.class, () -> DdspExample.fromTfExample(missing));
    }

    @Test
    void readsSplitsAcrossShardsInNameOrder(@TempDir Path dir) throws IOException {
        List<DdspExample> train = new ArrayList<>();
        for (int i = 0; i < 7; i++) train.add(example(i, 640, 11));
        writeShard(dir.resolve("train.tfrecord-00001-of-00002"), train.subList(4, 7));
        writeShard(dir.resolve("train.tfrecord-00000-of-00002"), train.subList(0, 4));
        writeShard(dir.resolve("eval.tfrecord-00000-of-00001"), List.of(example(99, 640, 11)));
        Files.writeString(dir.resolve("stats.json"), "{}");
        Files.writeString(dir.resolve(".train.tfrecord-00000-of-00002.123.tmp"), "junk");

        DdspDataset ds = DdspDataset.open(dir, DdspDataset.TRAIN);
        assertEquals(2, ds.shards().size());
        assertEquals(7, ds.count());
        assertEquals(train, ds.readAll());
        DdspDataset ev = DdspDataset.open(dir, DdspDataset.EVAL);
        assertEquals(List.of(example(99, 640, 11)), ev.readAll());
    }

    @Test
    void recognisesMagentaShardNames() {
        assertTrue(DdspDataset.inSplit("train.tfrecord-00003-of-00010", "train"));
        assertTrue(DdspDataset.inSplit("piano.tfrecord-train-00003-of-00010", "train"));
        assertTrue(DdspDataset.inSplit("piano.tfrecord-eval-00000-of-00010", "eval"));
        assertFalse(DdspDataset.inSplit("piano.tfrecord-eval-00000-of-00010", "train"));
        assertFalse(DdspDataset.inSplit(".train.tfrecord-00000-of-00001.tmp", "train"));
        assertFalse(DdspDataset.inSplit("eval.tfrecord-00000-of-00001", "train"));
    }

    @Test
    void missingAndIncompleteSplitsAreClear(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DdspDataset.open(dir, "train"));
        assertTrue(e.getMessage().contains("no 'train' shards"), e.getMessage());
        writeShard(dir.resolve("train.tfrecord-00000-of-00003"), List.of(example(0, 64, 2)));
        writeShard(dir.resolve("train.tfrecord-00002-of-00003"), List.of(example(0, 64, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> DdspDataset.open(dir, "train"));
        assertTrue(e.getMessage().contains("has 2 of 3 shards"), e.getMessage());
    }

    @Test
    void damagedShardNamesFileAndRecord(@TempDir Path dir) throws IOException {
        Path shard = dir.resolve("train.tfrecord-00000-of-00001");
        writeShard(shard, List.of(example(0, 640, 11), example(1, 640, 11), example(2, 640, 11)));
        long recordBytes = Files.size(shard) / 3;
        try (RandomAccessFile raf = new RandomAccessFile(shard.toFile(), "rw")) {
            raf.seek(recordBytes + 100); // inside record 1's data
            int b = raf.read();
            raf.seek(recordBytes + 100);
            raf.write(b ^ 0x40);
        }
        DdspDataset ds = DdspDataset.open(dir, "train");
        var it = ds.iterator();
        it.next();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, it::next);
        String m = e.getCause().getMessage();
        assertTrue(m.contains(shard.toString()) && m.contains("record 1") && m.contains("byte offset " + recordBytes)
                && m.contains("data CRC mismatch"), m);
    }

    @Test
    void nonDdspRecordNamesFileAndRecord(@TempDir Path dir) throws IOException {
        Path shard = dir.resolve("train.tfrecord");
        AtomicFiles.write(shard, out -> {
            TFRecordWriter w = new TFRecordWriter(out);
            w.write(example(0, 64, 2).toBytes());
            w.write(new TfExample().putFloats("audio", new float[3]).toBytes());
            w.flush();
        });
        var it = DdspDataset.open(dir, "train").iterator();
        it.next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("no feature 'f0_hz'"), e.getMessage());
    }
}
