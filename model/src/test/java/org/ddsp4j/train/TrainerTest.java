package org.ddsp4j.train;

import org.ddsp4j.data.DdspExample;
import org.ddsp4j.model.ModelDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    /** 0.6 s of a 3-harmonic 330 Hz tone with a loudness swell, cut into 0.2 s examples. */
    static List<DdspExample> clip(ModelConfig cfg) {
        int sr = cfg.sampleRate();
        float[] x = new float[(int) (0.6 * sr)];
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr, env = 0.2 + 0.2 * Math.sin(Math.PI * t / 0.6);
            x[i] = (float) (env * (Math.sin(2 * Math.PI * 330 * t) + 0.5 * Math.sin(2 * Math.PI * 660 * t)
                    + 0.25 * Math.sin(2 * Math.PI * 990 * t)));
        }
        return Examples.windows(x, sr, cfg.frameRate(), cfg.hop(), cfg.exampleFrames(), cfg.exampleFrames() / 2);
    }

    @Test
    void aCollapsedHarmonicPathIsCaughtRestoredWithAHalvedRateAndNeverCheckpointed(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();    // checkpoints every 2 steps
        List<DdspExample> ex = clip(cfg);
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        var log = new java.io.ByteArrayOutputStream();
        Trainer t = new Trainer(cfg, dir, ex, List.of(), false);
        t.setLog(new java.io.PrintStream(log, true));
        t.train(2, 600);
        double alive = t.harmonicShare();
        assertTrue(alive > Trainer.ALIVE_HARMONIC_SHARE, "a fresh model on a tone is mostly harmonic: " + alive);
        // Kill it as training does: the amplitude head (raw output 0) pinned at exp_sigmoid's floor, zero gradient.
        t.model().namedParameters().get("decoder.dense_out.b").data()[0] = -1e4f;
        assertTrue(t.harmonicShare() < 1e-4, "dead: " + t.harmonicShare());
        t.train(4, 600);
        String said = log.toString();
        assertTrue(said.contains("WARNING: the harmonic path has collapsed at step 4"), said);
        assertTrue(said.contains("restoring step 2"), said);
        assertEquals(4, dir.readState().step(), "steps 3-4 trained again from the healthy state");
        assertEquals(cfg.train().learningRate() / 2, dir.readConfig().train().learningRate(), 0f, "the halved rate is recorded");
        assertTrue(t.harmonicShare() > Trainer.COLLAPSED_HARMONIC_SHARE, "alive again: " + t.harmonicShare());
        assertTrue(dir.loadModel().namedParameters().get("decoder.dense_out.b").data()[0] > -100, "the dead weights were never written");
        // At the run's last checkpoint too (step 5 is not a multiple of 2): restored, trained again, then written.
        t.model().namedParameters().get("decoder.dense_out.b").data()[0] = -1e4f;
        t.train(5, 600);
        assertTrue(log.toString().contains("collapsed at step 5") && log.toString().contains("restoring step 4"), log.toString());
        assertEquals(5, dir.readState().step(), "the run does not end on weights it refused to write");
        assertTrue(t.harmonicShare() > Trainer.COLLAPSED_HARMONIC_SHARE);
    }

    /** A room that plays everything (the dry path silenced, as too high a loss.dry_weight does) is caught like a dead harmonic path. */
    @Test
    void aSilencedDryPathIsCaughtAndRestored(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        int sr = cfg.sampleRate();
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        float[] x = new float[(int) (0.6 * sr)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.2 * (r.nextDouble() * 2 - 1));   // unpitched: the harmonic watch is off
        List<DdspExample> ex = Examples.windows(x, sr, cfg.frameRate(), cfg.hop(), cfg.exampleFrames(), cfg.exampleFrames() / 2);
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        var log = new java.io.ByteArrayOutputStream();
        Trainer t = new Trainer(cfg, dir, ex, List.of(), false);
        t.setLog(new java.io.PrintStream(log, true));
        t.train(2, 600);
        assertTrue(t.dryLevelDb() > Trainer.PLAYING_DRY_DB, "playing: " + t.dryLevelDb());
        float[] b = t.model().namedParameters().get("decoder.dense_out.b").data();
        java.util.Arrays.fill(b, -1e4f);                                    // every amplitude at exp_sigmoid's floor
        assertTrue(t.dryLevelDb() < Trainer.SILENT_DRY_DB, "silenced: " + t.dryLevelDb());
        t.train(4, 600);
        String said = log.toString();
        assertTrue(said.contains("WARNING: the dry path has gone silent at step 4") && said.contains("loss.dry_weight"), said);
        assertTrue(said.contains("restoring step 2"), said);
        assertTrue(t.dryLevelDb() > Trainer.SILENT_DRY_DB, "playing again: " + t.dryLevelDb());
    }

    @Test
    void aModelThatStartsNoiseDominatedIsNotACollapse(@TempDir Path tmp) throws Exception {
        // The harmonic amplitude starts at exp_sigmoid's floor: a noise-dominated start (as the paper's solo has),
        // which training may still grow out of. Checkpoints are written and nothing is restored.
        ModelConfig cfg = TestConfigs.small().with("harmonic.amplitude_bias", "-30");
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        var log = new java.io.ByteArrayOutputStream();
        Trainer t = new Trainer(cfg, dir, clip(cfg), List.of(), false);
        t.setLog(new java.io.PrintStream(log, true));
        assertTrue(t.harmonicShare() < Trainer.COLLAPSED_HARMONIC_SHARE, "starts below the collapse line: " + t.harmonicShare());
        t.train(4, 600);
        assertEquals(4, dir.readState().step());
        assertTrue(!log.toString().contains("WARNING"), log.toString());
    }

    @Test
    void aFewStepsReduceTheLoss(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = clip(cfg);
        assertTrue(ex.size() >= 4, "examples: " + ex.size());
        Trainer t = new Trainer(cfg, new ModelDir(tmp.resolve("m")), ex, List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        double before = t.evaluate(ex);
        t.train(30, 600);
        double after = t.evaluate(ex);
        assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);
        ModelDir d = new ModelDir(tmp.resolve("m"));
        assertEquals(30, d.readState().step());
        assertTrue(Files.size(d.file(ModelDir.CURVE)) > 1000);
        assertEquals(30, d.readLosses(Long.MAX_VALUE).size());
    }

    @Test
    void resumeContinuesIdentically(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = clip(cfg);
        var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        Trainer straight = new Trainer(cfg, new ModelDir(tmp.resolve("a")), ex, List.of(), false);
        straight.setLog(quiet);
        Trainer.Result ra = straight.train(6, 600);

        Trainer first = new Trainer(cfg, new ModelDir(tmp.resolve("b")), ex, List.of(), false);
        first.setLog(quiet);
        first.train(3, 600);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(cfg, new ModelDir(tmp.resolve("b")), ex, List.of(), false),
                "refuses to overwrite a trained model without --resume");
        new ModelDir(tmp.resolve("b")).exportTo(tmp.resolve("shipped"), org.ddsp4j.io.SafeTensors.Precision.F16, false);
        IllegalArgumentException exported = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(cfg, new ModelDir(tmp.resolve("shipped")), ex, List.of(), true));
        assertTrue(exported.getMessage().contains("exported model"), exported.getMessage());
        Trainer resumed = new Trainer(cfg, new ModelDir(tmp.resolve("b")), ex, List.of(), true);
        resumed.setLog(quiet);
        assertEquals(3, resumed.step());
        Trainer.Result rb = resumed.train(6, 600);

        // Same data order, noise and optimizer state, and arithmetic that depends neither on the JIT
        // nor on the thread count: the resumed run is the uninterrupted one, bit for bit.
        assertEquals(ra.lastLoss(), rb.lastLoss(), 0.0);
        var pa = straight.model().namedParameters();
        var pb = resumed.model().namedParameters();
        assertEquals(pa.keySet(), pb.keySet());
        for (String k : pa.keySet()) assertArrayEquals(pa.get(k).data(), pb.get(k).data(), 0f, k);
        List<double[]> la = ra.losses(), lb = rb.losses();
        assertEquals(la.size(), lb.size());
        for (int i = 0; i < la.size(); i++) assertArrayEquals(la.get(i), lb.get(i), 0.0, "loss history row " + i);
        assertEquals(Files.readString(tmp.resolve("a").resolve(ModelDir.LOSSES)), Files.readString(tmp.resolve("b").resolve(ModelDir.LOSSES)),
                "the same losses.csv");
    }

    @Test
    void nonFiniteLossStopsWithoutACheckpoint(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = new ArrayList<>(clip(cfg));
        for (int i = 0; i < ex.size(); i++) {
            DdspExample e = ex.get(i);
            float[] a = e.audio().clone();
            a[7] = Float.NaN;
            ex.set(i, new DdspExample(a, e.f0Hz(), e.f0Confidence(), e.loudnessDb()));
        }
        ModelDir d = new ModelDir(tmp.resolve("nan"));
        Trainer t = new Trainer(cfg, d, ex, List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        Tensor before = t.model().namedParameters().firstEntry().getValue().copy();
        var e = assertThrows(Trainer.DivergedException.class, () -> t.train(5, 600));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("step 0"), e.getMessage());
        assertFalse(d.hasCheckpoint());
        assertArrayEquals(before.data(), t.model().namedParameters().firstEntry().getValue().data(), "weights untouched");
    }

    @Test
    void batchOrderIsAPermutationPerEpoch(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = clip(cfg);
        Trainer t = new Trainer(cfg, new ModelDir(tmp.resolve("o")), ex, List.of(), false);
        int n = ex.size();
        boolean[] seen = new boolean[n];
        int count = 0;
        for (long s = 0; count < n; s++) {
            for (int i : t.batchIndices(s)) {
                if (count < n) {
                    assertFalse(seen[i], "example " + i + " twice in one epoch");
                    seen[i] = true;
                    count++;
                }
            }
            if (n % 2 != 0) break; // odd sizes straddle epochs; the even case is checked exactly
        }
    }

    /** --resume applies and records what may change (optimization) and refuses what may not (architecture). */
    @Test
    void resumeAppliesSafeOverridesAndRefusesArchitectureChanges(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = clip(cfg);
        var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        Trainer first = new Trainer(cfg, dir, ex, List.of(), false);
        first.setLog(quiet);
        first.train(2, 600);
        ModelConfig safer = cfg.with(List.of("train.learning_rate=0.002", "train.batch=1", "train.checkpoint_every=1"));
        Trainer resumed = new Trainer(safer, dir, ex, List.of(), true);
        resumed.setLog(quiet);
        assertEquals(0.002f, resumed.config().train().learningRate());
        assertEquals(1, resumed.config().train().batch());
        assertEquals(0.002f, dir.readConfig().train().learningRate(), "recorded in config.json");
        assertEquals(4, resumed.train(4, 600).lastStep());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(cfg.with("decoder.gru_units", "8"), dir, ex, List.of(), true));
        assertTrue(e.getMessage().contains("decoder.gru_units"), e.getMessage());
        assertEquals(16, dir.readConfig().decoder().gruUnits(), "the refused change left config.json alone");
    }

    @Test
    void aListenerSeesEveryStepAndAStopEndsWithACheckpoint(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small().with("train.checkpoint_every", "100");
        Trainer t = new Trainer(cfg, new ModelDir(tmp.resolve("m")), clip(cfg), clip(cfg), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<Long> steps = new ArrayList<>(), evaluated = new ArrayList<>();
        t.setListener(new Trainer.Listener() {
            @Override
            public void step(long step, double loss) {
                assertTrue(Double.isFinite(loss));
                steps.add(step);
                if (step == 3) t.requestStop(); // as the studio's Stop button, from any thread
            }

            @Override
            public void evaluated(long step, double evalLoss) {
                evaluated.add(step);
            }
        });
        Trainer.Result r = t.train(50, 600);
        assertEquals(List.of(1L, 2L, 3L), steps);
        assertEquals(3, r.lastStep());
        assertEquals(List.of(3L), evaluated, "the checkpoint at the stop evaluates");
        assertEquals(3, new ModelDir(tmp.resolve("m")).readState().step());
    }

    @Test
    void aTimeLimitedRunStretchesTheScheduleOverItsBudgetAndAResumeContinuesIt(@TempDir Path tmp) throws Exception {
        // A schedule of 100,000 steps halving every 10,000: a 2 s run cannot reach its end by steps, only by time.
        ModelConfig cfg = TestConfigs.small().setAll(List.of("train.steps=100000", "train.decay_steps=10000",
                "train.decay_rate=0.5", "train.checkpoint_every=1000000"));
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        Trainer t = new Trainer(cfg, dir, clip(cfg), List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<Double> positions = new ArrayList<>();
        t.setListener((step, loss) -> positions.add(t.schedulePosition()));
        Trainer.Result r = t.train(Long.MAX_VALUE, 2.0);
        assertTrue(r.lastStep() > 2 && r.lastStep() < 100000, "steps in 2 s: " + r.lastStep());
        assertTrue(r.seconds() >= 2.0, "the whole budget is used: " + r.seconds());
        for (int i = 1; i < positions.size(); i++) assertTrue(positions.get(i) >= positions.get(i - 1), "never backwards: " + positions);
        assertTrue(positions.getFirst() < 10000 && positions.getLast() > 50000, "from the start towards the end: " + positions);
        ModelDir.State s = dir.readState();
        assertEquals(100000, s.schedule(), 0, "at the time limit the schedule stands at its end, train.steps");
        assertEquals(r.lastStep(), s.step());

        // Resumed by steps, the schedule goes on from where it stood (not from the step count).
        Trainer again = new Trainer(cfg, dir, clip(cfg), List.of(), true);
        again.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertEquals(100000, again.schedulePosition(), 0);
        again.train(s.step() + 2, 600);
        assertEquals(100002, dir.readState().schedule(), 0, "a run bounded by steps moves the schedule one per step");
    }

    @Test
    void aRunBoundedByStepsFollowsTheStepCount(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        Trainer t = new Trainer(cfg, dir, clip(cfg), List.of(), false);
        t.setLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        t.setListener((step, loss) -> assertEquals(step, t.schedulePosition(), 0));
        t.train(3, 600);   // a time limit with a step count: the steps rule the schedule
        assertEquals(3, dir.readState().schedule(), 0);
    }
}
