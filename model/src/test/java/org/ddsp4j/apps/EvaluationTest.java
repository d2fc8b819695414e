package org.ddsp4j.apps;

import org.ddsp4j.data.DdspExample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.io.Json;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    static Evaluation.Clip clip(int i, int confident, double loud, double f0, double rpa, double loss) {
        return new Evaluation.Clip(i, new ResynthesisMetrics(100, confident, 0.85, loud, confident == 0 ? Double.NaN : loud,
                confident == 0 ? Double.NaN : f0, confident == 0 ? Double.NaN : f0 > 12 ? 1.0 : 0.0,
                confident == 0 ? Double.NaN : rpa), loss);
    }

    @Test
    void averagesOverClipsAsMagenta() {
        List<Evaluation.Clip> clips = List.of(
                clip(0, 0, 4.0, Double.NaN, Double.NaN, 1.0),   // no confident frames: not scored for f0
                clip(1, 50, 2.0, 15.0, 0.0, 2.0),                // mean f0 error > 12 semitones: outlier clip
                clip(2, 80, 3.0, 0.5, 0.8, 3.0),
                clip(3, 60, 1.0, 1.5, 0.6, 6.0));
        Evaluation.Summary s = Evaluation.summarize(clips);
        assertEquals(4, s.clips());
        assertEquals(3, s.scoredClips());
        assertEquals(1, s.outlierClips());
        assertEquals((4.0 + 2 + 3 + 1) / 4, s.loudnessL1Db(), 1e-12);
        assertEquals((0.5 + 1.5) / 2, s.f0L1Semitones(), 1e-12, "outlier clips are left out of the f0 L1");
        assertEquals(1 / 3.0, s.f0OutlierRatio(), 1e-12);
        assertEquals((0.0 + 0.8 + 0.6) / 3, s.rawPitchAccuracy(), 1e-12);
        assertEquals(3.0, s.spectralLoss(), 1e-12);
        Map<String, Object> json = Json.parseObject(s.toJson());
        assertEquals(1.0, ((Number) json.get("f0_l1_semitones")).doubleValue(), 1e-12);
        assertEquals(4, ((List<?>) json.get("per_example")).size());
        assertTrue(s.toTable().contains("raw pitch accuracy"));
        // Pooled over the 190 confident frames, the outlier clip included.
        Evaluation.Summary.Pooled p = s.pooled();
        assertEquals(190, p.confidentFrames());
        assertEquals((15.0 * 50 + 0.5 * 80 + 1.5 * 60) / 190, p.f0L1Semitones(), 1e-12);
        assertEquals(50 / 190.0, p.outlierFrameRatio(), 1e-12);
        assertEquals((2.0 * 50 + 3.0 * 80 + 1.0 * 60) / 190, p.loudnessL1VoicedDb(), 1e-12);
        assertTrue(s.toTable().contains("outlier frames") && json.containsKey("pooled_frames"), s.toTable());

        Evaluation.Summary none = Evaluation.summarize(List.of(clip(0, 0, 4.0, 0, 0, 1.0)));
        assertTrue(Double.isNaN(none.f0L1Semitones()) && Double.isNaN(none.f0OutlierRatio()));
        assertEquals(null, Json.parseObject(none.toJson()).get("f0_l1_semitones"), "NaN is written as null");
        assertThrows(IllegalArgumentException.class, () -> Evaluation.summarize(List.of()));
    }

    @Test
    void aClipRenderedByTheModelItselfHasZeroSpectralLoss() {
        ModelConfig cfg = TestConfigs.small();
        Autoencoder m = new Autoencoder(cfg);
        int f = cfg.exampleFrames();
        float[] f0 = new float[f], conf = new float[f], ld = new float[f];
        for (int i = 0; i < f; i++) {
            f0[i] = 330;
            conf[i] = 0.95f;
            ld[i] = -30;
        }
        // Clip i is resynthesized with noise seed NOISE_SEED + i: the same render as the clip's audio.
        float[] audio = m.render(f0, ld, null, true, Evaluation.NOISE_SEED + 1);
        DdspExample ex = new DdspExample(audio, f0, conf, ld);
        Evaluation.Clip c = Evaluation.evaluate(m, Trainer.spectralLoss(cfg), ex, 1);
        assertEquals(0.0, c.spectralLoss(), 1e-6);
        boolean[] voiced = new boolean[f];
        Arrays.fill(voiced, true);
        ResynthesisMetrics ref = ResynthesisMetrics.compute(new AudioFeatures(f0, conf, voiced, ld, cfg.frameRate()),
                AudioFeatures.compute(audio, cfg.sampleRate(), cfg.frameRate()));
        assertEquals(ref, c.metrics());

        DdspExample silent = new DdspExample(new float[audio.length], f0, conf, ld);
        Evaluation.Summary s = Evaluation.evaluate(m, List.of(silent, ex), null);
        assertTrue(s.perClip().get(0).spectralLoss() > 0.1, "silence vs the model's output: loss " + s.perClip().get(0).spectralLoss());
        assertEquals(c.spectralLoss(), s.perClip().get(1).spectralLoss(), 1e-9);

        DdspExample bad = new DdspExample(new float[audio.length - 1], f0, conf, ld);
        var e = assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(m, Trainer.spectralLoss(cfg), bad, 0));
        assertTrue(e.getMessage().contains("hop"), e.getMessage());
    }

    @Test
    void recordingsAreCutIntoConsecutiveClips(@TempDir Path tmp) throws IOException {
        ModelConfig cfg = TestConfigs.small();   // 0.2 s examples
        int sr = cfg.sampleRate();
        float[] x = new float[sr / 2];           // 0.5 s: two whole clips
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 200 * i / sr));
        Path dir = Files.createDirectories(tmp.resolve("audio"));
        AudioFile.writeWav(dir.resolve("a.wav"), x, sr, WavEncoding.FLOAT_32);
        List<DdspExample> clips = Evaluation.loadClips(dir, cfg);
        int len = cfg.exampleFrames() * cfg.hop();
        assertEquals(2, clips.size());
        for (int c = 0; c < 2; c++) assertArrayEquals(Arrays.copyOfRange(x, c * len, (c + 1) * len), clips.get(c).audio(), 1e-6f);

        Path trainOnly = Files.createDirectories(tmp.resolve("prepared"));
        Files.write(trainOnly.resolve("train.tfrecord"), new byte[0]);
        var e = assertThrows(IOException.class, () -> Evaluation.loadClips(trainOnly, cfg));
        assertTrue(e.getMessage().contains("no eval split"), e.getMessage());
        assertThrows(IOException.class, () -> Evaluation.loadClips(tmp.resolve("missing"), cfg));
    }
}
