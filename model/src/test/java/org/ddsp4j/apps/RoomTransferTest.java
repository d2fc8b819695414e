package org.ddsp4j.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.Test;

class RoomTransferTest {
    /** Direct-form convolution, the reference: y[t] = sum_k x[t - k] h[k], k >= 1 (tap 0 is the dry path). */
    static float[] naiveWet(float[] x, float[] h) {
        float[] y = new float[x.length + h.length - 1];
        for (int t = 0; t < y.length; t++) {
            double s = 0;
            for (int k = 1; k < h.length; k++) if (t - k >= 0 && t - k < x.length) s += x[t - k] * (double) h[k];
            y[t] = (float) s;
        }
        return y;
    }

    @Test
    void matchesDirectConvolutionWithTail() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[300], h = new float[64];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < h.length; i++) h[i] = (float) (r.nextDouble(-1, 1) * Math.exp(-i / 10.0));
        float[] ref = naiveWet(x, h);
        float[] wet = RoomTransfer.apply(h, x, true), mix = RoomTransfer.apply(h, x, false);
        assertEquals(x.length + h.length - 1, wet.length);
        for (int t = 0; t < ref.length; t++) {
            assertEquals(ref[t], wet[t], 1e-4f, "wet sample " + t);
            float dry = t < x.length ? x[t] : 0f;
            assertEquals(ref[t] + dry, mix[t], 1e-4f, "dry + wet sample " + t);
        }
        assertTrue(Math.abs(wet[x.length + 10]) > 1e-3f, "the tail past the input is kept");
    }

    @Test
    void usesTheModelsLearnedImpulseResponse() {
        Autoencoder m = new Autoencoder(TestConfigs.small().with("reverb.type", "learned"));
        float[] ir = m.namedParameters().get("reverb.ir").data();
        for (int i = 0; i < ir.length; i++) ir[i] = (float) (0.5 * Math.pow(0.9, i));
        float[] applied = m.impulseResponse();
        assertEquals(0f, applied[0], "tap 0 is masked: the dry path is added separately");
        for (int i = 1; i < ir.length; i++) assertEquals(ir[i], applied[i]);
        float[] x = new float[100];
        x[0] = 1f;
        float[] y = RoomTransfer.apply(m, x, true);
        for (int i = 1; i < ir.length; i++) assertEquals(ir[i], y[i], 1e-5f, "impulse in, IR out at tap " + i);
    }

    @Test
    void rejectsModelsWithoutRoomAndBadAudio() {
        ModelConfig cfg = TestConfigs.small().setAll(List.of("reverb.type=none"));
        var e = assertThrows(IllegalArgumentException.class, () -> RoomTransfer.apply(new Autoencoder(cfg), new float[10], false));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoomTransfer.apply(new float[4], new float[0], false));
        assertThrows(IllegalArgumentException.class, () -> RoomTransfer.apply(new float[4], new float[] {Float.NaN}, false));
    }
}
