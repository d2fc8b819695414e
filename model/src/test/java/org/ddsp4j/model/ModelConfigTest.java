package org.ddsp4j.model;

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
        for (String n : ModelConfig.BUILT_IN) assertEquals(n, ModelConfig.builtIn(n).name());
        ModelConfig solo = ModelConfig.builtIn("solo");
        assertEquals(16000, solo.sampleRate());
        assertEquals(64, solo.hop());
        assertEquals(1000, solo.exampleFrames());
        assertEquals(60, solo.harmonic().nHarmonics());
        assertEquals(65, solo.noise().nBands());
        assertEquals(512, solo.decoder().gruUnits());
        assertEquals(48000, solo.reverb().taps());
        assertEquals(3e-4f, solo.train().learningRate());
        assertEquals(32, solo.train().batch());
        assertEquals(ModelConfig.OutputInputs.STACKS, solo.decoder().outputInputs());
        ModelConfig pt = ModelConfig.builtIn("pytorch-default");
        assertEquals(160, pt.hop());
        assertEquals(List.of(4096, 2048, 1024, 512, 256, 128), pt.loss().fftSizes());
        assertEquals(ModelConfig.ReverbType.EXP_DECAY, pt.reverb().type());
        assertEquals(ModelConfig.EncoderType.MFCC_GRU, ModelConfig.builtIn("nsynth").encoder().type());
    }

    @Test
    void overridesMakeANewConfiguration() {
        ModelConfig tiny = ModelConfig.builtIn("tiny");
        ModelConfig c = tiny.with(List.of("decoder.gru_units=64", "loss.fft_sizes=512,256", "reverb.type=none",
                "train.learning_rate=0.01"));
        assertEquals(64, c.decoder().gruUnits());
        assertEquals(List.of(512, 256), c.loss().fftSizes());
        assertEquals(ModelConfig.ReverbType.NONE, c.reverb().type());
        assertEquals(0.01f, c.train().learningRate());
        assertEquals(256, tiny.decoder().gruUnits(), "the original is unchanged");
        assertEquals(c, ModelConfig.parse(c.toJson(), "copy"), "round trip through JSON");
    }

    @Test
    void anUnknownKeyGetsTheSameMessageFromAFileAndTheCommandLine(@TempDir Path tmp) throws Exception {
        var cli = assertThrows(IllegalArgumentException.class, () -> ModelConfig.builtIn("tiny").with("decoder.gru_unit", "3"));
        assertTrue(cli.getMessage().contains("unknown key 'decoder.gru_unit'") && cli.getMessage().contains("gru_units"), cli.getMessage());
        Path f = tmp.resolve("typo.json");
        Files.writeString(f, ModelConfig.builtIn("tiny").toJson().replace("\"gru_units\"", "\"gru_unit\""));
        var file = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(f.toString()));
        assertTrue(file.getMessage().contains("typo.json") && file.getMessage().contains("unknown key 'decoder.gru_unit'"), file.getMessage());
        assertEquals(cli.getMessage().substring(cli.getMessage().indexOf("unknown key")),
                file.getMessage().substring(file.getMessage().indexOf("unknown key")));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        ModelConfig c = ModelConfig.builtIn("tiny");
        var e = assertThrows(IllegalArgumentException.class, () -> c.with("decoder.gru_units", "many"));
        assertTrue(e.getMessage().contains("decoder.gru_units must be a number, is 'many'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.with("reverb.type", "hall"));
        assertTrue(e.getMessage().contains("[learned, exp_decay, none]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.with("decoder.output_inputs", "all"));
        assertTrue(e.getMessage().contains("[stacks, raw, none]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.with("audio.frame_rate", "300"));
        assertTrue(e.getMessage().contains("must divide"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.with("reverb.taps", "2147483647"));
        assertTrue(e.getMessage().contains("10 s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.with(List.of("decoder.gru_units")));
        assertThrows(IllegalArgumentException.class, () -> c.with("decoder", "1"));
        assertThrows(IllegalArgumentException.class, () -> c.with("nosection.key", "1"));
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.builtIn("huge"));
    }

    @Test
    void resumeTakesOptimizationSettingsAndRefusesArchitectureChanges() {
        ModelConfig saved = ModelConfig.builtIn("tiny");
        ModelConfig r = saved.resumedWith(saved.with(List.of("train.learning_rate=0.0005", "train.batch=4", "train.steps=9000")));
        assertEquals(0.0005f, r.train().learningRate());
        assertEquals(4, r.train().batch());
        assertEquals(List.of("train.learning_rate", "train.batch"), saved.differences(saved.with(List.of("train.learning_rate=0.0005", "train.batch=4"))));
        var e = assertThrows(IllegalArgumentException.class, () -> saved.resumedWith(saved.with(List.of("decoder.gru_units=64", "train.batch=4"))));
        assertTrue(e.getMessage().contains("decoder.gru_units") && !e.getMessage().contains("train.batch]"), e.getMessage());
    }

    @Test
    void loadsFromAFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("mine.json");
        Files.writeString(f, ModelConfig.builtIn("tiny").with("decoder.hidden", "32").toJson());
        ModelConfig c = ModelConfig.load(f.toString());
        assertEquals(32, c.decoder().hidden());
        Files.writeString(f, "{ not json");
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(f.toString()));
        assertTrue(e.getMessage().contains("mine.json"), e.getMessage());
        assertFalse(ModelConfig.BUILT_IN.isEmpty());
    }
}
