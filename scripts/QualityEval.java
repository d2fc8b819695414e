import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;

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
        ModelDir dir = new ModelDir(Path.of(args[0]));
        Autoencoder model = dir.loadModel();
        ModelConfig cfg = model.config();
        int sr = cfg.sampleRate(), fr = cfg.frameRate();
        List<Path> held = new ArrayList<>(), transfer = new ArrayList<>();
        List<Path> cur = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--heldout")) cur = held;
            else if (args[i].equals("--transfer")) cur = transfer;
            else cur.add(Path.of(args[i]));
        }
        System.out.println("model " + dir.dir() + " (" + cfg.getString("name") + ", step " + dir.readState().step() + ")");
        for (boolean reverb : new boolean[] {true, false}) {
            double ld = 0, f0 = 0, out = 0, rpa = 0;
            long frames = 0, conf = 0;
            for (Path p : held) {
                Examples.Example ex = Examples.wholeFile(AudioFile.readMono(p, sr), cfg);
                AudioFeatures in = AudioFeatures.compute(ex.audio(), sr, fr);
                float[] r = Synthesis.render(model, ex.f0Hz(), ex.loudnessDb(), reverb, 1);
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
        DatasetStats stats = DatasetStats.read(dir.file(ModelDir.STATS));
        long agree = 0, voiced = 0;
        for (Path p : transfer) {
            Examples.Example ex = Examples.wholeFile(AudioFile.readMono(p, sr), cfg);
            float[][] adj = Synthesis.adjust(ex.f0Hz(), ex.f0Confidence(), ex.loudnessDb(), stats.meanPitchMidi(),
                    stats.meanLoudnessDb(), 0, 0, 20, DatasetStats.CONFIDENCE);
            float[] r = Synthesis.render(model, adj[0], adj[1], true, 1);
            boolean[] v = new boolean[adj[0].length];
            for (int i = 0; i < v.length; i++) v[i] = ex.f0Confidence()[i] >= ResynthesisMetrics.MIN_F0_CONFIDENCE;
            ResynthesisMetrics m = ResynthesisMetrics.compute(new AudioFeatures(adj[0], ex.f0Confidence(), v, adj[1], fr),
                    AudioFeatures.compute(r, sr, fr));
            System.out.printf(Locale.ROOT, "transfer %s: octave %+.0f st, within 50 cents on %.2f %% of %d confident frames, f0 L1 %.3f st, outliers %.3f %%%n",
                    p, adj[2][0], 100 * m.rawPitchAccuracy(), m.confidentFrames(), m.f0L1Semitones(), 100 * m.f0OutlierRatio());
            agree += Math.round(m.rawPitchAccuracy() * m.confidentFrames());
            voiced += m.confidentFrames();
        }
        if (voiced > 0) System.out.printf(Locale.ROOT, "POOLED transfer: within 50 cents on %.2f %% of %d confident source frames%n", 100.0 * agree / voiced, voiced);
    }
}
