package org.ddsp4j.train;

import org.ddsp4j.data.DdspExample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model folder's stats.json is the dataset statistics format, at the model's rates. */
class TrainerStatsTest {
    @Test
    void writesDatasetStatsOfTheTrainingExamples(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestConfigs.small();
        List<DdspExample> ex = TrainerTest.clip(cfg);
        ModelDir dir = new ModelDir(tmp.resolve("m"));
        new Trainer(cfg, dir, ex, List.of(), false).writeStats();

        DatasetStats s = DatasetStats.read(dir.file(ModelDir.STATS));
        assertTrue(Files.readString(dir.file(ModelDir.STATS)).contains(DatasetStats.FORMAT));
        assertEquals(cfg.sampleRate(), s.sampleRate());
        assertEquals(cfg.frameRate(), s.frameRate());
        assertNull(s.preparation());
        DatasetStats.Accumulator want = new DatasetStats.Accumulator(DatasetStats.CONFIDENCE);
        for (DdspExample e : ex) want.add(e.f0Hz(), e.f0Confidence(), e.loudnessDb());
        assertEquals(want.toStats(cfg.sampleRate(), cfg.frameRate(), null), s);
        // The clip is a 330 Hz tone: MIDI 64.0 on its pitched frames.
        assertEquals(org.ddsp4j.dsp.Conversions.hzToMidi((double) 330), s.meanPitchMidi(), 0.3);
        assertTrue(Double.isFinite(s.meanLoudnessDb()) && s.stdLoudnessDb() >= 0, "loudness " + s.meanLoudnessDb());
    }
}
