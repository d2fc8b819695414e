package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    @Test
    void builtInsParseWithThePaperValues() {
        for (String n : ModelConfig.BUILT_IN) assertEquals(n, ModelConfig.builtIn(n).getString("name"));
        ModelConfig solo = ModelConfig.builtIn("solo");
        assertEquals(16000, solo.sampleRate());
        assertEquals(64, solo.hop());
        assertEquals(1000, solo.exampleFrames());
        assertEquals(60, solo.getInt("harmonic.n_harmonics"));
        assertEquals(65, solo.getInt("noise.n_bands"));
        assertEquals(512, solo.getInt("decoder.gru_units"));
        assertEquals(48000, solo.getInt("reverb.taps"));
        assertEquals(3e-4, solo.getDouble("train.learning_rate"), 1e-12);
        assertEquals(32, solo.getInt("train.batch"));
        ModelConfig pt = ModelConfig.builtIn("pytorch-default");
        assertEquals(160, pt.hop());
        assertArrayEquals(new int[] {4096, 2048, 1024, 512, 256, 128}, pt.getIntArray("loss.fft_sizes"));
        assertEquals("exp_decay", pt.getString("reverb.type"));
    }

    @Test
    void overridesAreTypedByTheValueTheyReplace() {
        ModelConfig c = ModelConfig.builtIn("tiny").setAll(List.of("decoder.gru_units=64", "loss.fft_sizes=512,256",
                "reverb.type=none", "train.learning_rate=0.01"));
        assertEquals(64, c.getInt("decoder.gru_units"));
        assertArrayEquals(new int[] {512, 256}, c.getIntArray("loss.fft_sizes"));
        assertEquals("none", c.getString("reverb.type"));
        assertEquals(0.01, c.getDouble("train.learning_rate"), 1e-12);
        // the built-in resource is not modified by overrides on a loaded copy
        assertEquals(256, ModelConfig.builtIn("tiny").getInt("decoder.gru_units"));
    }

    @Test
    void badOverridesNameTheProblem() {
        ModelConfig c = ModelConfig.builtIn("tiny");
        var e = assertThrows(IllegalArgumentException.class, () -> c.set("decoder.gru_unit", "3"));
        assertTrue(e.getMessage().contains("gru_units"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.set("decoder.gru_units", "many"));
        assertThrows(IllegalArgumentException.class, () -> c.setAll(List.of("decoder.gru_units")));
        assertThrows(IllegalArgumentException.class, () -> c.set("decoder", "1"));
        c.set("audio.frame_rate", "300");
        assertThrows(IllegalArgumentException.class, c::check); // 16000 / 300 is not whole
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.builtIn("huge"));
    }

    @Test
    void loadsFromAFileAndRoundTrips(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("mine.json");
        Files.writeString(f, ModelConfig.builtIn("tiny").set("decoder.hidden", "32").toJson());
        ModelConfig c = ModelConfig.load(f.toString());
        assertEquals(32, c.getInt("decoder.hidden"));
        assertEquals(c.toJson(), c.copy().toJson());
        Files.writeString(f, "{ not json");
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(f.toString()));
        assertTrue(e.getMessage().contains("mine.json"), e.getMessage());
        assertFalse(ModelConfig.BUILT_IN.isEmpty());
    }
}
