package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResynthesisMetricsTest {
    private static AudioFeatures features(float[] f0, float[] conf, boolean[] voiced, float[] loud) {
        return new AudioFeatures(f0, conf, voiced, loud, 250);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static boolean[] allVoiced(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    private static float cents(float hz, double c) {
        return (float) (hz * Math.pow(2, c / 1200));
    }

    @Test
    void identicalFeaturesScorePerfectly() {
        int n = 100;
        AudioFeatures a = features(filled(n, 220), filled(n, 0.9f), allVoiced(n), filled(n, -30));
        ResynthesisMetrics m = ResynthesisMetrics.compute(a, a);
        assertEquals(n, m.frames());
        assertEquals(n, m.confidentFrames());
        assertEquals(0, m.loudnessL1Db());
        assertEquals(0, m.f0L1Semitones());
        assertEquals(0, m.f0OutlierRatio());
        assertEquals(1, m.rawPitchAccuracy());
        assertFalse(m.isOutlierClip());
    }

    @Test
    void loudnessL1IsTheMeanAbsoluteDifferenceOverTheShorterLength() {
        float[] in = {-10, -20, -30, -40, -50, 0, 0};
        float[] out = {-13, -17, -30, -44, -50};            // |diff| = 3, 3, 0, 4, 0 -> mean 2
        AudioFeatures a = features(filled(7, 100), filled(7, 0), new boolean[7], in);
        AudioFeatures b = features(filled(5, 100), filled(5, 0), new boolean[5], out);
        ResynthesisMetrics m = ResynthesisMetrics.compute(a, b);
        assertEquals(5, m.frames());
        assertEquals(2.0, m.loudnessL1Db(), 1e-9);
        // No confident input frames: the f0 metrics are undefined.
        assertEquals(0, m.confidentFrames());
        assertTrue(Double.isNaN(m.f0L1Semitones()) && Double.isNaN(m.f0OutlierRatio()) && Double.isNaN(m.rawPitchAccuracy()));
        assertTrue(m.toJson().contains("\"f0_l1_semitones\": null"), m.toJson());
        assertTrue(m.toTable().contains("n/a"), m.toTable());
        assertTrue(Double.isNaN(m.loudnessL1VoicedDb()));
        // The voiced figure counts the confident frames only: frames 0 and 3 here -> (3 + 4) / 2.
        float[] conf = {0.9f, 0, 0, 0.9f, 0};
        ResynthesisMetrics v = ResynthesisMetrics.compute(features(filled(5, 100), conf, new boolean[5], java.util.Arrays.copyOf(in, 5)), b);
        assertEquals(3.5, v.loudnessL1VoicedDb(), 1e-9);
        assertEquals(2.0, v.loudnessL1Db(), 1e-9);
    }

    @Test
    void f0MetricsUseOnlyConfidentInputFrames() {
        // 8 frames: 4 confident (>= 0.85, one exactly at it), 4 below with wild resynthesis f0.
        float[] conf = {0.85f, 0.9f, 1f, 0.99f, 0.84f, 0.5f, 0f, 0.2f};
        float[] f0In = filled(8, 440);
        float[] f0Out = {880, 440, cents(440, 30), cents(440, -60), 20, 5000, 1, 0};
        AudioFeatures a = features(f0In, conf, allVoiced(8), filled(8, -20));
        AudioFeatures b = features(f0Out, filled(8, 1), allVoiced(8), filled(8, -20));
        ResynthesisMetrics m = ResynthesisMetrics.compute(a, b);
        assertEquals(4, m.confidentFrames());
        // errors: 12, 0, 0.3, 0.6 semitones
        assertEquals((12 + 0 + 0.3 + 0.6) / 4, m.f0L1Semitones(), 1e-5);
        assertEquals(0, m.f0OutlierRatio(), "12 semitones exactly is not an outlier");
        assertEquals(0.5, m.rawPitchAccuracy(), 1e-12, "0 and 30 cents hit; 1200 and 60 cents miss");

        ResynthesisMetrics loose = ResynthesisMetrics.compute(a, b, 0.0);
        assertEquals(8, loose.confidentFrames());
        assertEquals(0.0, loose.confidenceThreshold());
    }

    @Test
    void outliersCountLargeErrorsAndUnvoicedResynthesisFrames() {
        float[] f0Out = {cents(200, 1201 * 1), 200, 200, 200, 0};
        boolean[] voicedOut = {true, true, false, true, true};
        AudioFeatures a = features(filled(5, 200), filled(5, 1), allVoiced(5), filled(5, -20));
        AudioFeatures b = features(f0Out, filled(5, 1), voicedOut, filled(5, -20));
        ResynthesisMetrics m = ResynthesisMetrics.compute(a, b);
        // frame 0: 12.01 semitones; frame 2: unvoiced; frame 4: no f0 (MIDI 0 vs 55.3)
        assertEquals(3 / 5.0, m.f0OutlierRatio(), 1e-12);
        // RPA ignores the resynthesis' voicing (frame 2 hits), but needs a positive f0 (frame 4 misses).
        assertEquals(3 / 5.0, m.rawPitchAccuracy(), 1e-12);
        double midi200 = 69 + 12 * Math.log(200 / 440.0) / Math.log(2);
        assertEquals((12.01 + midi200) / 5, m.f0L1Semitones(), 1e-4);
        assertTrue(m.isOutlierClip(), "mean error " + m.f0L1Semitones() + " > 12 semitones makes the clip an outlier");
    }

    @Test
    void rpaToleranceIsStrictAt50Cents() {
        float[] f0Out = {cents(300, 49.9), cents(300, -49.9), cents(300, 50.1), cents(300, -50.1)};
        AudioFeatures a = features(filled(4, 300), filled(4, 1), allVoiced(4), filled(4, 0));
        AudioFeatures b = features(f0Out, filled(4, 1), allVoiced(4), filled(4, 0));
        assertEquals(0.5, ResynthesisMetrics.compute(a, b).rawPitchAccuracy(), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        AudioFeatures a = features(filled(3, 100), filled(3, 1), allVoiced(3), filled(3, 0));
        AudioFeatures other = new AudioFeatures(filled(3, 100), filled(3, 1), allVoiced(3), filled(3, 0), 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResynthesisMetrics.compute(a, other));
        assertTrue(e.getMessage().contains("250") && e.getMessage().contains("100"), e.getMessage());
        AudioFeatures nan = features(filled(3, 100), filled(3, 1), allVoiced(3), new float[] {0, Float.NaN, 0});
        e = assertThrows(IllegalArgumentException.class, () -> ResynthesisMetrics.compute(a, nan));
        assertTrue(e.getMessage().contains("frame 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResynthesisMetrics.compute(a, a, 1.5));
        AudioFeatures empty = features(new float[0], new float[0], new boolean[0], new float[0]);
        assertThrows(IllegalArgumentException.class, () -> ResynthesisMetrics.compute(a, empty));
    }

    @Test
    void jsonAndTableCarryAllMetrics() {
        ResynthesisMetrics m = new ResynthesisMetrics(1000, 800, 0.85, 1.25, 1.0, 0.125, 0.01, 0.975);
        assertEquals("{\"frames\": 1000, \"confident_frames\": 800, \"confidence_threshold\": 0.85, \"loudness_l1_db\": 1.25, "
                + "\"loudness_l1_voiced_db\": 1.0, \"f0_l1_semitones\": 0.125, \"f0_outlier_ratio\": 0.01, \"raw_pitch_accuracy\": 0.975}", m.toJson());
        String table = m.toTable();
        for (String s : new String[] {"1000", "800", "1.250 dB", "0.125 semitones", "0.0100", "0.9750"}) {
            assertTrue(table.contains(s), "table lacks " + s + ":\n" + table);
        }
    }
}
