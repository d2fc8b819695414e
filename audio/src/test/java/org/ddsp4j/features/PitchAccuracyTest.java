package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on real sampled-instrument audio rendered by {@code ../shared/data/render.sh}; skipped when
 * the renders are absent. Data folder: {@code $DDSP4J_DATA}, else {@code /tmp/ddsp-data}.
 * Render with {@code bash ../shared/data/render.sh /tmp/ddsp-data sample} (the {@code ddsp4j.shared}
 * system property, set by the build, points at {@code ../shared}).
 */
class PitchAccuracyTest {

    @Test
    void pooledRawPitchAccuracyOnRenderedInstruments() throws Exception {
        Path dir = PitchEvaluation.defaultDataDir();
        String shared = System.getProperty("ddsp4j.shared", "../shared");
        assumeTrue(Files.isRegularFile(dir.resolve("manifest.csv")),
                "no rendered data in " + dir + "; render with: bash " + Path.of(shared, "data/render.sh") + " " + dir + " sample");
        List<PitchEvaluation.Score> scores = PitchEvaluation.evaluate(dir,
                PitchTracker::new, 40, null);
        assumeTrue(!scores.isEmpty(), "manifest in " + dir + " lists no existing WAV files");
        PitchEvaluation.Score pooled = PitchEvaluation.pooled(scores, "POOLED");
        String table = PitchEvaluation.table(scores);
        System.out.print(table);
        // Measured 0.9836 pooled on the 11-file sample set with the defaults (0.9835 before the floor test; onset relabelling on; 0.9594
        // with it off; praat and aubio yin 0.944 on the same files), octave errors 0.09% (docs/results/pitch.md).
        assertTrue(pooled.rpa() >= 0.98, "pooled RPA " + pooled.rpa() + " < 0.98\n" + table);
        assertTrue(pooled.octaveErrorRate() < 0.01, "pooled octave-error rate " + pooled.octaveErrorRate() + "\n" + table);
    }

    /**
     * The causal {@link LiveTracker} against the offline tracker on the same files: pooled raw pitch accuracy
     * within 1.5 points, octave errors no more frequent (docs/results/realtime.md has the tables).
     */
    @Test
    void liveTrackerIsWithinOnePointFiveOfTheOfflineTracker() throws Exception {
        Path dir = PitchEvaluation.defaultDataDir();
        assumeTrue(Files.isRegularFile(dir.resolve("manifest.csv")), "no rendered data in " + dir);
        List<PitchEvaluation.Score> offline = PitchEvaluation.evaluate(dir, PitchTracker::new, 40, null);
        List<PitchEvaluation.Score> live = PitchEvaluation.evaluateLive(dir, LiveTracker::new, 40, null);
        assumeTrue(!offline.isEmpty(), "manifest in " + dir + " lists no existing WAV files");
        PitchEvaluation.Score off = PitchEvaluation.pooled(offline, "OFFLINE"), on = PitchEvaluation.pooled(live, "LIVE");
        String table = PitchEvaluation.table(live);
        System.out.print(table);
        // Measured 0.9754 live vs 0.9835 offline, octave errors 0.08% vs 0.09% (11-file sample set).
        assertTrue(on.rpa() >= off.rpa() - 0.015, "live RPA " + on.rpa() + " vs offline " + off.rpa() + "\n" + table);
        assertTrue(on.octaveErrorRate() <= off.octaveErrorRate(),
                "live octave errors " + on.octaveErrorRate() + " vs offline " + off.octaveErrorRate() + "\n" + table);
    }
}
