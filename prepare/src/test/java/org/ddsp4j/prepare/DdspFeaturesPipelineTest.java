package org.ddsp4j.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production wiring (AudioFile + PitchTracker + Loudness) through the pipeline on a known tone. */
class DdspFeaturesPipelineTest {
    @Test
    void a220HzToneComesOutAsMidi57(@TempDir Path tmp) throws Exception {
        int sr = 16000;
        float[] x = new float[(int) (4.5 * sr)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * i / sr));
        // Written at 32 kHz so the real resampler is on the path too.
        float[] x32 = new float[x.length * 2];
        for (int i = 0; i < x32.length; i++) x32[i] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * i / (2.0 * sr)));
        AudioFile.writeWav(tmp.resolve("in/tone.wav"), x32, 2 * sr, org.ddsp4j.audio.WavEncoding.PCM_16);
        PrepareConfig cfg = new PrepareConfig(sr, 250, 4, 1, 0.0, 1, 1.0, false, 0.5);
        PrepareSummary s = new PreparePipeline(cfg, AudioFile::readMono, new DdspFeatures())
                .run(List.of(tmp.resolve("in")), tmp.resolve("out"), false, new String[0], null);
        List<DdspExample> ex = DdspDataset.open(tmp.resolve("out"), "train").readAll();
        assertEquals(1, ex.size());
        ex.getFirst().checkShape(64000, 1001);
        // Frames away from the edges: f0 within 0.1 semitone of MIDI 57 (220 Hz).
        DatasetStats.Distribution p = s.stats().pitchMidi();
        assertEquals(57.0, p.quantiles().get(DatasetStats.QUANTILE_PERCENTS.indexOf(50)), 0.1);
        for (int k = 50; k < 950; k++) assertEquals(220.0, ex.getFirst().f0Hz()[k], 220.0 * 0.006, "frame " + k);
    }
}
