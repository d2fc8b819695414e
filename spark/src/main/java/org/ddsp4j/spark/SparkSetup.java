package org.ddsp4j.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark context of a ddsp4j job: what JDK 25 needs on the driver and the executors (module openings for
 * Spark's closure serialization, the Vector API for ddsp4j's kernels), the kernels' thread count per executor,
 * and for {@code local-cluster[W,C,M]} masters (real executor processes on this machine, used by the tests) a
 * Spark home made of this JVM's class path. On a real cluster ({@code spark-submit}) the cluster's Spark home
 * and the submitted jar are used instead; see docs/spark.md.
 */
public final class SparkSetup {
    /** Package openings Spark needs on JDK 17+ (without {@code java.io}, closure serialization fails). */
    public static final List<String> JVM_OPTIONS = List.of(
            "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    private SparkSetup() {}

    /**
     * A context for {@code master} ({@code local[N]}, {@code local-cluster[W,C,M]}, {@code spark://...},
     * {@code yarn}, {@code k8s://...}); under {@code spark-submit} the submitted settings win.
     *
     * @param threads kernel threads per executor ({@code -Dddsp4j.threads}); its cores, usually
     */
    public static JavaSparkContext context(String master, String appName, int threads) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) conf.setMaster(master);
        String m = conf.get("spark.master");
        String opts = String.join(" ", JVM_OPTIONS) + " -Dddsp4j.threads=" + threads + " -XX:+UseParallelGC";
        conf.setIfMissing("spark.executor.extraJavaOptions", opts);
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        // Our tasks are deterministic and write idempotently; a speculative copy would only cost time.
        conf.set("spark.speculation", "false");
        // A barrier stage that can never get all its slots at once fails after these checks (15 s apart), not 10 min.
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "8");
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (m.startsWith("local-cluster")) localClusterHome(conf);
        return new JavaSparkContext(conf);
    }

    /** Marks a Spark home this class made (and may remake). */
    private static final String MADE_HERE = ".made-by-ddsp4j";

    /**
     * {@code local-cluster} starts executor JVMs through Spark's launcher, which takes the Spark home from the
     * driver's {@code SPARK_HOME} environment variable and wants a {@code RELEASE} file and a {@code jars/} folder
     * there. {@code ./ddsp} and the tests point it at an empty folder, which is filled here with links to this
     * JVM's class path (a real Spark installation there is used as it is); the executors also get that class
     * path, our classes included.
     */
    private static void localClusterHome(SparkConf conf) {
        String env = System.getenv("SPARK_HOME");
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("a local-cluster master starts Spark executor processes, which needs the environment "
                    + "variable SPARK_HOME (./ddsp sets it); set it to an empty folder, or use local[N]");
        }
        try {
            Path home = Path.of(env).toAbsolutePath();
            List<String> cp = new ArrayList<>();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!e.isBlank()) cp.add(Path.of(e).toAbsolutePath().toString());
            }
            boolean real = Files.isRegularFile(home.resolve("RELEASE")) && !Files.exists(home.resolve(MADE_HERE));
            if (!real) fill(home, cp);
            conf.set("spark.home", home.toString());
            conf.setIfMissing("spark.executor.extraClassPath", String.join(File.pathSeparator, cp));
            conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
            conf.setIfMissing("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a Spark home for local-cluster in " + env + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code home} a Spark home of links to the jars of {@code classPath} (again, if made here before). */
    private static synchronized void fill(Path home, List<String> classPath) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (var s = Files.list(jars)) {
            for (Path p : s.toList()) if (Files.isSymbolicLink(p)) Files.delete(p);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String e : classPath) {
            Path p = Path.of(e);
            if (e.endsWith(".jar") && Files.isRegularFile(p) && names.add(p.getFileName().toString())) {
                Files.createSymbolicLink(jars.resolve(p.getFileName().toString()), p);
            }
        }
        if (!Files.exists(home.resolve("RELEASE"))) Files.createFile(home.resolve("RELEASE"));
        if (!Files.exists(home.resolve(MADE_HERE))) Files.createFile(home.resolve(MADE_HERE));
    }
}
