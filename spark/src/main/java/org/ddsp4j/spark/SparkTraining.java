package org.ddsp4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;
import org.ddsp4j.train.TrainingRun;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training on Apache Spark: one barrier stage of {@code W} gang-scheduled tasks, each a
 * {@link Trainer} worker on its {@code batch / W} rows of every global batch; they meet through
 * {@code BarrierTaskContext.allGather} and sum their gradients over a {@link RingAllReduce} each step, so every
 * worker applies the same Adam update. Worker 0 writes config.json, the checkpoints and the loss history
 * (atomically, as a single process does). When a worker dies the stage fails; Spark runs it again (up to
 * {@code spark.stage.maxConsecutiveAttempts}) and the new workers resume from the last checkpoint, which
 * gives the same weights as a run that was never interrupted.
 *
 * <p>The data folder and the model directory must be paths every executor can read (and worker 0 write): this
 * machine for {@code local}/{@code local-cluster}, a shared file system on a cluster.
 */
public final class SparkTraining {
    /** What rank 0 reports back: the trainer's result and the exchange's traffic. */
    public record Result(long firstStep, long lastStep, double lastLoss, double seconds, double secondsPerStep,
                         long bytesSentPerStep, double allReduceSecondsPerStep, int workers) {}

    private SparkTraining() {}

    /**
     * Trains as {@code ./ddsp train} would, with {@code workers} Spark tasks.
     *
     * @param log the driver's progress lines (the workers' own go to the executors' logs)
     */
    public static Result run(JavaSparkContext sc, TrainingRun.Request r, int workers, PrintStream log) throws IOException {
        if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, is " + workers);
        ModelDir dir = new ModelDir(r.modelDir());
        if (!Files.isDirectory(r.data())) throw new IllegalArgumentException("data folder " + r.data() + " does not exist");
        if (!r.resume() && dir.hasCheckpoint()) {
            throw new IllegalArgumentException(dir.dir() + " already holds a trained model (step " + dir.readState().step()
                    + "): pass --resume to continue it, or choose another --model directory");
        }
        ModelConfig cfg = TrainingRun.configOf(r, dir);
        if (cfg.train().batch() % workers != 0) {
            throw new IllegalArgumentException("train.batch " + cfg.train().batch() + " does not split evenly over " + workers
                    + " workers: choose a batch that is a multiple of --workers (--set train.batch=N)");
        }
        int taskSlots = localSlots(sc.master());
        if (taskSlots > 0 && workers > taskSlots) {
            throw new IllegalArgumentException("--workers " + workers + " needs " + workers + " task slots at once, and " + sc.master()
                    + " has " + taskSlots + ": choose --workers " + taskSlots + " or fewer, or a master with more slots");
        }
        long steps = TrainingRun.stepLimit(r, cfg);
        String json = cfg.toJson(), data = r.data().toAbsolutePath().toString(), model = r.modelDir().toAbsolutePath().toString();
        double seconds = r.seconds();
        log.printf("ddsp train: %d data-parallel workers on %s, batch %d = %d x %d rows%n", workers, sc.master(),
                cfg.train().batch(), workers, cfg.train().batch() / workers);
        List<Integer> ranks = IntStream.range(0, workers).boxed().toList();
        RDD<Integer> slots = sc.parallelize(ranks, workers).rdd();
        scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>> task =
                (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>> & java.io.Serializable)
                        it -> scala.jdk.javaapi.CollectionConverters.asScala(worker(json, data, model, steps, seconds).iterator());
        // Spark runs a failed barrier stage again only when it feeds a shuffle (a result stage is aborted), so the
        // workers' lines pass through one before they are collected.
        RDD<String> reports = slots.barrier().mapPartitions(task, false, ClassTag$.MODULE$.apply(String.class));
        List<String> lines = reports.toJavaRDD().repartition(1).collect();
        for (String line : lines) {
            if (line.startsWith("result ")) return parse(line, workers);
        }
        throw new IllegalStateException("worker 0 reported no result");
    }

    private static List<String> worker(String json, String data, String model, long steps, double seconds) {
        try {
            return runWorker(json, data, model, steps, seconds);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One worker: rendezvous, load the data, train, report (rank 0). */
    static List<String> runWorker(String json, String data, String model, long steps, double seconds) throws IOException {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId(), workers = ctx.getTaskInfos().length;
        String host = System.getenv().getOrDefault("SPARK_LOCAL_IP", InetAddress.getLocalHost().getHostAddress());
        try (RingAllReduce ring = RingAllReduce.connect(rank, workers, host, msg -> ctx.allGather(msg[0]))) {
            ModelConfig cfg = ModelConfig.parse(json, "the driver's configuration");
            List<DdspExample> train = Examples.load(Path.of(data), DdspDataset.TRAIN, cfg);
            List<DdspExample> eval = Examples.load(Path.of(data), DdspDataset.EVAL, cfg);
            Trainer t = new Trainer(cfg, new ModelDir(Path.of(model)), train, eval, true, ring);
            if (rank != 0) t.setLog(new PrintStream(OutputStream.nullOutputStream()));
            t.writeStats();
            // Every worker has loaded its data before the clock starts.
            ctx.barrier();
            Trainer.Result res = t.train(steps, seconds);
            long done = Math.max(1, res.lastStep() - res.firstStep());
            List<String> out = new ArrayList<>();
            if (rank == 0) {
                out.add(String.format(Locale.ROOT, "result %d %d %.9g %.9g %.9g %d %.9g", res.firstStep(), res.lastStep(),
                        res.lastLoss(), res.seconds(), res.secondsPerStep(), ring.bytesSent() / Math.max(1, ring.calls()),
                        ring.seconds() / done));
            }
            return out;
        }
    }

    /** Task slots of a {@code local[N]} or {@code local-cluster[W,C,M]} master (W x C), or 0 when not known here. */
    static int localSlots(String master) {
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+)(,\\d+)?]").matcher(master);
        if (local.matches()) return Integer.parseInt(local.group(1));
        if (master.equals("local")) return 1;
        java.util.regex.Matcher cluster = java.util.regex.Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]")
                .matcher(master);
        if (cluster.matches()) return Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
        return 0;
    }

    private static Result parse(String line, int workers) {
        String[] f = line.split(" ");
        return new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Double.parseDouble(f[5]), Long.parseLong(f[6]), Double.parseDouble(f[7]), workers);
    }
}
