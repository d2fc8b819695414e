package org.ddsp4j.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.nn.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstrumentTest {
    private static void writeModel(Path dir) throws IOException {
        Autoencoder m = new Autoencoder(TestConfigs.small());
        ModelDir d = new ModelDir(dir);
        d.writeConfig(m.config());
        d.writeCheckpoint(m, new Adam(m, Adam.Config.defaults()), 1, 0);
    }

    @Test
    void builtInNamesResolveUnderTheInstrumentsFolder(@TempDir Path tmp) throws Exception {
        writeModel(tmp.resolve("instruments").resolve("violin"));
        String old = System.getProperty(Instrument.INSTRUMENTS_PROPERTY);
        System.setProperty(Instrument.INSTRUMENTS_PROPERTY, tmp.resolve("instruments").toString());
        try {
            assertEquals(List.of("violin"), Instrument.builtInNames());
            Instrument v = Instrument.load("violin");
            assertEquals(tmp.resolve("instruments").resolve("violin"), v.source());
            var e = assertThrows(IOException.class, () -> Instrument.load("cello"));
            assertTrue(e.getMessage().contains("built-in: violin") && e.getMessage().contains("./ddsp train"), e.getMessage());
            assertThrows(IOException.class, () -> Instrument.load("../instruments/violin/../../nothing"));
        } finally {
            if (old == null) System.clearProperty(Instrument.INSTRUMENTS_PROPERTY);
            else System.setProperty(Instrument.INSTRUMENTS_PROPERTY, old);
        }
    }

    @Test
    void transferAppliesTheRecipeAndRenderingIsDeterministic(@TempDir Path tmp) throws Exception {
        writeModel(tmp.resolve("m"));
        Instrument plain = Instrument.load(tmp.resolve("m"));
        Instrument tuned = Instrument.of(plain.model(), 69 + 12, -30);   // trained an octave above A4
        int sr = plain.sampleRate();
        float[] x = new float[sr / 2];
        for (int t = 0; t < x.length; t++) x[t] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t / sr));
        Instrument.Transfer t = tuned.transfer(x, TransferRecipe.defaults());
        assertEquals(12, t.octaveShiftSemitones(), 1e-9, "moved up an octave toward the training pitch");
        AudioFeatures src = t.source(), played = t.played();
        for (int i = 0; i < src.nFrames(); i++) assertEquals(2 * src.f0Hz()[i], played.f0Hz()[i], 1e-3f * Math.max(1, src.f0Hz()[i]));
        assertEquals(x.length / plain.config().hop() * plain.config().hop(), t.audio().length);
        assertArrayEquals(plain.resynthesize(x, true), plain.resynthesize(x, true), "seeded: the same audio every time");
        Instrument.Transfer manual = plain.transfer(x, TransferRecipe.defaults().withShifts(-12, 0));
        assertEquals(0, manual.octaveShiftSemitones(), "no statistics: no automatic shift");
        assertEquals(src.f0Hz()[40] / 2, manual.played().f0Hz()[40], 1e-3f);
    }

    /**
     * The studio's path: one analysis kept, each recipe adjusted and decomposed (one forward pass) gives the samples
     * {@code transfer} gives; without the room, the room's wet signal added back gives the render with it.
     */
    @Test
    void anAnalysisKeptRendersWhatTransferRenders(@TempDir Path tmp) throws Exception {
        writeModel(tmp.resolve("m"));
        Instrument tuned = Instrument.of(Instrument.load(tmp.resolve("m")).model(), 69 + 12, -30);
        int sr = tuned.sampleRate();
        float[] x = new float[sr / 2];
        for (int t = 0; t < x.length; t++) x[t] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t / sr));
        Instrument.Analysis a = tuned.analyze(x);
        for (TransferRecipe r : List.of(TransferRecipe.defaults(), TransferRecipe.defaults().withShifts(5, -6).withAuto(false))) {
            for (boolean reverb : new boolean[] {true, false}) {
                assertArrayEquals(tuned.transfer(x, r, reverb).audio(), tuned.decompose(a, tuned.adjust(a.controls(), r), reverb).audio(),
                        r + ", reverb " + reverb);
            }
            float[] wet = tuned.transfer(x, r, true).audio(), dry = tuned.decompose(a, tuned.adjust(a.controls(), r), false).audio();
            float[] room = org.ddsp4j.apps.RoomTransfer.apply(tuned.model().impulseResponse(), dry, true);
            float peak = 0;
            for (float v : wet) peak = Math.max(peak, Math.abs(v));
            for (int i = 0; i < wet.length; i++) assertEquals(wet[i], dry[i] + room[i], 1e-5f * peak, "sample " + i);
        }
    }

    /** Long inputs render through the streaming path (bounded memory); it gives what the offline path gives. */
    @Test
    void longRendersStreamTheSameSamples(@TempDir Path tmp) throws Exception {
        writeModel(tmp.resolve("m"));
        Instrument offline = Instrument.load(tmp.resolve("m")), streamed = Instrument.load(tmp.resolve("m")).streamAbove(0.1);
        int sr = offline.sampleRate();
        float[] x = new float[sr];
        for (int t = 0; t < x.length; t++) x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 100.0 * t / sr) * t / sr));
        for (boolean reverb : new boolean[] {true, false}) {
            float[] a = offline.resynthesize(x, reverb), b = streamed.resynthesize(x, reverb);
            assertEquals(a.length, b.length);
            double peak = 0, err = 0;
            for (int i = 0; i < a.length; i++) {
                peak = Math.max(peak, Math.abs(a[i]));
                err = Math.max(err, Math.abs(a[i] - b[i]));
            }
            assertTrue(peak > 1e-4 && err <= 1e-5 * peak, "reverb " + reverb + ": " + err + " of peak " + peak);
        }
    }

    /**
     * A recording file resynthesized or transferred file to file (read, resampled, analysed and rendered
     * block by block, blocks of 7 frames forced) gives the WAV of the in-memory path, to float rounding:
     * the same code on the same numbers, bit for bit once compiled; the Vector API's lane sums round
     * differently in the interpreter, which moves the odd sample by 1 LSB of 16 bits. Tolerance: 2 LSB.
     * Above: streamed (over 0.5 s); below: the in-memory path itself.
     */
    @Test
    void filesPlayBlockByBlockAsInMemory(@TempDir Path tmp) throws Exception {
        writeModel(tmp.resolve("m"));
        Autoencoder m = Instrument.load(tmp.resolve("m")).model();
        int rate = 44100, n = 3 * rate;
        float[][] st = new float[2][n];
        for (int t = 0; t < n; t++) {
            st[0][t] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 60.0 * t / rate) * t / rate));
            st[1][t] = (float) ((t / rate % 2 == 0 ? 0.2 : 0.01) * Math.sin(2 * Math.PI * 220.0 * t / rate));
        }
        Path wav = tmp.resolve("in.wav");
        org.ddsp4j.audio.AudioFile.writeWav(wav, st, rate, org.ddsp4j.audio.WavEncoding.PCM_16);
        for (double above : new double[] {0.5, Instrument.STREAMED_ABOVE_SECONDS}) {
            Instrument mem = Instrument.of(m, 69 + 12, -30).streamAbove(above);
            Instrument file = Instrument.of(m, 69 + 12, -30).streamAbove(above).streamBlocks(7);
            for (boolean reverb : new boolean[] {true, false}) {
                Path a = tmp.resolve("a.wav"), b = tmp.resolve("b.wav");
                mem.write(a, mem.resynthesize(mem.read(wav), reverb));
                Instrument.Written w = file.resynthesize(wav, b, reverb);
                assertEquals(n * 16000L / rate / 64 * 64, w.samples());
                assertSameAudio(a, b, "resynth, streamed above " + above + " s, reverb " + reverb);
                Instrument.Transfer t = mem.transfer(mem.read(wav), TransferRecipe.defaults(), reverb);
                mem.write(a, t.audio());
                w = file.transfer(wav, b, TransferRecipe.defaults(), reverb);
                assertEquals(t.octaveShiftSemitones(), w.octaveShiftSemitones());
                assertEquals(t.loudnessShiftDb(), w.loudnessShiftDb(), 1e-4);
                assertSameAudio(a, b, "transfer, streamed above " + above + " s, reverb " + reverb);
            }
        }
    }

    private static void assertSameAudio(Path a, Path b, String what) throws IOException {
        float[] x = org.ddsp4j.audio.AudioFile.read(a).mono(), y = org.ddsp4j.audio.AudioFile.read(b).mono();
        assertEquals(x.length, y.length, what);
        double peak = 0, err = 0;
        int differ = 0;
        for (int i = 0; i < x.length; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
            err = Math.max(err, Math.abs(x[i] - y[i]));
            if (x[i] != y[i]) differ++;
        }
        assertTrue(peak > 1e-3, what + ": not silent, peak " + peak);
        assertTrue(err <= 2 / 32768.0, what + ": max difference " + err + " (" + differ + " samples differ)");
    }
}
