package org.ddsp4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.ModelDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One training run from a folder, as ./ddsp train and the studio start it. */
class TrainingRunTest {
    static final List<String> SMALL = List.of("decoder.hidden=16", "decoder.gru_units=16", "harmonic.n_harmonics=8",
            "noise.n_bands=9", "reverb.taps=64", "audio.example_seconds=0.2", "loss.fft_sizes=256,64", "train.batch=1");

    @Test
    void trainsAFolderOfRecordingsAndReportsEachStep(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        float[] x = new float[8000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 262 * i / 16000.0));
        AudioFile.writeWav(data.resolve("tone.wav"), x, 16000, WavEncoding.FLOAT_32);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Long> steps = new java.util.ArrayList<>();
        Trainer.Result r = new TrainingRun(new TrainingRun.Request(data, tmp.resolve("m"), null, SMALL, 2L, 600, false),
                new PrintStream(log, true, StandardCharsets.UTF_8)).listener((step, loss) -> steps.add(step)).run();
        assertEquals(2, r.lastStep());
        assertEquals(List.of(1L, 2L), steps);
        ModelDir d = new ModelDir(tmp.resolve("m"));
        assertEquals(2, d.readState().step());
        assertTrue(Files.isRegularFile(d.file(ModelDir.STATS)), "training-set statistics for transfer");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("ddsp train: model tiny"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunThatCannotStartLeavesNoFolder(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        TrainingRun run = new TrainingRun(new TrainingRun.Request(empty, tmp.resolve("m"), null, SMALL, 2L, 600, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        var e = assertThrows(java.io.IOException.class, run::run);
        assertTrue(e.getMessage().contains("holds neither TFRecord shards nor recordings"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void aTimeLimitAloneUsesTheWholeTimeAndAStepCountBoundsIt(@TempDir Path tmp) throws Exception {
        var cfg = org.ddsp4j.model.ModelConfig.builtIn("tiny");
        Path m = tmp.resolve("m");
        assertEquals(Long.MAX_VALUE, TrainingRun.stepLimit(new TrainingRun.Request(tmp, m, null, SMALL, null, 60, false), cfg),
                "--minutes alone: no step limit");
        assertEquals(7, TrainingRun.stepLimit(new TrainingRun.Request(tmp, m, null, SMALL, 7L, 60, false), cfg));
        assertEquals(cfg.train().steps(), TrainingRun.stepLimit(new TrainingRun.Request(tmp, m, null, SMALL, null,
                Double.POSITIVE_INFINITY, false), cfg), "no limit given: train.steps");
    }
}
