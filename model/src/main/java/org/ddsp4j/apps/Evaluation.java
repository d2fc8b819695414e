package org.ddsp4j.apps;

import org.ddsp4j.data.DdspExample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.io.Json;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;

/**
 * Resynthesis evaluation of a trained model over a set of clips, as magenta/ddsp's
 * {@code ddsp/training/metrics.py} and the DDSP paper (table 2) do it: each clip's f0 and loudness
 * drive the model (with reverb, a fixed noise seed per clip), the features of the resynthesis are
 * re-extracted ({@link AudioFeatures#compute}) and compared with the clip's ({@link ResynthesisMetrics}),
 * and the multi-scale spectral loss of the training configuration is taken between clip and resynthesis.
 *
 * <p>Averaging over clips follows magenta ({@link #summarize}):
 * <ul>
 *   <li>loudness L1 and spectral loss: mean of the per-clip means over all clips;</li>
 *   <li>clips without any input frame of confidence {@code >= 0.85} are not scored for f0
 *       (magenta's {@code is_outlier} discards them: the reference pitch is unreliable);</li>
 *   <li>a scored clip whose mean f0 error exceeds 12 semitones is an outlier clip; the f0 outlier
 *       ratio is outlier clips / scored clips, and the f0 L1 is the mean over the scored clips that
 *       are not outliers (magenta's {@code F0CrepeMetrics});</li>
 *   <li>raw pitch accuracy (50 cents): mean of the per-clip accuracies over all scored clips.</li>
 * </ul>
 */
public final class Evaluation {
    /** Seed base of the filtered noise; clip {@code i} uses {@code NOISE_SEED + i}, so runs are repeatable. */
    public static final long NOISE_SEED = 12345;

    /** One clip's result: the resynthesis metrics and the spectral loss between clip and resynthesis. */
    public record Clip(int index, ResynthesisMetrics metrics, double spectralLoss) {}

    /**
     * The averaged result (see the class comment for the rules).
     *
     * @param clips           clips evaluated
     * @param scoredClips     clips with at least one confident input frame (f0 metrics defined)
     * @param outlierClips    scored clips whose mean f0 error exceeds 12 semitones
     * @param loudnessL1Db    dB, mean over all clips
     * @param f0L1Semitones   semitones, mean over scored non-outlier clips (NaN if none)
     * @param f0OutlierRatio  outlierClips / scoredClips (NaN if none scored)
     * @param rawPitchAccuracy mean over scored clips of the share of confident frames within 50 cents
     * @param spectralLoss    the training loss (multi-scale spectral), mean over all clips
     * @param perClip         every clip's result, in order
     */
    public record Summary(int clips, int scoredClips, int outlierClips, double loudnessL1Db, double f0L1Semitones,
                          double f0OutlierRatio, double rawPitchAccuracy, double spectralLoss, List<Clip> perClip) {
        /**
         * Frame-level figures pooled over every clip's confident frames (not magenta's per-clip averages): f0 L1
         * (outliers included), the share of outlier frames (output unvoiced or more than 12 semitones off) and the
         * loudness L1 on those frames; each NaN without confident frames.
         */
        public record Pooled(long confidentFrames, double f0L1Semitones, double outlierFrameRatio, double loudnessL1VoicedDb) {}

        public Pooled pooled() {
            long n = 0;
            double f0 = 0, out = 0, loud = 0;
            for (Clip c : perClip) {
                ResynthesisMetrics r = c.metrics();
                if (r.confidentFrames() == 0) continue;
                n += r.confidentFrames();
                f0 += r.f0L1Semitones() * r.confidentFrames();
                out += r.f0OutlierRatio() * r.confidentFrames();
                loud += r.loudnessL1VoicedDb() * r.confidentFrames();
            }
            return n == 0 ? new Pooled(0, Double.NaN, Double.NaN, Double.NaN) : new Pooled(n, f0 / n, out / n, loud / n);
        }

        /** JSON: the averages (snake_case, NaN as null) and a {@code per_example} array. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("examples", clips);
            m.put("scored_examples", scoredClips);
            m.put("outlier_examples", outlierClips);
            m.put("loudness_l1_db", num(loudnessL1Db));
            m.put("f0_l1_semitones", num(f0L1Semitones));
            m.put("f0_outlier_ratio", num(f0OutlierRatio));
            m.put("raw_pitch_accuracy", num(rawPitchAccuracy));
            m.put("spectral_loss", num(spectralLoss));
            Pooled p = pooled();
            Map<String, Object> frames = new LinkedHashMap<>();
            frames.put("confident_frames", p.confidentFrames());
            frames.put("f0_l1_semitones", num(p.f0L1Semitones()));
            frames.put("f0_outlier_frame_ratio", num(p.outlierFrameRatio()));
            frames.put("loudness_l1_voiced_db", num(p.loudnessL1VoicedDb()));
            m.put("pooled_frames", frames);
            m.put("confidence_threshold", ResynthesisMetrics.MIN_F0_CONFIDENCE);
            List<Object> rows = new ArrayList<>();
            for (Clip c : perClip) {
                ResynthesisMetrics r = c.metrics();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", c.index());
                e.put("frames", r.frames());
                e.put("confident_frames", r.confidentFrames());
                e.put("loudness_l1_db", num(r.loudnessL1Db()));
                e.put("loudness_l1_voiced_db", num(r.loudnessL1VoicedDb()));
                e.put("f0_l1_semitones", num(r.f0L1Semitones()));
                e.put("f0_outlier_frame_ratio", num(r.f0OutlierRatio()));
                e.put("raw_pitch_accuracy", num(r.rawPitchAccuracy()));
                e.put("spectral_loss", num(c.spectralLoss()));
                rows.add(e);
            }
            m.put("per_example", rows);
            return Json.write(m, true) + "\n";
        }

        /** An aligned table for a terminal. */
        public String toTable() {
            StringBuilder sb = new StringBuilder();
            row(sb, "examples", clips + " (" + scoredClips + " with confident f0, " + outlierClips + " outliers)");
            row(sb, "loudness L1", fmt(loudnessL1Db, "%.3f") + " dB");
            row(sb, "f0 L1", fmt(f0L1Semitones, "%.3f") + " semitones (non-outlier examples, confident frames)");
            row(sb, "f0 outlier ratio", fmt(f0OutlierRatio, "%.4f") + " (examples with mean f0 error > 12 semitones)");
            row(sb, "raw pitch accuracy", fmt(rawPitchAccuracy, "%.4f") + " (confident frames within 50 cents)");
            row(sb, "spectral loss", fmt(spectralLoss, "%.4f") + " (multi-scale, training configuration)");
            Pooled p = pooled();
            sb.append(String.format(Locale.ROOT, "pooled over the %d confident frames of all examples:%n", p.confidentFrames()));
            row(sb, "  f0 L1", fmt(p.f0L1Semitones(), "%.3f") + " semitones");
            row(sb, "  outlier frames", fmt(100 * p.outlierFrameRatio(), "%.2f") + " % (output unvoiced or > 12 semitones off)");
            row(sb, "  loudness L1", fmt(p.loudnessL1VoicedDb(), "%.3f") + " dB (voiced frames)");
            return sb.toString();
        }

        private static Object num(double v) {
            return Double.isFinite(v) ? (Object) v : null;
        }

        private static String fmt(double v, String format) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
        }

        private static void row(StringBuilder sb, String name, String value) {
            sb.append(String.format(Locale.ROOT, "%-20s %s%n", name, value));
        }
    }

    private Evaluation() {}


    /**
     * The clips to evaluate in {@code dir}: its {@code eval} TFRecord split when it has one (from
     * {@code ./ddsp prepare}), otherwise every recording in it (recursively) cut into consecutive,
     * non-overlapping clips of {@code audio.example_seconds} (a recording shorter than that is one
     * zero-padded clip).
     *
     * @throws IOException when {@code dir} is missing, holds only a train split, or holds nothing usable
     */
    public static List<DdspExample> loadClips(Path dir, ModelConfig cfg) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("data directory " + dir + " does not exist");
        if (!DdspDataset.shards(dir, DdspDataset.EVAL).isEmpty()) return Examples.fromDataset(dir, DdspDataset.EVAL, cfg);
        if (!DdspDataset.shards(dir, DdspDataset.TRAIN).isEmpty()) {
            throw new IOException(dir + " holds a train split but no eval split (eval.tfrecord*); prepare the data with an eval"
                    + " split (./ddsp prepare --help), or pass a folder of held-out recordings");
        }
        ModelConfig windows = cfg.with("audio.example_hop_seconds", String.valueOf(cfg.audio().exampleSeconds()));
        return Examples.fromAudioFiles(Examples.audioFiles(dir), windows);
    }

    /**
     * Evaluates one clip.
     *
     * @param clip  {@code audio [F * hop]} at the model's rate with its {@code [F]} f0, confidence and loudness
     * @param index the clip's position (selects the noise seed)
     */
    public static Clip evaluate(Autoencoder model, SpectralLoss loss, DdspExample clip, int index) {
        ModelConfig cfg = model.config();
        int frames = clip.f0Hz().length;
        if (clip.audio().length != frames * cfg.hop()) {
            throw new IllegalArgumentException("clip " + index + " has " + clip.audio().length + " samples for " + frames
                    + " frames; the model needs frames * hop = " + frames * cfg.hop() + " (hop " + cfg.hop() + ")");
        }
        float[] audio = model.render(clip.f0Hz(), clip.loudnessDb(), clip.audio(), true, NOISE_SEED + index);
        boolean[] voiced = new boolean[frames];
        for (int i = 0; i < frames; i++) voiced[i] = clip.f0Confidence()[i] >= ResynthesisMetrics.MIN_F0_CONFIDENCE;
        AudioFeatures in = new AudioFeatures(clip.f0Hz(), clip.f0Confidence(), voiced, clip.loudnessDb(), cfg.frameRate());
        AudioFeatures out = AudioFeatures.compute(audio, cfg.sampleRate(), cfg.frameRate());
        double l;
        try (GradMode g = GradMode.off()) {
            l = loss.loss(Tensor.of(clip.audio(), 1, audio.length), Tensor.of(audio, 1, audio.length)).item();
        }
        return new Clip(index, ResynthesisMetrics.compute(in, out), l);
    }

    /**
     * Evaluates {@code clips} in order and averages.
     *
     * @param progress receives one line per clip (null: silent)
     * @throws IllegalArgumentException when there are no clips
     */
    public static Summary evaluate(Autoencoder model, List<DdspExample> clips, PrintStream progress) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips to evaluate");
        SpectralLoss loss = Trainer.spectralLoss(model.config());
        List<Clip> results = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            Clip c = evaluate(model, loss, clips.get(i), i);
            results.add(c);
            if (progress != null) {
                ResynthesisMetrics r = c.metrics();
                progress.printf(Locale.ROOT, "example %d/%d  loudness L1 %.2f dB  f0 L1 %s st  RPA %s  loss %.4f%n", i + 1,
                        clips.size(), r.loudnessL1Db(), Summary.fmt(r.f0L1Semitones(), "%.3f"),
                        Summary.fmt(r.rawPitchAccuracy(), "%.3f"), c.spectralLoss());
            }
        }
        return summarize(results);
    }

    /** Averages per-clip results by magenta's rules (class comment). */
    public static Summary summarize(List<Clip> clips) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips to summarize");
        double loud = 0, spec = 0, f0 = 0, rpa = 0;
        int scored = 0, outliers = 0, inliers = 0;
        for (Clip c : clips) {
            ResynthesisMetrics r = c.metrics();
            loud += r.loudnessL1Db();
            spec += c.spectralLoss();
            if (r.confidentFrames() == 0) continue;
            scored++;
            rpa += r.rawPitchAccuracy();
            if (r.isOutlierClip()) {
                outliers++;
            } else {
                f0 += r.f0L1Semitones();
                inliers++;
            }
        }
        int n = clips.size();
        return new Summary(n, scored, outliers, loud / n, inliers == 0 ? Double.NaN : f0 / inliers,
                scored == 0 ? Double.NaN : outliers / (double) scored, scored == 0 ? Double.NaN : rpa / scored, spec / n,
                List.copyOf(clips));
    }
}
