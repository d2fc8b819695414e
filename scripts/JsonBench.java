import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.io.Json;

/**
 * One-off measurement for ARCHITECTURE.md's "hand-written code vs libraries": parse time of the JSON
 * ddsp4j reads (a stats.json; a safetensors header of 200 tensors), core's Json vs Jackson 2.23.
 *
 * <pre>
 * mvn -q -B compile -pl audio -am
 * java -cp audio/target/classes:core/target/classes:PATH/jackson-databind-2.23.0.jar:PATH/jackson-core-2.23.0.jar:PATH/jackson-annotations-2.23.jar scripts/JsonBench.java
 * </pre>
 */
public class JsonBench {
    public static void main(String[] args) throws Exception {
        Random r = new Random(1);
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(0.5);
        float[] f0 = new float[100_000], c = new float[f0.length], l = new float[f0.length];
        for (int i = 0; i < f0.length; i++) {
            f0[i] = (float) (100 + 900 * r.nextDouble());
            c[i] = r.nextFloat();
            l[i] = (float) (-80 * r.nextDouble());
        }
        String stats = acc.add(f0, c, l).toStats(16000, 250, null).toJson();
        Map<String, Object> header = new LinkedHashMap<>();
        long off = 0;
        for (int i = 0; i < 200; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", "F32");
            t.put("shape", List.of(512, 512));
            t.put("data_offsets", List.of(off, off + 512 * 512 * 4));
            off += 512 * 512 * 4;
            header.put("decoder.layer" + i + ".weight", t);
        }
        String st = Json.write(header);
        ObjectMapper jackson = new ObjectMapper();
        String[] docs = {stats, st};
        String[] names = {"stats.json (" + stats.length() / 1000 + " kB)", "safetensors header (" + st.length() / 1000 + " kB)"};
        for (int d = 0; d < 2; d++) {
            double[][] us = new double[2][50];
            for (int rep = 0; rep < 250; rep++) { // 200 warm-up, 50 measured
                for (int v = 0; v < 2; v++) {
                    long t0 = System.nanoTime();
                    Object o = v == 0 ? Json.parse(docs[d]) : jackson.readValue(docs[d], Map.class);
                    double t = (System.nanoTime() - t0) / 1e3;
                    if (o == null) throw new AssertionError();
                    if (rep >= 200) us[v][rep - 200] = t;
                }
            }
            for (int v = 0; v < 2; v++) {
                double[] s = us[v].clone();
                Arrays.sort(s);
                System.out.printf(Locale.ROOT, "%-30s %-14s median %7.1f us  (min %.1f)%n", names[d], v == 0 ? "core Json" : "Jackson 2.23", s[25], s[0]);
            }
        }
    }
}
