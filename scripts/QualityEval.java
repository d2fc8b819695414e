import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.TransferRecipe;
import org.ddsp4j.kernel.Parallel;

/**
 * Quality of a trained model on held-out recordings (docs/results/quality.md):
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp 'cli/target/lib/*' scripts/QualityEval.java \
 *       MODEL_DIR --heldout A.wav B.wav ... --transfer C.wav ...
 * </pre>
 * Resynthesis: ResynthesisMetrics of each held-out file (features re-extracted from the rendering),
 * pooled over files weighted by frames. Transfer: each source is auto-adjusted (octave toward the
 * training set, loudness matched), rendered, and its tracked pitch compared with the shifted source
 * pitch on the source's confident frames (within 50 cents).
 */
public class QualityEval {
    public static void main(String[] args) throws Exception {
        Parallel.setThreads(2);
        Instrument instrument = Instrument.load(args[0]);
        int sr = instrument.sampleRate(), fr = instrument.frameRate();
        List<Path> held = new ArrayList<>(), transfer = new ArrayList<>();
        List<Path> cur = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--heldout")) cur = held;
            else if (args[i].equals("--transfer")) cur = transfer;
            else cur.add(Path.of(args[i]));
        }
        System.out.println("model " + args[0] + " (" + instrument.config().name() + ")");
        for (boolean reverb : new boolean[] {true, false}) {
            double ld = 0, f0 = 0, out = 0, rpa = 0;
            long frames = 0, conf = 0;
            for (Path p : held) {
                float[] x = instrument.read(p);
                AudioFeatures in = AudioFeatures.compute(instrument.analyze(x).audio(), sr, fr);
                float[] r = instrument.resynthesize(x, reverb);
                ResynthesisMetrics m = ResynthesisMetrics.compute(in, AudioFeatures.compute(r, sr, fr));
                System.out.printf(Locale.ROOT, "resynth%s %s: loudness L1 %.3f dB, f0 L1 %.4f st, outliers %.4f %%, RPA %.4f (%d frames, %d confident)%n",
                        reverb ? "" : " (no reverb)", p.getFileName(), m.loudnessL1Db(), m.f0L1Semitones(), 100 * m.f0OutlierRatio(),
                        m.rawPitchAccuracy(), m.frames(), m.confidentFrames());
                ld += m.loudnessL1Db() * m.frames();
                frames += m.frames();
                f0 += m.f0L1Semitones() * m.confidentFrames();
                out += m.f0OutlierRatio() * m.confidentFrames();
                rpa += m.rawPitchAccuracy() * m.confidentFrames();
                conf += m.confidentFrames();
            }
            System.out.printf(Locale.ROOT, "POOLED resynth%s: loudness L1 %.3f dB, f0 L1 %.4f semitones, outliers %.4f %%, RPA %.4f over %d frames (%d confident)%n",
                    reverb ? "" : " (no reverb)", ld / frames, f0 / conf, 100 * out / conf, rpa / conf, frames, conf);
        }
        long agree = 0, voiced = 0;
        for (Path p : transfer) {
            Instrument.Transfer t = instrument.transfer(instrument.read(p), TransferRecipe.defaults());
            AudioFeatures src = t.source();
            double ratio = Math.pow(2, t.octaveShiftSemitones() / 12);
            float[] target = new float[src.nFrames()];
            boolean[] v = new boolean[target.length];
            for (int i = 0; i < v.length; i++) {
                target[i] = (float) (src.f0Hz()[i] * ratio);
                v[i] = src.f0Confidence()[i] >= ResynthesisMetrics.MIN_F0_CONFIDENCE;
            }
            ResynthesisMetrics m = ResynthesisMetrics.compute(new AudioFeatures(target, src.f0Confidence(), v, src.loudnessDb(), fr),
                    AudioFeatures.compute(t.audio(), sr, fr));
            System.out.printf(Locale.ROOT, "transfer %s: octave %+.0f st, within 50 cents on %.2f %% of %d confident frames, f0 L1 %.3f st, outliers %.3f %%%n",
                    p, t.octaveShiftSemitones(), 100 * m.rawPitchAccuracy(), m.confidentFrames(), m.f0L1Semitones(), 100 * m.f0OutlierRatio());
            agree += Math.round(m.rawPitchAccuracy() * m.confidentFrames());
            voiced += m.confidentFrames();
        }
        if (voiced > 0) System.out.printf(Locale.ROOT, "POOLED transfer: within 50 cents on %.2f %% of %d confident source frames%n", 100.0 * agree / voiced, voiced);
    }
}
