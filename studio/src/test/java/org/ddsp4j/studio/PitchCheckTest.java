package org.ddsp4j.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pitch check of the browser tests passes a right answer and fails the wrong ones it must catch. */
class PitchCheckTest {
    static final int SR = 16000;
    static final double[] NOTES = {45, 48, 52, 50, 47};

    @Test
    void passesAMelodyShiftedAsAsked() {
        float[] in = Melody.of(NOTES, 0.4, 0.3, SR);
        float[] up = Melody.of(shifted(NOTES, 12), 0.4, 0.3, SR);
        PitchCheck.Result r = PitchCheck.compare(in, SR, up, SR, 0, 12, 50);
        assertTrue(r.frames() > 300, r.toString());
        assertTrue(r.fraction() >= 0.95, r.toString());
        assertEquals(12, r.medianShift(), 0.1, r.toString());
    }

    @Test
    void failsTheUnshiftedInputANoteOffAndNoise() {
        float[] in = Melody.of(NOTES, 0.4, 0.3, SR);
        assertTrue(PitchCheck.compare(in, SR, in, SR, 0, 12, 50).fraction() < 0.05, "the input itself is not +12");
        float[] semitoneOff = Melody.of(shifted(NOTES, 13), 0.4, 0.3, SR);
        assertTrue(PitchCheck.compare(in, SR, semitoneOff, SR, 0, 12, 50).fraction() < 0.05, "a semitone off is not +12");
        float[] noise = Melody.noise(2, 0.3, SR, 7);
        assertTrue(PitchCheck.compare(in, SR, noise, SR, 0, 12, 50).fraction() < 0.05, "noise has no pitch");
        assertTrue(PitchCheck.compare(in, SR, noise, SR, 0, 0, 50).fraction() < 0.05, "noise has no pitch");
    }

    @Test
    void takesTheLiveLatencyIntoAccount() {
        float[] in = Melody.of(NOTES, 0.4, 0.3, SR);
        float[] out = new float[in.length + 319];
        System.arraycopy(Melody.of(shifted(NOTES, 12), 0.4, 0.3, SR), 0, out, 319, in.length);
        assertTrue(PitchCheck.compare(in, SR, out, SR, 319, 12, 50).fraction() >= 0.95);
    }

    @Test
    void followsAShiftThatChangesAlongTheWay() {
        float[] in = Melody.of(NOTES, 0.4, 0.3, SR);
        float[] half = Melody.of(shifted(NOTES, 12), 0.4, 0.3, SR);
        float[] out = Melody.of(shifted(NOTES, 24), 0.4, 0.3, SR);
        System.arraycopy(half, 0, out, 0, in.length / 2);
        int frames = in.length / (SR / PitchCheck.FRAME_RATE);
        assertTrue(PitchCheck.compare(in, SR, out, SR, 0, f -> f < frames / 2 ? 12 : 24, 50).fraction() >= 0.95);
        assertTrue(PitchCheck.compare(in, SR, out, SR, 0, 12, 50).fraction() < 0.6, "one shift for all does not fit");
    }

    static double[] shifted(double[] notes, double st) {
        double[] m = notes.clone();
        for (int i = 0; i < m.length; i++) m[i] += st;
        return m;
    }
}
