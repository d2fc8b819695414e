package org.ddsp4j.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.Test;

class DecompositionTest {
    @Test
    void toDbIsTwentyLog10WithFloor() {
        float[] db = Decomposition.toDb(new float[] {1f, 0.1f, 0.001f, 1e-9f, 0f, -1f}, -80f);
        assertArrayEquals(new float[] {0f, -20f, -60f, -80f, -80f, -80f}, db, 1e-4f);
    }

    @Test
    void controlsAndAudioOfTheModel() throws Exception {
        ModelConfig cfg = TestConfigs.small();
        Autoencoder m = new Autoencoder(cfg);
        int f = 30;
        float[] f0 = new float[f], ld = new float[f];
        for (int i = 0; i < f; i++) {
            f0[i] = 220 + 10 * i;
            ld[i] = -40 + i;
        }
        Decomposition d = Decomposition.of(m, f0, ld, null, 9);
        assertEquals(f, d.frames());
        assertEquals(8, d.nHarmonics());
        assertEquals(9, d.nBands());
        assertEquals(f, d.amplitude().length);
        assertEquals(f * 8, d.distribution().length);
        assertEquals(f * 9, d.noiseMagnitudes().length);
        for (int i = 0; i < f; i++) {
            double s = 0;
            for (int k = 0; k < 8; k++) s += d.distribution()[i * 8 + k];
            assertEquals(1.0, s, 1e-4, "distribution of frame " + i + " sums to 1");
        }
        assertArrayEquals(m.render(f0, ld, null, true, 9), d.audio(), "same audio as a plain render");
        assertArrayEquals(m.impulseResponse(), d.impulseResponse());

        BufferedImage img = ImageIO.read(new ByteArrayInputStream(d.figure(800, 200).toPng()));
        assertEquals(800, img.getWidth());
        assertEquals(6 * 200, img.getHeight(), "six panels with a reverb");

        Autoencoder dryModel = new Autoencoder(TestConfigs.small().setAll(List.of("reverb.type=none")));
        Decomposition dd = Decomposition.of(dryModel, f0, ld, null, 9);
        assertNull(dd.impulseResponse());
        assertEquals(5 * 200, dd.figure(800, 200).render().getHeight(), "no IR panel without a reverb");
        float[] silence = new float[4000];
        Arrays.fill(silence, 0f);
        assertEquals(400, Decomposition.spectrograms(d.audio(), silence, cfg.sampleRate(), 600, 200).render().getHeight());
    }
}
