package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.ddsp4j.spectral.Loudness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The causal tracker on synthetic signals; always run. Accuracy on rendered instruments: {@link PitchAccuracyTest}. */
class LiveTrackerTest {

    /** A harmonic tone with a melody (300, 400, 350 Hz, 0.4 s each) and a little noise: something to track. */
    static float[] melody(int sr) {
        double[] notes = {300, 400, 350};
        int per = (int) (0.4 * sr);
        float[] x = new float[notes.length * per + 999];
        Random r = new Random(5);
        double ph = 0;
        for (int i = 0; i < x.length; i++) {
            double f = notes[Math.min(notes.length - 1, i / per)];
            ph += 2 * Math.PI * f / sr;
            x[i] = (float) (0.3 * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.2 * Math.sin(3 * ph)) + 0.003 * r.nextGaussian());
        }
        return x;
    }

    /** All frames of {@code x} pushed in blocks of {@code block} samples: {f0, confidence, loudness} and voicing. */
    static Object[] run(LiveTracker t, float[] x, int block) {
        int n = x.length / t.hop() + 1, cap = n + t.maxFrames(block);
        float[] f0 = new float[cap], conf = new float[cap], loud = new float[cap];
        boolean[] v = new boolean[cap];
        int got = 0;
        for (int off = 0; off < x.length; off += block) got += t.push(x, off, Math.min(block, x.length - off), f0, conf, v, loud, got);
        got += t.finish(f0, conf, v, loud, got);
        assertEquals(n, got, "frames for " + x.length + " samples");
        return new Object[] {java.util.Arrays.copyOf(f0, n), java.util.Arrays.copyOf(conf, n), java.util.Arrays.copyOf(loud, n),
            java.util.Arrays.copyOf(v, n)};
    }

    @Test
    void loudnessIsTheOfflineLoudnessAndBlocksDoNotMatter() {
        int sr = 16000;
        float[] x = melody(sr);
        Object[] a = run(new LiveTracker(sr), x, 1), b = run(new LiveTracker(sr), x, 64), c = run(new LiveTracker(sr), x, 777);
        // The same window, FFT and sum as offline: equal up to the last bit that compiled and interpreted vector code
        // may round differently.
        assertArrayEquals(Loudness.loudnessDb(x, sr, 250), (float[]) a[2], 1e-4f, "loudness, dB");
        for (Object[] o : new Object[][] {b, c}) {
            for (int i = 0; i < 4; i++) {
                if (i == 3) assertArrayEquals((boolean[]) a[3], (boolean[]) o[3]);
                else assertArrayEquals((float[]) a[i], (float[]) o[i], 1e-4f, "output " + i + " depends on the block size");
            }
        }
    }

    @Test
    void aFrameComesOutWhenItsLookAheadIsIn() {
        int sr = 16000;
        LiveTracker t = new LiveTracker(sr);
        assertEquals(256, t.lookAheadSamples(), "16 ms at 16 kHz");
        float[] x = melody(sr), f0 = new float[4], c = new float[4], l = new float[4];
        boolean[] v = new boolean[4];
        int frames = 0;
        for (int i = 0; i < 5000; i++) {
            int got = t.push(x, i, 1, f0, c, v, l, 0);
            assertTrue(got <= 1);
            if (got == 1) {
                assertEquals((long) frames * 64 + 256, i + 1, "frame " + frames + " came out after " + (i + 1) + " samples");
                frames++;
            }
        }
        assertEquals((5000 - 256) / 64 + 1, frames);
    }

    @ParameterizedTest
    @CsvSource({"16000, 250, 110", "16000, 250, 440", "16000, 250, 1000", "48000, 250, 220", "22050, 50, 660"})
    void sinesAreTracked(int sr, int frameRate, double f) {
        float[] x = PitchTrackerTest.tone(sr, 1.0, f, 1.0, 0.5);
        LiveTracker t = LiveTracker.builder(sr).frameRate(frameRate).build();
        PitchTrack tr = t.track(x);
        assertEquals(x.length / t.hop() + 1, tr.nFrames());
        for (int i = frameRate / 10; i < tr.nFrames() - frameRate / 10; i++) {
            assertTrue(tr.voiced()[i], "frame " + i + " unvoiced");
            assertTrue(Math.abs(PitchTrackerTest.cents(tr.f0Hz()[i], f)) < 20, "frame " + i + ": " + tr.f0Hz()[i] + " Hz");
        }
    }

    @Test
    void aLegatoStepIsFollowedWhileTheOldNoteStillDominates() {
        // The offline tracker's test signal: 300 Hz decaying from frame 125, 356.8 Hz rising under it.
        int sr = 16000, n = sr, onset = 8000;
        float[] x = new float[n];
        double pa = 0, pb = 0;
        for (int i = 0; i < n; i++) {
            double t = (i - onset) / (double) sr;
            double ga = i < onset ? 1 : Math.exp(-t / 0.06), gb = i < onset ? 0 : 1 - Math.exp(-t / 0.04);
            pa += 2 * Math.PI * 300 / sr;
            pb += 2 * Math.PI * 356.8 / sr;
            x[i] = (float) (0.3 * (ga * (Math.sin(pa) + 0.5 * Math.sin(2 * pa) + 0.3 * Math.sin(3 * pa))
                    + gb * (Math.sin(pb) + 0.5 * Math.sin(2 * pb) + 0.3 * Math.sin(3 * pb))));
        }
        PitchTrack plain = LiveTracker.builder(sr).onsetRelabelling(false).build().track(x);
        PitchTrack t = new LiveTracker(sr).track(x);
        int plainFirst = first(plain, 356.8), first = first(t, 356.8);
        assertTrue(plainFirst > 125 + 6, "without relabelling the live track is late here (frame " + plainFirst + ")");
        assertTrue(first >= 125 && first <= 125 + 6, "first 356.8 Hz frame " + first + " (plain: " + plainFirst + ")");
        for (int i = 30; i < 120; i++) assertTrue(Math.abs(PitchTrackerTest.cents(t.f0Hz()[i], 300)) < 50, "frame " + i);
    }

    private static int first(PitchTrack t, double f) {
        for (int i = 100; i < t.nFrames(); i++) if (t.voiced()[i] && Math.abs(PitchTrackerTest.cents(t.f0Hz()[i], f)) < 50) return i;
        return -1;
    }

    @Test
    void silenceAndNoiseAreUnvoicedAndBadSamplesAreSilence() {
        int sr = 16000;
        float[] x = new float[sr];
        Random r = new Random(2);
        for (int i = sr / 2; i < sr; i++) x[i] = (float) (0.2 * r.nextGaussian());
        x[100] = Float.NaN;
        x[200] = Float.POSITIVE_INFINITY;
        PitchTrack t = new LiveTracker(sr).track(x);
        int voiced = 0;
        for (int i = 0; i < t.nFrames(); i++) {
            if (t.voiced()[i]) voiced++;
            assertTrue(t.f0Hz()[i] > 0 && Float.isFinite(t.f0Hz()[i]));
            if (i < 100) assertEquals(0f, t.confidence()[i], "silent frame " + i);
        }
        assertTrue(voiced <= 0.1 * t.nFrames(), voiced + " voiced frames in silence and noise");
    }

    @Test
    void nothingIsAllocatedPerFrame() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        int sr = 16000;
        LiveTracker t = new LiveTracker(sr);
        float[] x = melody(sr), f0 = new float[8], c = new float[8], l = new float[8];
        boolean[] v = new boolean[8];
        long tid = Thread.currentThread().threadId(), bytes = -1;
        // Warm-up compiles the loop (interpreted Vector API code allocates); then a whole pass must allocate nothing.
        for (int attempt = 0; attempt < 40 && bytes != 0; attempt++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int off = 0; off + 64 <= x.length; off += 64) t.push(x, off, 64, f0, c, v, l, 0);
            bytes = mx.getThreadAllocatedBytes(tid) - before;
        }
        assertEquals(0, bytes, "bytes allocated while tracking " + x.length + " samples in 64-sample blocks");
    }

    @Test
    void theLookAheadIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> LiveTracker.builder(16000).lookAheadSamples(257).build());
        assertThrows(IllegalArgumentException.class, () -> LiveTracker.builder(16000).delayFrames(5).build());
        assertEquals(768, new LiveTracker(48000).lookAheadSamples());
        assertEquals(128, LiveTracker.builder(16000).lookAheadSamples(128).build().lookAheadSamples());
    }
}
