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
}
