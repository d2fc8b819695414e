// Extrapolation (docs/results/extrapolation.md): an instrument played an octave beyond the pitches it was trained on.
// Renders held notes (dry) at the edges of its training range (5th and 95th percentile of its stats.json), at the median
// pitch, and 12 semitones beyond each edge; measures every harmonic's level in the dry output and compares each
// note's spectral envelope (harmonic level against frequency) with its neighbour's, where their frequencies overlap.
//   java --add-modules jdk.incubator.vector -cp "cli/target/ddsp4j-cli-0.1.0-SNAPSHOT.jar:cli/target/lib/*" \
//     scripts/Extrapolation.java [INSTRUMENT] [OUT.png]
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.plot.LinePlot;
import java.nio.file.Path;
import java.util.*;

public class Extrapolation {
    /** Harmonic levels of a held note: dB re full scale of k f0 for k = 1.. below 0.95 Nyquist, on the steady part. */
    static double[][] harmonics(float[] x, int sr, double f0, int from, int to, int maxHarmonics) {
        double wsum = 0;
        int n = to - from;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) { w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)); wsum += w[i]; }
        List<double[]> out = new ArrayList<>();
        for (int k = 1; k <= maxHarmonics && k * f0 < 0.95 * sr / 2; k++) {
            double re = 0, im = 0, om = 2 * Math.PI * k * f0 / sr;
            for (int i = 0; i < n; i++) { double v = x[from + i] * w[i]; re += v * Math.cos(om * i); im -= v * Math.sin(om * i); }
            double amp = 2 * Math.hypot(re, im) / wsum;
            out.add(new double[] {k * f0, 20 * Math.log10(Math.max(amp, 1e-9))});
        }
        return out.toArray(new double[0][]);
    }

    /** Mean |level difference| (dB) of a's harmonics against b's envelope (linear in log frequency), where b covers them. */
    static double[] envelopeDistance(double[][] a, double[][] b) {
        double sum = 0; int n = 0;
        for (double[] h : a) {
            double lf = Math.log(h[0]);
            for (int j = 0; j + 1 < b.length; j++) {
                double l0 = Math.log(b[j][0]), l1 = Math.log(b[j + 1][0]);
                if (lf >= l0 && lf <= l1) {
                    double t = (lf - l0) / (l1 - l0), e = b[j][1] + t * (b[j + 1][1] - b[j][1]);
                    sum += Math.abs(h[1] - e); n++;
                    break;
                }
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, n};
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "violin";
        Path png = Path.of(args.length > 1 ? args[1] : "docs/results/figures/extrapolation-" + name + ".png");
        Instrument ins = Instrument.load(name);
        DatasetStats st = DatasetStats.read(ins.source().resolve(DatasetStats.FILE));
        List<Double> q = st.pitchMidi().quantiles();
        int lo = (int) Math.round(q.get(1)), hi = (int) Math.round(q.get(19)), mid = (int) Math.round(q.get(10));
        double loud = st.pitchedLoudnessDb().quantiles().get(10);   // the median loudness of its pitched frames
        int[] notes = {lo - 12, lo, mid, hi, hi + 12};
        String[] role = {"an octave below the range", "low edge (5 %)", "median", "high edge (95 %)", "an octave above the range"};
        int sr = ins.sampleRate(), fr = ins.frameRate(), frames = 2 * fr;
        System.out.printf(Locale.ROOT, "%s: trained pitch range (5-95 %%) MIDI %d-%d (%.0f-%.0f Hz), median %d; notes at %.1f dB loudness%n",
                name, lo, hi, Conversions.midiToHz((double) lo), Conversions.midiToHz((double) hi), mid, loud);
        double[][][] h = new double[notes.length][][];
        LinePlot.Builder plot = LinePlot.builder().title(name + ": harmonic levels of held notes, inside and beyond the trained range")
                .xLabel("frequency (Hz)").yLabel("harmonic level (dB re full scale)");
        for (int i = 0; i < notes.length; i++) {
            float f0 = (float) Conversions.midiToHz((double) notes[i]);
            float[] f = new float[frames], c = new float[frames], ld = new float[frames];
            boolean[] v = new boolean[frames];
            Arrays.fill(f, f0); Arrays.fill(c, 1f); Arrays.fill(ld, (float) loud); Arrays.fill(v, true);
            float[] audio = ins.render(new AudioFeatures(f, c, v, ld, fr), false);
            h[i] = harmonics(audio, sr, f0, sr / 2, 3 * sr / 2, ins.config().harmonic().nHarmonics());
            float[] back = AudioFeatures.compute(audio, sr, fr).loudnessDb();
            double got = 0; for (int k = fr / 2; k < 3 * fr / 2; k++) got += back[k]; got /= fr;
            double top = Double.NEGATIVE_INFINITY; for (double[] x : h[i]) top = Math.max(top, x[1]);
            System.out.printf(Locale.ROOT, "  MIDI %3d (%6.1f Hz, %s): %3d harmonics (of the model's, below Nyquist), strongest %.1f dB, output loudness %.1f dB (asked %.1f)%n",
                    notes[i], f0, role[i], h[i].length, top, got, loud);
            float[] xs = new float[h[i].length], ys = new float[h[i].length];
            for (int k = 0; k < h[i].length; k++) { xs[k] = (float) h[i][k][0]; ys[k] = (float) h[i][k][1]; }
            plot.series("MIDI " + notes[i] + " (" + role[i] + ")", xs, ys);
        }
        System.out.println("envelope distance: mean |dB| of one note's harmonics against the other note's envelope, where it covers them");
        int[][] pairs = {{2, 1}, {2, 3}, {0, 1}, {4, 3}};
        for (int[] p : pairs) {
            double[] d = envelopeDistance(h[p[0]], h[p[1]]);
            System.out.printf(Locale.ROOT, "  MIDI %d against MIDI %d: %.1f dB over %d harmonics%n", notes[p[0]], notes[p[1]], d[0], (int) d[1]);
        }
        new org.ddsp4j.plot.Figure(1000, 560).add(plot.yRange(-90, 0).build()).save(png);
        System.out.println("figure: " + png);
    }
}
