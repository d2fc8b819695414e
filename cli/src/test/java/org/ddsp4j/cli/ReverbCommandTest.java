package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReverbCommandTest {
    @Test
    void appliesTheLearnedRoomToOtherAudio(@TempDir Path tmp) throws Exception {
        Path modelPath = TestModels.trained(tmp, TestModels.config().with("reverb.type", "learned"));   // a free IR, set below
        ModelDir dir = new ModelDir(modelPath);
        // Give the model a known room: h[k] = 0.3 * 0.9^k, saved over the checkpoint's weights.
        Autoencoder m = dir.loadModel();
        float[] ir = m.namedParameters().get("reverb.ir").data();
        for (int k = 0; k < ir.length; k++) ir[k] = (float) (0.3 * Math.pow(0.9, k));
        m.save(dir.file(dir.readState().weights()));
        int sr = m.config().sampleRate();

        // clicks at 8 kHz: resampled to the model's 16 kHz on reading
        float[] clicks = new float[800];
        clicks[100] = 0.5f;
        clicks[500] = -0.25f;
        Path in = tmp.resolve("clicks.wav");
        AudioFile.writeWav(in, clicks, 8000, WavEncoding.FLOAT_32);
        float[] x = AudioFile.readMono(in, sr);

        Path wet = tmp.resolve("wet.wav");
        assertEquals(0, Main.run(new String[] {"reverb", "--model", modelPath.toString(), "--input", in.toString(),
                "--output", wet.toString(), "--wet-only"}));
        Audio a = AudioFile.read(wet);
        assertEquals(sr, a.sampleRate());
        assertEquals(x.length + ir.length - 1, a.numFrames(), "input plus the tail");
        float[] y = a.mono(), ref = naiveWet(x, ir);
        for (int t = 0; t < ref.length; t++) assertEquals(ref[t], y[t], 2e-4f, "wet sample " + t + " (16-bit output)");

        Path back = tmp.resolve("back.wav");
        assertEquals(0, Main.run(new String[] {"reverb", "--model", modelPath.toString(), "--input", in.toString(),
                "--output", back.toString(), "--sample-rate", "8000"}));
        Audio b = AudioFile.read(back);
        assertEquals(8000, b.sampleRate());
        assertEquals(Math.round((x.length + ir.length - 1) / 2.0), b.numFrames());

        assertEquals(2, Main.run(new String[] {"reverb", "--model", modelPath.toString(), "--input", in.toString(),
                "--output", back.toString(), "--sample-rate", "12"}));
        assertEquals(1, Main.run(new String[] {"reverb", "--model", tmp.resolve("none").toString(), "--input", in.toString(),
                "--output", back.toString()}), "not a model directory");
    }

    /** y[t] = sum_{k >= 1} x[t - k] h[k], over the input and its tail. */
    static float[] naiveWet(float[] x, float[] h) {
        float[] y = new float[x.length + h.length - 1];
        for (int t = 0; t < y.length; t++) {
            double s = 0;
            for (int k = 1; k < h.length; k++) if (t - k >= 0 && t - k < x.length) s += x[t - k] * (double) h[k];
            y[t] = (float) s;
        }
        return y;
    }

    /** {@code train --room T60}: the recipe for recordings made in a room, recorded in the model; a bad T60 is a usage error. */
    @Test
    void trainInARoomRecordsTheRoomsRecipe(@TempDir Path tmp) throws Exception {
        ModelConfig cfg = TestModels.config().setAll(java.util.List.of("reverb.taps=4000", "reverb.type=learned"));
        Path config = tmp.resolve("small.json"), data = tmp.resolve("data"), model = tmp.resolve("model");
        Files.writeString(config, cfg.toJson());
        Files.createDirectories(data);
        AudioFile.writeWav(data.resolve("tone.wav"), TestModels.tone(cfg, 0.5), cfg.sampleRate(), WavEncoding.FLOAT_32);
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--model", model.toString(), "--config", config.toString(),
                "--room", "0.5", "--steps", "2");
        assertEquals(0, r.status(), r.err());
        ModelConfig saved = new ModelDir(model).readConfig();
        assertEquals(0.5, saved.reverb().initialT60());
        assertEquals(ModelConfig.ROOM_INITIAL_GAIN, saved.reverb().initialGain(), 1e-9);
        assertEquals(ModelConfig.DecoderLoudness.DIRECT, saved.reverb().decoderLoudness());
        assertEquals(ModelConfig.ReverbType.EXP_DECAY, saved.reverb().type(), "a free IR would take the instrument over");
        assertEquals(ModelConfig.ROOM_DRY_WEIGHT, saved.loss().dryWeight(), 1e-6);
        MainTest.Run bad = MainTest.run("train", "--data", data.toString(), "--model", tmp.resolve("m2").toString(), "--room", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--room") && !Files.exists(tmp.resolve("m2")), bad.err());
    }
}
