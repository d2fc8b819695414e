package org.ddsp4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.ddsp4j.data.TFRecordWriter;
import org.ddsp4j.prepare.AudioLoader;
import org.ddsp4j.prepare.FeatureExtractor;
import org.ddsp4j.prepare.FileExamples;
import org.ddsp4j.prepare.InputFiles.InputFile;
import org.ddsp4j.prepare.PrepareConfig;
import org.ddsp4j.prepare.PreparePipeline;
import org.ddsp4j.prepare.PrepareStats;
import scala.Tuple2;

/**
 * Dataset preparation on Apache Spark, the same per-file work as the Beam pipeline ({@link FileExamples}):
 * <pre>
 * files (one task each) -> FileExamples -> (key, bytes) records, kept on the executors
 *   -> train records -> shard = hash(key) mod N -> each shard sorted by key -> OUT/train.tfrecord-SSSSS-of-NNNNN
 *   -> eval records  -> the same into eval.tfrecord-...
 *   -> per-file stats -> the driver merges them in file order -> OUT/stats.json
 * </pre>
 * A key is (file number, example number), so a shard's content and order are fixed by the inputs: a task that
 * fails or runs again writes the same file (to a temporary name, then renamed), and no example is lost or
 * written twice. The examples are those of the Beam pipeline; Beam spreads them over its shards at random,
 * so the two datasets are the same once the examples are sorted, and their {@code stats.json} agree (sums merged
 * in another order may differ in the last digits). The output folder must be one the executors can write
 * (this machine for {@code local}, a shared file system on a cluster).
 */
public final class SparkPrepare implements PreparePipeline.Engine {
    private static final int TRAIN = 0, EVAL = 1, STATS = 2;

    private final JavaSparkContext sc;
    private final PrepareConfig cfg;
    private final AudioLoader loader;
    private final FeatureExtractor extractor;
    /** Tests: the first attempt of the task of this file number fails after its work (-1: none). */
    int failFirstAttemptOfFile = -1;

    public SparkPrepare(JavaSparkContext sc, PrepareConfig cfg, AudioLoader loader, FeatureExtractor extractor) {
        this.sc = sc;
        this.cfg = cfg;
        this.loader = loader;
        this.extractor = extractor;
    }

    @Override
    public void write(List<InputFile> files, Path staging, String runId) throws IOException {
        List<String[]> listed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            InputFile f = files.get(i);
            listed.add(new String[] {Integer.toString(i), f.path(), f.relativePath(), Long.toString(f.bytes())});
        }
        PrepareConfig cfg = this.cfg;
        AudioLoader loader = this.loader;
        FeatureExtractor extractor = this.extractor;
        int failFile = failFirstAttemptOfFile;
        JavaPairRDD<Long, byte[]> records = sc.parallelize(listed, Math.max(1, files.size())).flatMapToPair(a -> {
            int fileNo = Integer.parseInt(a[0]);
            FileExamples.Result r = FileExamples.process(cfg, loader, extractor, new InputFile(a[1], a[2], Long.parseLong(a[3])));
            if (fileNo == failFile && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("test: the first attempt for file " + fileNo + " fails");
            }
            List<Tuple2<Long, byte[]>> out = new ArrayList<>(r.train().size() + r.eval().size() + 1);
            for (int i = 0; i < r.train().size(); i++) out.add(new Tuple2<>(key(TRAIN, fileNo, i), r.train().get(i)));
            for (int i = 0; i < r.eval().size(); i++) out.add(new Tuple2<>(key(EVAL, fileNo, i), r.eval().get(i)));
            out.add(new Tuple2<>(key(STATS, fileNo, 0), r.stats().toBytes()));
            return out.iterator();
        });
        records.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            String dir = staging.toAbsolutePath().toString();
            writeShards(records, TRAIN, "train", cfg.shards(), dir);
            if (cfg.evalFraction() > 0) writeShards(records, EVAL, "eval", cfg.evalShards(), dir);
            List<Tuple2<Long, byte[]>> parts = new ArrayList<>(records.filter(t -> kind(t._1()) == STATS).collect());
            parts.sort(Comparator.comparing(Tuple2::_1));
            PrepareStats all = new PrepareStats(cfg.confidenceThreshold());
            for (Tuple2<Long, byte[]> p : parts) all.merge(PrepareStats.fromBytes(p._2()));
            all.toStats(cfg).write(staging.resolve(PreparePipeline.STATS_FILE));
        } finally {
            records.unpersist(false);
        }
    }

    /** (kind, file, example) in one sortable number: 2 bits, 30 bits, 32 bits. */
    static long key(int kind, int file, int example) {
        return ((long) kind << 62) | ((long) file << 32) | (example & 0xffffffffL);
    }

    static int kind(long key) {
        return (int) (key >>> 62);
    }

    private static void writeShards(JavaPairRDD<Long, byte[]> records, int kind, String split, int shards, String dir) {
        JavaPairRDD<Long, byte[]> ofSplit = records.filter(t -> kind(t._1()) == kind).partitionBy(new ShardOf(shards));
        // Every shard is written, empty ones too, as Beam does for a fixed shard count.
        ofSplit.mapPartitionsWithIndex((shard, it) -> {
            writeShard(it, Path.of(dir).resolve(String.format("%s.tfrecord-%05d-of-%05d", split, shard, shards)));
            return java.util.Collections.emptyIterator();
        }, true).count();
    }

    /** Writes one shard's records sorted by key, to a temporary name first. */
    private static void writeShard(Iterator<Tuple2<Long, byte[]>> it, Path file) {
        List<Tuple2<Long, byte[]>> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        rows.sort(Comparator.comparing(Tuple2::_1));
        TaskContext tc = TaskContext.get();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".attempt-" + tc.stageAttemptNumber() + "-" + tc.attemptNumber());
        try {
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 TFRecordWriter w = new TFRecordWriter(os)) {
                for (Tuple2<Long, byte[]> r : rows) w.write(r._2());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the staging folder is deleted as a whole on failure
            }
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Shard of a record: a mix of its key modulo the shard count, the same on every run. */
    static final class ShardOf extends Partitioner {
        private final int shards;

        ShardOf(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            long k = (Long) key * 0x9E3779B97F4A7C15L;
            return (int) Math.floorMod(k ^ (k >>> 29), (long) shards);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ShardOf s && s.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }
}
