package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.model.ModelDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prepare --spark} and {@code train --spark --workers} from the command line, on {@code local[2]}; their usage errors. */
class SparkCommandsTest {
    static final String[] SMALL = {"--set", "decoder.hidden=16", "--set", "decoder.gru_units=16", "--set", "harmonic.n_harmonics=8",
        "--set", "noise.n_bands=9", "--set", "reverb.taps=64", "--set", "loss.fft_sizes=256,64", "--set", "train.batch=4",
        "--set", "train.checkpoint_every=2"};

    @Test
    void prepareAndTrainOnSpark(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in")), data = tmp.resolve("data"), model = tmp.resolve("model");
        AudioFile.writeWav(in.resolve("a.wav"), TestModels.tone(TestModels.config(), 6.0), 16000, WavEncoding.PCM_16);
        AudioFile.writeWav(in.resolve("b.wav"), TestModels.tone(TestModels.config(), 5.0), 16000, WavEncoding.PCM_16);
        MainTest.Run p = MainTest.run("prepare", "--spark", "local[2]", "--input", in.toString(), "--output", data.toString(),
                "--eval-fraction", "0");
        assertEquals(0, p.status(), p.err());
        assertTrue(DdspDataset.open(data, DdspDataset.TRAIN).count() >= 4);
        String[] train = {"train", "--spark", "local[2]", "--workers", "2", "--data", data.toString(), "--model", model.toString(),
            "--steps", "3"};
        MainTest.Run t = MainTest.run(concat(train, SMALL));
        assertEquals(0, t.status(), t.err());
        assertEquals(3, new ModelDir(model).readState().step());
        MainTest.Run again = MainTest.run(concat(train, SMALL));
        assertEquals(1, again.status(), "a trained model is not overwritten");
        assertTrue(again.err().contains("--resume"), again.err());
        MainTest.Run odd = MainTest.run(concat(new String[] {"train", "--spark", "local[2]", "--workers", "3", "--data", data.toString(),
            "--model", tmp.resolve("odd").toString(), "--steps", "3"}, SMALL));
        assertEquals(1, odd.status());
        assertTrue(odd.err().contains("multiple of --workers"), odd.err());
        assertFalse(Files.exists(tmp.resolve("odd")), "no model folder for a run that cannot start");
        MainTest.Run many = MainTest.run(concat(new String[] {"train", "--spark", "local[2]", "--workers", "4", "--data", data.toString(),
            "--model", tmp.resolve("many").toString(), "--steps", "3"}, SMALL));
        assertEquals(1, many.status());
        assertTrue(many.err().contains("has 2"), many.err());
    }

    @Test
    void workersWithoutSparkIsAUsageError(@TempDir Path tmp) {
        MainTest.Run r = MainTest.run("train", "--workers", "2", "--data", tmp.toString(), "--model", tmp.resolve("m").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--workers needs --spark"), r.err());
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
