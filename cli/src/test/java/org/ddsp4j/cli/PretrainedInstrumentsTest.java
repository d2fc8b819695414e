package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.TransferRecipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pretrained instruments in {@code instruments/}: they load by name, are small and carry a model card, keep a
 * sung melody's pitch, stay quiet between its notes, and their room is a room (the dry path carries the instrument).
 */
class PretrainedInstrumentsTest {
    static final Path ROOT = Path.of("..", "instruments").toAbsolutePath().normalize();
    static final int SR = 16000;

    static List<String> names() {
        return List.of("violin", "cello", "flute", "trumpet", "tenor_sax");
    }

    @BeforeAll
    static void builtIns() {
        System.setProperty(Instrument.INSTRUMENTS_PROPERTY, ROOT.toString());
    }

    /** Melody of the stand-in voice: A3 C4 E4 D4, MIDI. */
    static final int[] NOTES = {57, 60, 64, 62};
    static final double NOTE_S = 0.7, REST_S = 0.35, LEAD_S = 0.3;

    /**
     * A sung melody stand-in (16 kHz): {@link #NOTES}, 0.7 s each with 5.5 Hz vibrato of +-25 cents and a 40 ms attack
     * and release, 30 harmonics through two formants (an "ah": 700 and 1200 Hz), separated by 0.35 s rests of noise at
     * about -70 dBFS, after 0.3 s of it.
     */
    static float[] voice() {
        int n = (int) ((LEAD_S + NOTES.length * (NOTE_S + REST_S)) * SR);
        float[] x = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) x[i] = (float) (3e-4 * (r.nextDouble() * 2 - 1));
        double phase = 0;
        for (int k = 0; k < NOTES.length; k++) {
            int start = (int) ((LEAD_S + k * (NOTE_S + REST_S)) * SR), len = (int) (NOTE_S * SR);
            for (int i = 0; i < len; i++) {
                double t = (double) i / SR;
                double f0 = 440 * Math.pow(2, (NOTES[k] - 69 + 0.25 * Math.sin(2 * Math.PI * 5.5 * t)) / 12);
                phase += 2 * Math.PI * f0 / SR;
                double env = Math.min(1, Math.min(t / 0.04, (NOTE_S - t) / 0.04));
                double s = 0;
                for (int h = 1; h <= 30 && h * f0 < SR / 2.0; h++) {
                    double f = h * f0;
                    double formants = 1 / (1 + Math.pow((f - 700) / 150, 2)) + 0.6 / (1 + Math.pow((f - 1200) / 200, 2)) + 0.02;
                    s += formants / h * Math.sin(h * phase);
                }
                x[start + i] += (float) (0.25 * env * s);
            }
        }
        return x;
    }

    /** Frames of the rests, from 100 ms after a note ends to its next note (or the end). */
    static boolean[] restFrames(int frames, int frameRate) {
        boolean[] rest = new boolean[frames];
        for (int k = 0; k < NOTES.length; k++) {
            double from = LEAD_S + k * (NOTE_S + REST_S) + NOTE_S + 0.1, to = from - 0.1 + REST_S;
            for (int f = (int) Math.ceil(from * frameRate); f < Math.min(frames, to * frameRate); f++) rest[f] = true;
        }
        return rest;
    }

    /** Mean loudness in dB over the frames where {@code mask} is set. */
    static double meanDb(float[] loudnessDb, boolean[] mask) {
        double sum = 0;
        int n = 0;
        for (int f = 0; f < Math.min(mask.length, loudnessDb.length); f++) {
            if (mask[f]) {
                sum += loudnessDb[f];
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void allFiveAreBuiltInSmallAndCarded() throws IOException {
        assertTrue(Instrument.builtInNames().containsAll(names()), "built-in: " + Instrument.builtInNames());
        long bytes = 0;
        for (String name : names()) {
            String card = Files.readString(ROOT.resolve(name).resolve("README.md"));
            assertTrue(card.contains("Held-out resynthesis") && card.contains("loudness L1"), name + " card:\n" + card);
            try (var files = Files.walk(ROOT.resolve(name))) {
                bytes += files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
        assertTrue(bytes < 25_000_000, "all five together: " + bytes + " bytes");
    }

    @ParameterizedTest
    @MethodSource("names")
    void keepsASungMelodysPitchAndStaysQuietBetweenItsNotes(String name) throws IOException {
        Instrument instrument = Instrument.load(name);
        float[] voice = voice();
        Instrument.Transfer t = instrument.transfer(voice, TransferRecipe.defaults());
        double kept = instrument.pitchKept(t);
        AudioFeatures in = AudioFeatures.compute(voice, SR, instrument.frameRate());
        AudioFeatures out = AudioFeatures.compute(t.audio(), SR, instrument.frameRate());
        boolean[] rest = restFrames(in.nFrames(), instrument.frameRate());
        // The source's rests, moved by the transfer's loudness shift, against the output's rests.
        double sourceRest = meanDb(in.loudnessDb(), rest) + t.loudnessShiftDb(), outputRest = meanDb(out.loudnessDb(), rest);
        System.out.printf(Locale.ROOT, "%s: octave shift %+.0f st, loudness shift %+.1f dB; pitch kept on %.1f %% of voiced frames; "
                + "rests: source %.1f dB (shifted), output %.1f dB%n", name, t.octaveShiftSemitones(), t.loudnessShiftDb(), 100 * kept,
                sourceRest, outputRest);
        assertTrue(kept >= 0.95, name + ": pitch kept on " + kept);
        assertTrue(outputRest <= Math.max(sourceRest, -80) + 6, name + ": rests " + outputRest + " dB vs the source's " + sourceRest);
    }

    @ParameterizedTest
    @MethodSource("names")
    void theRoomIsARoomTheDryPathCarriesTheInstrument(String name) throws IOException {
        Instrument instrument = Instrument.load(name);
        float[] voice = voice();
        Instrument.Transfer wet = instrument.transfer(voice, TransferRecipe.defaults(), true);
        Instrument.Transfer dry = instrument.transfer(voice, TransferRecipe.defaults(), false);
        AudioFeatures w = AudioFeatures.compute(wet.audio(), SR, instrument.frameRate());
        AudioFeatures d = AudioFeatures.compute(dry.audio(), SR, instrument.frameRate());
        // Voiced loudness, as the issue measures it: the frames where the source's pitch is confident (the notes'
        // sustain; a release is where a -30 dB room tail outweighs the decaying note in a mean of dB values).
        boolean[] voiced = new boolean[Math.min(w.nFrames(), wet.source().nFrames())];
        for (int f = 0; f < voiced.length; f++) voiced[f] = wet.source().f0Confidence()[f] >= 0.85f;
        double drop = meanDb(w.loudnessDb(), voiced) - meanDb(d.loudnessDb(), voiced);
        System.out.printf(Locale.ROOT, "%s: without the room the voiced frames are %.2f dB quieter%n", name, drop);
        assertEquals(0, drop, 1.0, name + ": removing the room must not remove the instrument");
    }

    @Test
    void aFreshCloneTransfersAVoiceFromTheCommandLine(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("my_voice.wav"), out = tmp.resolve("out.wav");
        AudioFile.writeWav(in, voice(), SR, WavEncoding.PCM_16);
        MainTest.Run r = MainTest.run("transfer", "--model", "violin", in.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        float[] y = AudioFile.readMono(out, SR);
        float peak = 0;
        for (float v : y) peak = Math.max(peak, Math.abs(v));
        assertTrue(peak > 0.01 && peak <= 1, "a violin playing, peak " + peak);
    }
}
