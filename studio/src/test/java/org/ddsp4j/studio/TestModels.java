package org.ddsp4j.studio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.Trainer;

/**
 * A tiny model for the studio's tests (cli's {@code TestModels}, grown a little): the {@code tiny} configuration
 * shrunk (16 units, 8 harmonics), trained for {@link #STEPS} steps (a few seconds) on harmonic melodies at five
 * levels, so that it has learned how loud to play: a loudness shift of -6 dB then comes out 6 dB quieter. Its
 * pitch needs no training (the harmonic synthesizer plays the f0 it is given). Made once per test JVM and
 * installed as the built-in instrument {@link #NAME} ({@link Instrument#INSTRUMENTS_PROPERTY}).
 */
final class TestModels {
    static final String NAME = "testflute";
    static final int STEPS = 400;
    /** Training melody (MIDI): the model's mean training pitch is about MIDI 61. */
    static final double[] TRAINING_NOTES = {55, 60, 64, 67};
    static final double[] TRAINING_AMPLITUDES = {0.01, 0.03, 0.1, 0.3, 0.6};

    private static Path model;

    private TestModels() {}

    /**
     * A melody for the fake microphone, an octave (and a fourth at most) below the model's mean training pitch, so that
     * the automatic adjustment moves every note, the first included, up one octave; five notes, legato.
     */
    static double[] microphoneNotes() throws IOException {
        double t = Math.round(org.ddsp4j.data.DatasetStats.read(model().resolve(ModelDir.STATS)).meanPitchMidi()) - 12;
        return new double[] {t - 3, t, t + 3, t + 1, t - 2};
    }

    /**
     * The settings that shrink {@code tiny} (also what the training test sends the studio); a free 64-tap IR and a
     * nearly constant rate, with which 400 steps learn the loudness response the slider tests measure.
     */
    static final List<String> SETTINGS = List.of("decoder.hidden=16", "decoder.gru_units=16", "harmonic.n_harmonics=8",
            "noise.n_bands=9", "reverb.type=learned", "reverb.taps=64", "audio.example_seconds=0.2", "audio.example_hop_seconds=0.1",
            "loss.fft_sizes=256,64", "train.batch=4", "train.learning_rate=0.01", "train.decay_steps=10000", "train.decay_rate=0.98", "train.warmup_steps=0");

    static ModelConfig config() {
        return ModelConfig.builtIn("tiny").setAll(SETTINGS);
    }

    /** The trained model's folder, under a built-in instruments folder that the system property points at. */
    static synchronized Path model() throws IOException {
        if (model != null) return model;
        Path root = Files.createTempDirectory("ddsp4j-studio-test-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                org.ddsp4j.io.AtomicFiles.deleteTree(root);
            } catch (IOException ignored) {
                // temporary
            }
        }));
        ModelConfig cfg = config();
        int sr = cfg.sampleRate();
        Path data = Files.createDirectories(root.resolve("data"));
        for (int i = 0; i < TRAINING_AMPLITUDES.length; i++) {
            AudioFile.writeWav(data.resolve("melody" + i + ".wav"), Melody.of(TRAINING_NOTES, 0.25, TRAINING_AMPLITUDES[i], sr), sr,
                    WavEncoding.FLOAT_32);
        }
        Path dir = root.resolve("instruments").resolve(NAME);
        Trainer t = new Trainer(cfg, new ModelDir(dir), Examples.load(data, "train", cfg), List.of(), false);
        t.setLog(new PrintStream(OutputStream.nullOutputStream()));
        t.writeStats();
        t.train(STEPS, 600);
        System.setProperty(Instrument.INSTRUMENTS_PROPERTY, root.resolve("instruments").toString());
        model = dir;
        return dir;
    }
}
