package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Synthetic signals with analytic f0; always run. */
class PitchTrackerTest {

    /** Harmonic tone with constant f0: sum of amps[h-1] * sin(2 pi h f0 t). */
    static float[] tone(int sr, double seconds, double f0, double... amps) {
        int n = (int) Math.round(sr * seconds);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int h = 1; h <= amps.length; h++) {
                if (h * f0 < sr / 2.0) s += amps[h - 1] * Math.sin(2 * Math.PI * h * f0 * i / sr);
            }
            x[i] = (float) (0.3 * s);
        }
        return x;
    }

    static double cents(double f, double ref) {
        return 1200 * Math.log(f / ref) / Math.log(2);
    }

    /** Max |cents| over frames whose whole analysis window lies inside the signal. */
    static double maxCentsInside(PitchTrack t, double f0, int edgeFrames) {
        double worst = 0;
        for (int i = edgeFrames; i < t.nFrames() - edgeFrames; i++) {
            assertTrue(t.voiced()[i], "frame " + i + " unvoiced");
            worst = Math.max(worst, Math.abs(cents(t.f0Hz()[i], f0)));
        }
        return worst;
    }

    @Test
    void blockDifferenceSumsToNaive() {
        Random r = new Random(1);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int hop = 64, nBlocks = 5, nLags = 203;
        float[] sum = new float[YinDifference.paddedLags(nLags)];
        float[] blk = new float[sum.length];
        for (int b = 0; b < nBlocks; b++) {
            YinDifference.block(x, 100 + b * hop, hop, nLags, blk);
            YinDifference.addScaled(sum, blk, 1f, 0, nLags);
        }
        float[] ref = new float[nLags];
        YinDifference.naive(x, 100, nBlocks * hop, nLags, ref);
        for (int tau = 0; tau < nLags; tau++) assertEquals(ref[tau], sum[tau], 1e-4f * (1 + ref[tau]), "tau " + tau);
    }

    @Test
    void cmndfMatchesDefinition() {
        float[] d = {0, 4, 2, 6, 1};
        float[] out = new float[5];
        YinDifference.cmndf(d, 5, out);
        assertEquals(1f, out[0]);
        assertEquals(1f, out[1], 1e-6); // 4 * 1 / 4
        assertEquals(2 * 2 / 6f, out[2], 1e-6);
        assertEquals(6 * 3 / 12f, out[3], 1e-6);
        assertEquals(1 * 4 / 13f, out[4], 1e-6);
    }

    @ParameterizedTest
    @CsvSource({"16000, 250, 55", "16000, 250, 110", "16000, 250, 440", "16000, 250, 1000", "16000, 250, 2000",
                "44100, 100, 98", "44100, 100, 1500", "48000, 250, 65.4", "48000, 250, 880", "8000, 250, 300"})
    void sineGivesItsFrequency(int sr, int frameRate, double f0) {
        PitchTracker pt = PitchTracker.builder(sr).frameRate(frameRate).build();
        float[] x = tone(sr, 1.0, f0, 1.0);
        PitchTrack t = pt.track(x);
        assertEquals(x.length / (sr / frameRate) + 1, t.nFrames());
        int edge = frameRate / 10;
        assertTrue(maxCentsInside(t, f0, edge) < 3, "sine " + f0 + " Hz at " + sr + " Hz: " + maxCentsInside(t, f0, edge) + " cents");
        for (int i = edge; i < t.nFrames() - edge; i++) assertTrue(t.confidence()[i] > 0.9, "confidence " + t.confidence()[i]);
    }

    @ParameterizedTest
    @CsvSource({"16000, 250", "44100, 210", "48000, 250"})
    void harmonicToneWithMissingFundamental(int sr, int frameRate) {
        double f0 = 180;
        PitchTrack t = PitchTracker.builder(sr).frameRate(frameRate).build().track(tone(sr, 1.0, f0, 0, 1, 0.8, 0.6, 0.5, 0.4, 0.3));
        assertTrue(maxCentsInside(t, f0, frameRate / 10) < 5, "missing fundamental: " + maxCentsInside(t, f0, frameRate / 10) + " cents");
    }

    @Test
    void dominantSecondHarmonicIsNoOctaveError() {
        double f0 = 150;
        PitchTrack t = new PitchTracker(16000).track(tone(16000, 1.0, f0, 0.15, 1.0, 0.3, 0.6, 0.1));
        assertTrue(maxCentsInside(t, f0, 25) < 5);
    }

    /**
     * Harmonic glide with vibrato at 16 kHz: {@code f(t) = 200 * 2^(glideCents/1200 * t/seconds
     * + vibratoCents/1200 * sin(2 pi vibratoHz t))}, amplitudes 1, 0.5, 0.3, plus white noise of
     * standard deviation {@code noise}; writes the instantaneous f0 per sample into {@code f}.
     */
    static float[] vibratoGlide(double seconds, double glideCents, double vibratoCents, double vibratoHz,
                                double noise, double[] f) {
        int sr = 16000;
        float[] x = new float[f.length];
        Random r = new Random(5);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / sr;
            f[i] = 200 * Math.pow(2, (glideCents * t / seconds + vibratoCents * Math.sin(2 * Math.PI * vibratoHz * t)) / 1200);
            phase += 2 * Math.PI * f[i] / sr;
            x[i] = (float) (0.3 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase))
                    + noise * r.nextGaussian());
        }
        return x;
    }

    /** Frames {@code 25 .. nFrames-26} of a default 16 kHz track within 20 cents of {@code f} at the frame centre. */
    static int[] framesWithin20Cents(float[] x, double[] f) {
        PitchTrack tr = new PitchTracker(16000).track(x);
        int good = 0, total = 0;
        for (int i = 25; i < tr.nFrames() - 25; i++) {
            total++;
            if (tr.voiced()[i] && Math.abs(cents(tr.f0Hz()[i], f[i * 64])) < 20) good++;
        }
        return new int[] {good, total};
    }

    @Test
    void vibratoGlideIsFollowed() {
        // An octave over 2 s plus +-50 cent vibrato at 5.5 Hz. Onset relabelling (on by default) once
        // snapped ~100 of these frames to the pitch 64 ms later; its single-period test must keep them.
        double[] f = new double[32000];
        int[] r = framesWithin20Cents(vibratoGlide(2, 1200, 50, 5.5, 0, f), f);
        assertTrue(r[0] >= 0.98 * r[1], r[0] + " of " + r[1] + " frames within 20 cents");
    }

    @ParameterizedTest
    @CsvSource({"0.4, 100, 50, 6.0, 0", "0.5, -100, 40, 5.0, 0", "0.5, 100, 50, 5.5, 0.02"})
    void vibratoGlideOverASemitoneIsNotSnapped(double seconds, double glideCents, double vibratoCents,
                                               double vibratoHz, double noise) {
        // A glide crossing ~100 cents whose vibrato swings hold for a few frames looks to the onset
        // relabelling like note A, then note B 64 ms later; without the single-period test 3..6 of the
        // 51..76 frames scored here were snapped to B (>= 50 cents off). Noise 0.02 is -22 dB.
        double[] f = new double[(int) Math.round(seconds * 16000)];
        int[] r = framesWithin20Cents(vibratoGlide(seconds, glideCents, vibratoCents, vibratoHz, noise, f), f);
        assertEquals(r[1], r[0], r[0] + " of " + r[1] + " frames within 20 cents");
    }

    @Test
    void singlePitchResidualSeparatesOnePeriodFromTwo() {
        // One tone of period 72.7 samples (220 Hz) inside the scanned range [64, 80]: the best lag
        // leaves < 0.1% of the energy. Two tones (200 Hz, 250 Hz at -10 dB): no single lag cancels both,
        // at best the weaker one is left, doubled by the differencing: 2 * 0.1 / 1.1 = 0.18 of the energy,
        // between 0.1 and 0.4 with the cross terms. White noise leaves about 2 (differencing doubles it).
        int sr = 16000;
        PitchTracker pt = new PitchTracker(sr);
        float[] one = tone(sr, 0.2, 220, 1, 0.5, 0.3);
        float[] a = tone(sr, 0.2, 200, 1, 0.5, 0.3), b = tone(sr, 0.2, 250, 1, 0.5, 0.3);
        float[] two = new float[a.length], noise = new float[a.length];
        Random r = new Random(4);
        for (int i = 0; i < a.length; i++) {
            two[i] = a[i] + (float) Math.sqrt(0.1) * b[i];
            noise[i] = (float) r.nextGaussian();
        }
        double e1 = pt.comb.singlePitchResidual(one, 1600, 64, 80);
        double e2 = pt.comb.singlePitchResidual(two, 1600, 64, 80);
        double en = pt.comb.singlePitchResidual(noise, 1600, 64, 80);
        assertTrue(e1 < 1e-3, "one tone leaves " + e1);
        assertTrue(e2 > 0.1 && e2 < 0.4, "two tones leave " + e2);
        assertTrue(en > 1.6 && en < 2.4, "noise leaves " + en);
        assertTrue(pt.comb.isCrossfade(two, 1600, 80, 64, 80, 64), "200 Hz + 250 Hz at -10 dB is a crossfade");
        assertTrue(!pt.comb.isCrossfade(one, 1600, 80, 64, 80, 64), "one 220 Hz tone is no crossfade");
        assertEquals(1.0, pt.comb.singlePitchResidual(new float[3200], 1600, 64, 80));
    }

    @Test
    void noteChangeIsLocatedAtTheFrameCentre() {
        // 300 Hz then 450 Hz from sample 8000 (frame 125 at hop 64): the switch must land there +-1 frame.
        int sr = 16000;
        float[] a = tone(sr, 0.5, 300, 1, 0.5, 0.3), b = tone(sr, 0.5, 450, 1, 0.5, 0.3);
        float[] x = new float[a.length + b.length];
        System.arraycopy(a, 0, x, 0, a.length);
        System.arraycopy(b, 0, x, a.length, b.length);
        PitchTrack t = new PitchTracker(sr).track(x);
        // Frames whose window straddles the change may be unvoiced; the midpoint between the last
        // 300 Hz frame and the first 450 Hz frame must be the change.
        int last300 = -1, first450 = -1;
        for (int i = 0; i < t.nFrames(); i++) {
            if (!t.voiced()[i]) continue;
            if (Math.abs(cents(t.f0Hz()[i], 300)) < 50 && first450 < 0) last300 = i;
            if (Math.abs(cents(t.f0Hz()[i], 450)) < 50 && first450 < 0) first450 = i;
        }
        double mid = (last300 + first450) / 2.0;
        assertTrue(Math.abs(mid - 125) <= 1, "last 300 Hz frame " + last300 + ", first 450 Hz frame " + first450);
        assertTrue(first450 - last300 <= 8, "transition of " + (first450 - last300) + " frames");
    }

    @Test
    void jointCancellationFindsAWeakSecondNote() {
        // A (200 Hz, lag 80) at full level plus B (250 Hz, lag 64) 20 dB lower: once A is cancelled,
        // cancelling B removes nearly all that is left. With noise instead of B, differencing the
        // residual doubles it (share about -1).
        int sr = 16000;
        float[] a = tone(sr, 0.2, 200, 1, 0.5, 0.3), b = tone(sr, 0.2, 250, 1, 0.5, 0.3);
        float[] mix = new float[a.length], noisy = new float[a.length];
        Random r = new Random(3);
        for (int i = 0; i < a.length; i++) {
            mix[i] = a[i] + 0.1f * b[i];
            noisy[i] = a[i] + (float) (0.03 * r.nextGaussian());
        }
        PitchTracker pt = new PitchTracker(sr);
        assertEquals(80, pt.comb.cancelLag(80f));
        assertEquals(64, pt.comb.cancelLag(64f));
        // 11.5 samples: 34.5 is not whole, 46 (4 periods, >= the 24-sample minimum) is.
        assertEquals(46, pt.comb.cancelLag(11.5f));
        double withB = pt.comb.residualShare(mix, 1600, 80, 64), withNoise = pt.comb.residualShare(noisy, 1600, 80, 64);
        assertTrue(withB > 0.95, "share with B present " + withB);
        assertTrue(withNoise < -0.5, "share with noise only " + withNoise);
    }

    @Test
    void legatoOnsetIsLabelledWhileTheOldNoteStillDominates() {
        // 300 Hz held, then from sample 8000 (frame 125) it decays with a 60 ms time constant while
        // a second note rises with a 40 ms time constant: the plain YIN dip follows the louder note until
        // ~frame 135. The new note must be labelled within 3 frames of where it is 20 dB under the old one.
        int sr = 16000, n = sr;
        float[] x = new float[n];
        int onset = 8000;
        double pa = 0, pb = 0;
        int crossing20dB = -1;
        for (int i = 0; i < n; i++) {
            double t = (i - onset) / (double) sr;
            double ga = i < onset ? 1 : Math.exp(-t / 0.06), gb = i < onset ? 0 : 1 - Math.exp(-t / 0.04);
            if (crossing20dB < 0 && gb >= 0.1 * ga) crossing20dB = i;
            pa += 2 * Math.PI * 300 / sr;
            pb += 2 * Math.PI * 356.8 / sr;
            x[i] = (float) (0.3 * (ga * (Math.sin(pa) + 0.5 * Math.sin(2 * pa) + 0.3 * Math.sin(3 * pa))
                    + gb * (Math.sin(pb) + 0.5 * Math.sin(2 * pb) + 0.3 * Math.sin(3 * pb))));
        }
        PitchTrack plain = PitchTracker.builder(sr).onsetRelabelling(false).build().track(x);
        PitchTrack t = new PitchTracker(sr).track(x); // onset relabelling is on by default
        int plainFirst = -1;
        for (int i = 100; i < plain.nFrames() && plainFirst < 0; i++) {
            if (plain.voiced()[i] && Math.abs(cents(plain.f0Hz()[i], 356.8)) < 50) plainFirst = i;
        }
        assertTrue(plainFirst > 125 + 6, "the plain tracker is late here (frame " + plainFirst + "), or this test shows nothing");
        int first400 = -1;
        for (int i = 100; i < t.nFrames(); i++) {
            if (t.voiced()[i] && Math.abs(cents(t.f0Hz()[i], 356.8)) < 50) { first400 = i; break; }
        }
        int expect = crossing20dB / 64;
        assertTrue(first400 >= 0 && Math.abs(first400 - expect) <= 3,
                "first 356.8 Hz frame " + first400 + ", new note 20 dB under the old one at frame " + expect);
        for (int i = 30; i < 120; i++) assertTrue(Math.abs(cents(t.f0Hz()[i], 300)) < 50, "frame " + i + ": " + t.f0Hz()[i]);
        // Right after the relabelled start the merged dip may still sit a little under the new note.
        for (int i = first400; i < t.nFrames() - 30; i++) {
            double tol = i < first400 + 12 ? 100 : 50;
            assertTrue(Math.abs(cents(t.f0Hz()[i], 356.8)) < tol, "frame " + i + ": " + t.f0Hz()[i]);
        }
    }

    @ParameterizedTest
    @CsvSource({"16000, 250", "44100, 100", "48000, 250"})
    void whiteNoiseIsUnvoicedWithLowConfidence(int sr, int frameRate) {
        Random r = new Random(7);
        float[] x = new float[sr];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.2 * r.nextGaussian());
        PitchTrack t = PitchTracker.builder(sr).frameRate(frameRate).build().track(x);
        int low = 0, unvoiced = 0;
        for (int i = 0; i < t.nFrames(); i++) {
            if (t.confidence()[i] < 0.5) low++;
            if (!t.voiced()[i]) unvoiced++;
            assertTrue(t.f0Hz()[i] > 0 && Float.isFinite(t.f0Hz()[i]));
            assertTrue(t.confidence()[i] >= 0 && t.confidence()[i] <= 1);
        }
        assertTrue(low >= 0.9 * t.nFrames(), low + " of " + t.nFrames() + " frames with confidence < 0.5");
        assertTrue(unvoiced >= 0.9 * t.nFrames(), unvoiced + " of " + t.nFrames() + " frames unvoiced");
    }

    @Test
    void silenceIsUnvoicedWithZeroConfidenceAndFiniteF0() {
        PitchTrack t = new PitchTracker(16000).track(new float[16000]);
        assertEquals(251, t.nFrames());
        for (int i = 0; i < t.nFrames(); i++) {
            assertEquals(0f, t.confidence()[i]);
            assertTrue(!t.voiced()[i]);
            assertTrue(t.f0Hz()[i] >= 40 && t.f0Hz()[i] <= 2100, "f0 " + t.f0Hz()[i]);
        }
    }

    @Test
    void unvoicedFramesHoldTheNearestVoicedPitch() {
        int sr = 16000;
        float[] a = tone(sr, 0.4, 220, 1, 0.5), b = tone(sr, 0.4, 330, 1, 0.5);
        float[] x = new float[a.length + sr / 2 + b.length];
        System.arraycopy(a, 0, x, 0, a.length);
        System.arraycopy(b, 0, x, a.length + sr / 2, b.length);
        PitchTrack t = new PitchTracker(sr).track(x);
        int gapStart = a.length / 64 + 10, gapEnd = (a.length + sr / 2) / 64 - 10;
        int mid = (gapStart + gapEnd) / 2;
        for (int i = gapStart; i < gapEnd; i++) {
            assertTrue(!t.voiced()[i], "frame " + i + " in the silent gap is voiced");
            double expect = i < mid - 5 ? 220 : i > mid + 5 ? 330 : Double.NaN;
            if (!Double.isNaN(expect)) assertTrue(Math.abs(cents(t.f0Hz()[i], expect)) < 10, "frame " + i + ": " + t.f0Hz()[i]);
        }
        for (float f : t.f0Hz()) assertTrue(f > 0 && Float.isFinite(f));
    }

    /** Frames a downstream user would trust (confidence >= 0.5) whose f0 lies within 5 % above the search floor. */
    static int confidentAtFloor(PitchTrack t, float fMinHz) {
        int n = 0;
        for (int i = 0; i < t.nFrames(); i++) {
            if (t.confidence()[i] >= 0.5f && t.f0Hz()[i] <= 1.05f * fMinHz) n++;
        }
        return n;
    }

    /**
     * A hum just below the 40 Hz floor in hiss (20 dB below it): d' falls toward the longest lags and the hiss puts
     * small dips on that slope. The tracker before the floor margin took the last of them, at the floor, as a
     * pitch (82 of 501 frames at 39 Hz read ~40 Hz with confidence >= 0.5).
     */
    @ParameterizedTest
    @CsvSource({"39.0, 3", "39.0, 4", "38.5, 3", "38.5, 5"})
    void humBelowTheFloorIsNoConfidentFloorPitch(double humHz, long seed) {
        int sr = 16000;
        PitchTracker tracker = new PitchTracker(sr);
        Random r = new Random(seed);
        float[] x = new float[2 * sr];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * Math.sin(2 * Math.PI * humHz * i / sr) + 0.01 * r.nextGaussian());
        assertEquals(0, confidentAtFloor(tracker.track(x), tracker.fMinHz()), "confident frames at the floor");
        assertEquals(0, confidentAtFloor(LiveTracker.builder(sr).pitch(tracker).build().track(x), tracker.fMinHz()),
                "confident frames at the floor, live");
    }

    /**
     * A note that decays 60 dB over 2.5 s after leading room tone (hum at 39 Hz and hiss, 50 dB below the note) and
     * runs out into it: no frame reads the floor with confidence, and the frames before the note hold its pitch.
     */
    @Test
    void decayingNoteOverRoomToneHasNoConfidentFloorFrames() {
        int sr = 16000;
        PitchTracker tracker = new PitchTracker(sr);
        Random r = new Random(7);
        float[] note = tone(sr, 3.0, 220, 1, 0.6, 0.4, 0.3, 0.2, 0.1);
        int lead = sr / 2;
        float[] x = new float[lead + note.length + sr / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.003 * Math.sin(2 * Math.PI * 39 * i / sr) + 0.0003 * r.nextGaussian());
            int j = i - lead;
            if (j >= 0 && j < note.length) x[i] += (float) (note[j] * Math.exp(-Math.log(1000) * j / (2.5 * sr)));
        }
        PitchTrack t = tracker.track(x);
        assertEquals(0, confidentAtFloor(t, tracker.fMinHz()), "confident frames at the floor");
        int first = -1;
        for (int i = 0; i < t.nFrames() && first < 0; i++) if (t.voiced()[i] && t.confidence()[i] >= 0.5f) first = i;
        assertTrue(first > 0, "the note is found");
        for (int i = 0; i < first; i++) {
            assertTrue(Math.abs(cents(t.f0Hz()[i], 220)) < 50, "frame " + i + " before the note reads " + t.f0Hz()[i] + " Hz");
        }
    }

    @Test
    void badConfigurationsNameTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PitchTracker.builder(44100).frameRate(250).build());
        assertTrue(e.getMessage().contains("44100") && e.getMessage().contains("250"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PitchTracker.builder(16000).fMinHz(500).fMaxHz(400).build());
        assertThrows(IllegalArgumentException.class, () -> new PitchTracker(16000).track(new float[] {0, Float.NaN}));
    }

    @Test
    void emptyAndShortSignalsFollowTheFrameCount() {
        PitchTracker pt = new PitchTracker(16000);
        assertEquals(1, pt.track(new float[0]).nFrames());
        assertEquals(2, pt.track(new float[64]).nFrames());
        assertEquals(1, pt.track(new float[63]).nFrames());
    }
}
