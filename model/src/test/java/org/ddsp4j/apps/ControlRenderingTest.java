package org.ddsp4j.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.Test;

class ControlRenderingTest {
    static AudioFeatures ramp(int n, int rate) {
        float[] f0 = new float[n], conf = new float[n], ld = new float[n];
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            f0[i] = (float) (200 + 100 * t);   // linear in time: interpolation is exact
            ld[i] = (float) (-60 + 20 * t);
            conf[i] = 1f;
            v[i] = true;
        }
        return new AudioFeatures(f0, conf, v, ld, rate);
    }

    @Test
    void linearControlsResampleExactly() {
        float[][] c = ControlRendering.toFrameRate(ramp(101, 100), 250);
        assertEquals(253, c[0].length, "round(101 * 250 / 100)");
        for (int j = 0; j < c[0].length; j++) {
            double t = Math.min(j / 250.0, 1.0);  // past the last input frame (t = 1 s) the last value holds
            assertEquals(200 + 100 * t, c[0][j], 1e-3, "f0 at frame " + j);
            assertEquals(-60 + 20 * t, c[1][j], 1e-4, "loudness at frame " + j);
        }
        AudioFeatures same = ramp(10, 250);
        assertArrayEquals(same.f0Hz(), ControlRendering.toFrameRate(same, 250)[0]);
    }

    @Test
    void rendersAtTheModelsRate() {
        ModelConfig cfg = TestConfigs.small();
        Autoencoder m = new Autoencoder(cfg);
        AudioFeatures c = ramp(20, cfg.frameRate());
        float[] audio = ControlRendering.render(m, c, false, 5);
        assertEquals(20 * cfg.hop(), audio.length);
        assertArrayEquals(m.render(c.f0Hz(), c.loudnessDb(), null, false, 5), audio);
    }
}
