import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ddsp4j.plot.ColorMap;
import org.ddsp4j.plot.Figure;
import org.ddsp4j.plot.Heatmap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * One-off measurement for ARCHITECTURE.md's "hand-written code vs libraries": a 4 s spectrogram
 * (1000 frames x 513 bins) as an 800 x 300 PNG, ddsp4j-plot's Heatmap vs JFreeChart 1.5.6's
 * XYBlockRenderer (one filled block per cell).
 *
 * <pre>
 * mvn -q -B compile -pl plot -am
 * java -Djava.awt.headless=true -cp plot/target/classes:core/target/classes:PATH/jfreechart-1.5.6.jar scripts/PlotBench.java
 * </pre>
 */
public class PlotBench {
    public static void main(String[] args) throws Exception {
        int frames = 1000, bins = 513, w = 800, h = 300;
        float[] m = new float[frames * bins];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < m.length; i++) m[i] = (float) (-80 + 80 * r.nextDouble());
        double[][] xyz = new double[3][m.length];
        for (int t = 0; t < frames; t++) {
            for (int b = 0; b < bins; b++) {
                xyz[0][t * bins + b] = t;
                xyz[1][t * bins + b] = b;
                xyz[2][t * bins + b] = m[t * bins + b];
            }
        }
        LookupPaintScale scale = new LookupPaintScale(-80, 0, Color.BLACK);
        for (int k = 0; k < 256; k++) scale.add(-80 + 80 * k / 256.0, new Color(k, k / 2, 255 - k));
        String[] names = {"ddsp4j-plot Heatmap -> PNG", "JFreeChart XYBlockRenderer -> PNG"};
        double[][] ms = new double[2][7];
        int[] size = new int[2];
        for (int rep = 0; rep < 10; rep++) { // 3 warm-up, 7 measured
            for (int v = 0; v < 2; v++) {
                long t0 = System.nanoTime();
                byte[] png;
                if (v == 0) {
                    png = new Figure(w, h).add(Heatmap.ofFrames(m, frames, bins).colorMap(ColorMap.MAGMA).build()).toPng();
                } else {
                    DefaultXYZDataset data = new DefaultXYZDataset();
                    data.addSeries("s", xyz);
                    XYBlockRenderer renderer = new XYBlockRenderer();
                    renderer.setPaintScale(scale);
                    XYPlot plot = new XYPlot(data, new NumberAxis("frame"), new NumberAxis("bin"), renderer);
                    JFreeChart chart = new JFreeChart("spectrogram", plot);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ChartUtils.writeChartAsPNG(out, chart, w, h);
                    png = out.toByteArray();
                }
                double t = (System.nanoTime() - t0) / 1e6;
                size[v] = png.length;
                if (rep >= 3) ms[v][rep - 3] = t;
            }
        }
        for (int v = 0; v < 2; v++) {
            double[] s = ms[v].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-36s median %7.1f ms  (min %.1f, max %.1f), PNG %d bytes%n", names[v], s[3], s[0], s[6], size[v]);
        }
    }
}
