package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ddsp4j.spectral.Loudness;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectLoudness}: the inverse of the power-envelope convolution it models (exactly), the direct sound of a
 * real signal played through a room (measured with the loudness the features use), and the per-frame form equal
 * to the whole-recording form.
 */
class DirectLoudnessTest {
    private static final int SR = 16000, FRAME_RATE = 250, HOP = SR / FRAME_RATE;

    /** An exponentially decaying noise IR without its dry tap: {@code t60} seconds, {@code wetDb} of energy. */
    private static float[] room(double t60, double wetDb, int taps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] ir = new float[taps];
        double e = 0;
        for (int i = 1; i < taps; i++) {
            ir[i] = (float) ((r.nextDouble() * 2 - 1) * Math.exp(-3 * Math.log(10) * i / (t60 * SR)));
            e += (double) ir[i] * ir[i];
        }
        double scale = Math.sqrt(Math.pow(10, wetDb / 10) / e);
        for (int i = 0; i < taps; i++) ir[i] *= (float) scale;
        return ir;
    }

    @Test
    void invertsTheEnvelopeConvolutionItModels() {
        float[] ir = room(0.5, -6, 8000, 1);
        double[] e = new double[(ir.length + HOP - 1) / HOP];
        for (int i = 0; i < ir.length; i++) e[i / HOP] += (double) ir[i] * ir[i];
        e[0] += 1;
        // Notes and rests of a direct sound, in dB, through the room's energy per frame.
        int frames = 600;
        float[] direct = new float[frames], measured = new float[frames];
        for (int n = 0; n < frames; n++) direct[n] = (n / 50) % 2 == 0 ? (float) (-10 - 5 * Math.sin(n * 0.05)) : -70f;
        for (int n = 0; n < frames; n++) {
            double p = 0;
            for (int k = 0; k < e.length && k <= n; k++) p += e[k] * Math.pow(10, direct[n - k] / 10.0);
            measured[n] = (float) (10 * Math.log10(p));
        }
        float[] got = DirectLoudness.of(ir, HOP).apply(measured);
        // Exact in the notes; in the rests to float rounding of a tail 40-60 dB above the direct sound.
        for (int n = 0; n < frames; n++) assertEquals(direct[n], got[n], direct[n] > -40 ? 0.01 : 0.5, "frame " + n);
        // The room really is in the measured loudness: its tail lifts the first rest by tens of dB.
        assertTrue(measured[60] > direct[60] + 20, "tail " + measured[60] + " over " + direct[60]);
    }

    /** A bowed-string-like tone: 20 harmonics with a 5 Hz vibrato (its partials sweep, as a player's do, so the
     *  room's colouring averages out over a frame as the power-envelope model assumes). */
    static float[] notes(int sampleRate, int seconds, double f0Hz) {
        int n = seconds * sampleRate;
        float[] x = new float[n];
        double phase = 0;
        for (int t = 0; t < n; t++) {
            phase += 2 * Math.PI * f0Hz * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t / sampleRate)) / sampleRate;
            if (t % (sampleRate * 3 / 4) >= sampleRate * 3 / 10) continue;      // 0.3 s notes every 0.75 s
            double v = 0;
            for (int k = 1; k <= 20; k++) v += Math.sin(k * phase) / k;
            x[t] = (float) (0.2 * v);
        }
        return x;
    }

    @Test
    void takesARoomOutOfTheLoudnessOfAToneThroughIt() {
        float[] ir = room(0.6, -6, 12000, 2);
        float[] dry = notes(SR, 3, 330);
        int n = dry.length;
        float[] wet = dry.clone();
        for (int t = 0; t < n; t++) {
            float x = dry[t];
            if (x == 0) continue;
            int end = Math.min(n, t + ir.length);
            for (int j = t + 1; j < end; j++) wet[j] += x * ir[j - t];
        }
        float[] ld = Loudness.loudnessDb(dry, SR, FRAME_RATE), lw = Loudness.loudnessDb(wet, SR, FRAME_RATE);
        float[] lx = DirectLoudness.of(ir, HOP).apply(lw);
        float top = Float.NEGATIVE_INFINITY;
        for (float v : ld) top = Math.max(top, v);
        double noteDry = 0, noteDirect = 0, gapWet = 0, gapDirect = 0, gapDry = 0;
        int notes = 0, gaps = 0, quiet = 0;
        for (int i = 0; i < ld.length; i++) {
            quiet = ld[i] < top - 40 ? quiet + 1 : 0;
            if (ld[i] > top - 6) { noteDry += ld[i]; noteDirect += lx[i]; notes++; }
            if (quiet >= 15) { gapWet += lw[i]; gapDirect += lx[i]; gapDry += ld[i]; gaps++; }
        }
        assertTrue(notes > 100 && gaps > 100, notes + " note and " + gaps + " gap frames");
        noteDry /= notes; noteDirect /= notes; gapWet /= gaps; gapDirect /= gaps; gapDry /= gaps;
        assertEquals(noteDry, noteDirect, 1.0, "the notes keep their level");
        assertTrue(gapWet > gapDry + 20, "the room fills the rests: " + gapWet + " vs " + gapDry + " dB");
        assertTrue(gapDirect < gapWet - 20, "the direct sound's rests are quiet again: " + gapDirect + " vs the room's " + gapWet + " dB");
    }

    @Test
    void frameByFrameIsTheWholeRecordingsForm() {
        float[] ir = room(0.3, -3, 4000, 3);
        SplittableRandom r = new SplittableRandom(4);
        float[] ld = new float[300];
        for (int i = 0; i < ld.length; i++) ld[i] = (float) (-80 + 80 * r.nextDouble());
        DirectLoudness d = DirectLoudness.of(ir, HOP);
        float[] whole = d.apply(ld);
        d.reset();
        for (int i = 0; i < ld.length; i++) {
            float v = d.next(ld[i]);
            assertEquals(whole[i], v, 0f, "frame " + i);
            assertTrue(v <= ld[i] + 1e-4f && v >= Math.max(-Conversions.DB_RANGE, ld[i] - DirectLoudness.MAX_ATTENUATION_DB) - 1e-3f,
                    "frame " + i + ": " + v + " from " + ld[i]);
        }
        // A silent room changes nothing; a non-finite one is refused with the tap.
        float[] same = DirectLoudness.of(new float[4000], HOP).apply(ld);
        for (int i = 0; i < ld.length; i++) assertEquals(ld[i], same[i], 1e-4f, "frame " + i);
        float[] bad = new float[10];
        bad[7] = Float.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DirectLoudness.of(bad, HOP)).getMessage().contains("tap 7"));
    }
}
