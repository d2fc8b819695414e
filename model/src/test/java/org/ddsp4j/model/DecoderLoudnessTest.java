package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.spectral.Loudness;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code reverb.decoder_loudness}: by construction, a model whose decoder hears the direct sound's loudness hears
 * a recording made in its own room as it would hear the dry one (the tails are the room's to play), and every path
 * (training's forward pass, offline, streaming) hears the same.
 */
class DecoderLoudnessTest {
    private static ModelConfig roomy(String loudness) {
        return ModelConfig.builtIn("tiny").setAll(List.of("reverb.initial_gain=0.03", "reverb.initial_t60=0.8",
                "reverb.decoder_loudness=" + loudness));
    }

    @Test
    void measuredUnlessAsked() {
        assertEquals(ModelConfig.DecoderLoudness.MEASURED, ModelConfig.builtIn("tiny").reverb().decoderLoudness());
        assertEquals(ModelConfig.DecoderLoudness.DIRECT, roomy("direct").reverb().decoderLoudness());
        var none = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builtIn("tiny").setAll(List.of("reverb.type=none", "reverb.decoder_loudness=direct")));
        assertTrue(none.getMessage().contains("reverb.decoder_loudness") && none.getMessage().contains("none"), none.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> roomy("dry"));
        assertTrue(bad.getMessage().contains("[measured, direct]"), bad.getMessage());
        Autoencoder measured = new Autoencoder(roomy("measured"));
        assertNull(measured.directLoudness());
        Tensor ld = Tensor.of(new float[] {-20, -30, -40}, 1, 3);
        assertSame(ld, measured.decoderLoudness(ld), "a measured-loudness model hears the input as it is");
    }

    @Test
    void aRecordingInTheModelsRoomSoundsDryToItsDecoder() {
        Autoencoder m = new Autoencoder(roomy("direct"));
        int sr = m.config().sampleRate();
        int n = 3 * sr;
        float[] dry = new float[n];
        SplittableRandom r = new SplittableRandom(3);
        // Breathy notes: noise bursts of 0.3 s every 0.75 s (broadband, so the room's colouring averages out).
        for (int t = 0; t < n; t++) if (t % (sr * 3 / 4) < sr * 3 / 10) dry[t] = (float) (0.2 * (r.nextDouble() * 2 - 1));
        float[] wet;
        try (GradMode g = GradMode.off()) {
            wet = m.applyReverb(Tensor.of(dry.clone(), 1, n)).data();
        }
        int fr = m.config().audio().frameRate();
        float[] ld = Loudness.loudnessDb(dry, sr, fr), lw = Loudness.loudnessDb(wet, sr, fr);
        float[] heard = m.decoderLoudness(Tensor.of(lw.clone(), 1, lw.length)).data();
        float top = Float.NEGATIVE_INFINITY;
        for (float v : ld) top = Math.max(top, v);
        double gapDry = 0, gapWet = 0, gapHeard = 0, noteDry = 0, noteHeard = 0;
        int gaps = 0, notes = 0, quiet = 0;
        for (int i = 0; i < ld.length; i++) {
            quiet = ld[i] < top - 40 ? quiet + 1 : 0;
            if (quiet >= 15) { gapDry += ld[i]; gapWet += lw[i]; gapHeard += heard[i]; gaps++; }
            if (ld[i] > top - 6) { noteDry += ld[i]; noteHeard += heard[i]; notes++; }
        }
        gapDry /= gaps; gapWet /= gaps; gapHeard /= gaps; noteDry /= notes; noteHeard /= notes;
        assertTrue(gapWet > gapDry + 20, "the model's room fills the rests: " + gapWet + " vs the dry " + gapDry + " dB");
        assertTrue(gapHeard < gapWet - 20, "the decoder hears quiet rests: " + gapHeard + " dB (the room's " + gapWet + ")");
        assertEquals(noteDry, noteHeard, 1.0, "and the notes at their level");
    }

    @Test
    void theForwardPassAndTheStreamHearTheSame() {
        Autoencoder direct = new Autoencoder(roomy("direct")), measured = new Autoencoder(roomy("measured"));
        float[][] c = StreamingSynthTest.controls(200);
        Tensor f0 = Tensor.of(c[0], 1, 200), ld = Tensor.of(c[1], 1, 200);
        try (GradMode g = GradMode.off()) {
            // Same weights (same seed): the direct model on the measured loudness = the measured model on the direct loudness.
            float[] a = direct.forward(f0, ld, false, new SplittableRandom(1)).audio().data();
            float[] b = measured.forward(f0, direct.decoderLoudness(ld), false, new SplittableRandom(1)).audio().data();
            assertArrayEquals(b, a, "the decoder hears the direct loudness");
            float[] c2 = measured.forward(f0, ld, false, new SplittableRandom(1)).audio().data();
            double diff = 0;
            for (int t = 0; t < a.length; t++) diff = Math.max(diff, Math.abs(a[t] - c2[t]));
            assertTrue(diff > 1e-3, "and it is not the measured loudness: " + diff);
        }
        float[] streamed = StreamingSynthTest.streamed(direct.stream(true, 7), c[0], c[1], null, 13);
        float[] offline = StreamingSynthTest.offline(direct, c[0], c[1], null, true, 7);
        for (int t = 0; t < offline.length; t++) assertEquals(offline[t], streamed[t], 1e-5, "sample " + t);
    }
}
