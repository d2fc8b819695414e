// Dereverberation check (docs/results/instruments.md, "Reverberant data"): gap level below the notes of dry,
// reverberant, dereverberated (--no-reverb), re-rendered and re-reverberated audio, the notes' loudness L1 of the
// dereverberated output against the dry original, and the learned room's T60.
//   java --add-modules jdk.incubator.vector -cp "cli/target/ddsp4j-cli-0.1.0-SNAPSHOT.jar:cli/target/lib/*" scripts/RoomCheck.java MODEL REVERBERANT_DIR DRY_DIR [FIGURE.png FILE]
// (the two folders hold the same file names; the files of REVERBERANT_DIR are the dry ones through a room).
import org.ddsp4j.inference.*;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.audio.AudioFile;
import java.nio.file.*;
import java.util.*;

/** Gap level (dB below the notes) of dry, reverberant, dereverberated and re-reverberated audio; room T60. */
public class RoomCheck {
    static float[] loud(Instrument t, float[] x) { return AudioFeatures.compute(x, t.sampleRate(), t.frameRate()).loudnessDb(); }

    public static void main(String[] a) throws Exception {
        Instrument t = Instrument.load(Path.of(a[0]));
        Path rev = Path.of(a[1]), dry = Path.of(a[2]);
        double[] sum = new double[5], noteL1 = new double[2]; int files = 0;
        System.out.println("file: gap level below the notes (dB): dry | reverberant input | model --no-reverb | model with room | learned room on the dry");
        try (var s = Files.list(rev)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".wav")).sorted().toList()) {
                float[] d = t.read(dry.resolve(p.getFileName())), r = t.read(p);
                int n = Math.min(d.length, r.length);
                d = Arrays.copyOf(d, n); r = Arrays.copyOf(r, n);
                float[] nr = t.resynthesize(r, false), wr = t.resynthesize(r, true), rd = t.applyRoom(d, false);
                float[] ld = loud(t, d);
                // Notes: frames within 20 dB of the dry file's loud level; gaps: frames 60 ms or more after the dry
                // loudness fell 40 dB below that level (release tails and silences between notes), before the last 0.5 s.
                float[] sorted = ld.clone(); Arrays.sort(sorted);
                double top = sorted[(int) (0.95 * (sorted.length - 1))];
                boolean[] note = new boolean[ld.length], gap = new boolean[ld.length];
                int quietRun = 0;
                for (int i = 0; i < ld.length; i++) {
                    note[i] = ld[i] > top - 20;
                    quietRun = ld[i] < top - 40 ? quietRun + 1 : 0;
                    gap[i] = quietRun >= 15 && i < ld.length - t.frameRate() / 2;
                }
                float[][] xs = {d, r, nr, wr, rd}, ls = new float[xs.length][];
                for (int k = 0; k < xs.length; k++) ls[k] = k == 0 ? ld : loud(t, xs[k]);
                // The notes' level: --no-reverb against the dry original, the model with its room against its input.
                float[] lnr = ls[2], lwr = ls[3], lr = ls[1];
                double dn = 0, dw = 0; int nn0 = 0;
                for (int i = 0; i < Math.min(lnr.length, ld.length); i++) {
                    if (!note[i]) continue;
                    dn += Math.abs(lnr[i] - ld[i]); dw += Math.abs(lwr[i] - lr[i]); nn0++;
                }
                noteL1[0] += dn / nn0; noteL1[1] += dw / nn0;
                StringBuilder sb = new StringBuilder(p.getFileName() + ":");
                for (int k = 0; k < xs.length; k++) {
                    float[] l = ls[k];
                    double ns = 0, gs = 0; int nn = 0, gn = 0;
                    for (int i = 0; i < Math.min(l.length, ld.length); i++) {
                        if (note[i]) { ns += l[i]; nn++; }
                        if (gap[i]) { gs += l[i]; gn++; }
                    }
                    double rel = gs / gn - ns / nn;
                    sum[k] += rel;
                    sb.append(String.format(Locale.ROOT, " %7.1f", rel));
                }
                files++;
                System.out.println(sb);
            }
        }
        System.out.printf(Locale.ROOT, "mean over %d files: dry %.1f | reverberant %.1f | --no-reverb %.1f | with room %.1f | room on dry %.1f dB%n",
                files, sum[0] / files, sum[1] / files, sum[2] / files, sum[3] / files, sum[4] / files);
        System.out.printf(Locale.ROOT, "loudness L1 in the notes: --no-reverb vs the dry original %.2f dB | with room vs the input %.2f dB%n",
                noteL1[0] / files, noteL1[1] / files);
        float[] ir = t.decompose(t.analyze(t.read(rev.resolve("scale_vib0_s1.wav")))).impulseResponse();
        double e = 0; for (float v : ir) e += v * v;
        // Schroeder integration of the learned IR: T60 from the -5..-25 dB slope.
        double[] sch = new double[ir.length]; double acc = 0;
        for (int i = ir.length - 1; i >= 0; i--) { acc += ir[i] * ir[i]; sch[i] = acc; }
        int i5 = 0, i25 = 0;
        for (int i = 0; i < ir.length; i++) { double db = 10 * Math.log10(sch[i] / sch[0]); if (db > -5) i5 = i; if (db > -25) i25 = i; }
        System.out.printf(Locale.ROOT, "learned room: energy %.1f dB (wet/dry for white input), T60 %.2f s (from -5..-25 dB)%n",
                10 * Math.log10(e), 3.0 * (i25 - i5) / t.sampleRate());
        if (a.length >= 5) {
            // Spectrograms of one file: dry original, reverberant input, the model without and with its room.
            Path p = rev.resolve(a[4]);
            float[] d = t.read(dry.resolve(a[4])), r = t.read(p);
            int n = Math.min(d.length, r.length);
            d = Arrays.copyOf(d, n); r = Arrays.copyOf(r, n);
            String[] titles = {"dry original (the truth)", "reverberant input", "model --no-reverb (dereverberated)", "model with its room"};
            float[][] xs = {d, r, t.resynthesize(r, false), t.resynthesize(r, true)};
            var fig = new org.ddsp4j.plot.Figure(1400, 4 * 260);
            for (int k = 0; k < 4; k++) {
                fig.add(org.ddsp4j.plot.Spectrogram.of(xs[k], t.sampleRate()).heatmap().title(titles[k] + ": " + a[4]).build());
            }
            fig.save(Path.of(a[3]));
            System.out.println("figure: " + a[3]);
        }
    }
}
