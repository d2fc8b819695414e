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
        assertTrue(e.getMessage().contains("[learned, exp_decay, double_slope, none]"), e.getMessage());
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

    /**
     * Every built-in at every rate models the same sound: a frame of about 4 ms (10 ms for pytorch-default) in whole
     * samples, the room's seconds, noise bands of the same width in Hz (or as many as the hop allows), loss scales
     * spanning the same time within sqrt 2, and harmonics reaching min(Nyquist, 20 kHz) from the f0 whose harmonics
     * reached Nyquist at 16 kHz.
     */
    @Test
    void everyBuiltInAtEveryRateIsConsistent() {
        for (String base : ModelConfig.BUILT_IN) {
            ModelConfig b = ModelConfig.builtIn(base);
            for (ModelConfig.Rate r : ModelConfig.Rate.values()) {
                String name = r.of(base);
                ModelConfig c = ModelConfig.builtIn(name);
                String where = name + ": ";
                assertEquals(name, c.name());
                assertEquals(r.hz, c.sampleRate(), where);
                assertEquals(r.hz, c.hop() * c.frameRate(), where + "whole samples per frame");
                assertTrue(Math.abs(1.0 / c.frameRate() - 1.0 / b.frameRate()) < 0.03 / b.frameRate(), where + c.frameRate() + " frames/s");
                assertEquals(b.reverb().taps() / (double) b.sampleRate(), c.reverb().taps() / (double) c.sampleRate(), 1.0 / c.sampleRate(),
                        where + "room seconds");
                double bandHz = c.sampleRate() / 2.0 / (c.noise().nBands() - 1), baseBandHz = b.sampleRate() / 2.0 / (b.noise().nBands() - 1);
                assertTrue(Math.abs(bandHz / baseBandHz - 1) < 0.02 || c.noise().nBands() == c.hop() + 1,
                        where + c.noise().nBands() + " bands of " + bandHz + " Hz");
                assertEquals(b.loss().fftSizes().size(), c.loss().fftSizes().size(), where);
                for (int i = 0; i < b.loss().fftSizes().size(); i++) {
                    int n = c.loss().fftSizes().get(i);
                    assertEquals(1, Integer.bitCount(n), where + "FFT size " + n);
                    double span = (double) n / c.sampleRate(), baseSpan = (double) b.loss().fftSizes().get(i) / b.sampleRate();
                    assertTrue(span / baseSpan <= Math.sqrt(2) + 1e-9 && baseSpan / span <= Math.sqrt(2) + 1e-9,
                            where + "FFT " + n + " spans " + span + " s, at 16 kHz " + baseSpan);
                }
                double lowestFullF0 = b.sampleRate() / 2.0 / b.harmonic().nHarmonics();
                double top = Math.min(c.sampleRate() / 2.0, ModelConfig.AUDIBLE_HZ);
                assertTrue(c.harmonic().nHarmonics() * lowestFullF0 >= top - 1e-6
                        && (c.harmonic().nHarmonics() - 1) * lowestFullF0 < top, where + c.harmonic().nHarmonics() + " harmonics");
                assertEquals(b.decoder(), c.decoder(), where + "the network is the same");
                assertEquals(b.train(), c.train(), where);
                assertEquals(b.audio().exampleSeconds(), c.audio().exampleSeconds(), where);
                assertEquals(c, ModelConfig.parse(c.toJson(), "copy"), where + "round trip through JSON");
            }
        }
    }

    @Test
    void tinyAtEachRate() throws Exception {
        ModelConfig k48 = ModelConfig.load("tiny-48k");
        assertEquals(List.of(250, 192, 150, 193, 48000), List.of(k48.frameRate(), k48.hop(), k48.harmonic().nHarmonics(),
                k48.noise().nBands(), k48.reverb().taps()));
        assertEquals(List.of(8192, 4096, 2048, 1024, 512, 256), k48.loss().fftSizes());
        ModelConfig k44 = ModelConfig.builtIn("tiny-44k");
        assertEquals(List.of(252, 175, 150, 176, 44100), List.of(k44.frameRate(), k44.hop(), k44.harmonic().nHarmonics(),
                k44.noise().nBands(), k44.reverb().taps()));
        assertEquals(List.of(4096, 2048, 1024, 512, 256, 128), k44.loss().fftSizes());
        ModelConfig k22 = ModelConfig.builtIn("tiny-22k");
        assertEquals(List.of(245, 90, 83, 89, 22050), List.of(k22.frameRate(), k22.hop(), k22.harmonic().nHarmonics(),
                k22.noise().nBands(), k22.reverb().taps()));
        assertEquals(List.of(2048, 1024, 512, 256, 128, 64), k22.loss().fftSizes());
        assertEquals(4096, ModelConfig.builtIn("nsynth-48k").encoder().fftSize());
        assertEquals(480, ModelConfig.builtIn("pytorch-default-48k").hop(), "100 frames/s divides 48 kHz");
        // Back down to 16 kHz gives tiny again: the scaling loses nothing for these rates.
        ModelConfig back = k48.atSampleRate(16000), tiny = ModelConfig.builtIn("tiny");
        assertEquals(List.of("name", "description"), back.differences(tiny));
        assertEquals(back, back.atSampleRate(16000), "the same rate is the same configuration");
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.builtIn("tiny-96k"));
        assertTrue(e.getMessage().contains("NAME-48k"), e.getMessage());
    }

    @Test
    void anExpDecayRoomCanStartWithAGivenReverberationTime() {
        ModelConfig cfg = ModelConfig.builtIn("tiny").setAll(List.of("reverb.initial_t60=1.5"));
        float[] h = new Autoencoder(cfg).impulseResponse();
        // Schroeder integration: the energy still to come falls 60 dB in about 1.5 s (-5 .. -25 dB slope, x3).
        double[] rest = new double[h.length];
        double acc = 0;
        for (int i = h.length - 1; i >= 0; i--) rest[i] = acc += (double) h[i] * h[i];
        int a = -1, b = -1;
        for (int i = 0; i < h.length; i++) {
            double db = 10 * Math.log10(rest[i] / rest[1]);
            if (a < 0 && db <= -5) a = i;
            if (b < 0 && db <= -25) b = i;
        }
        double t60 = 3.0 * (b - a) / cfg.sampleRate();
        assertEquals(1.5, t60, 0.15, "T60 of the initial room");
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.builtIn("tiny").setAll(List.of("reverb.initial_t60=4")));
        assertTrue(e.getMessage().contains("reverb.initial_t60") && e.getMessage().contains("3.45"), e.getMessage());
    }

    /** {@code double_slope}: an early decay at the initial T60 and a late one about twice as long, over the same noise. */
    @Test
    void aDoubleSlopeRoomFallsFastThenSlowly() {
        ModelConfig cfg = ModelConfig.builtIn("tiny").setAll(List.of("reverb.type=double_slope", "reverb.initial_t60=0.2",
                "reverb.initial_gain=0.3"));
        float[] h = new Autoencoder(cfg).impulseResponse();
        int bin = cfg.sampleRate() / 20;                    // 50 ms
        double[] db = new double[h.length / bin];
        for (int k = 0; k < db.length; k++) {
            double e = 0;
            for (int i = k * bin + 1; i < (k + 1) * bin; i++) e += (double) h[i] * h[i];
            db[k] = 10 * Math.log10(e);
        }
        double early = (db[0] - db[2]) / 0.1, late = (db[10] - db[18]) / 0.4;    // dB per second
        // 60 dB in 0.2 s is 300 dB/s; the late part, 10 dB below at the start, already slows the first 100 ms a little.
        assertTrue(early > 200 && early < 330, "the early part falls 60 dB in about 0.2 s: " + early + " dB/s");
        assertTrue(late < 0.7 * early && late > 0.3 * early, "the late part falls more slowly: " + late + " against " + early + " dB/s");
        assertEquals(4, new Autoencoder(cfg).namedParameters().keySet().stream().filter(k -> k.startsWith("reverb.")).count());
    }
}
