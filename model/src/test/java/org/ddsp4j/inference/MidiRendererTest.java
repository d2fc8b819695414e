package org.ddsp4j.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polyphonic MIDI: simultaneous notes, voice stealing, velocity, CC 7/11, pitch bend, one instrument per track. */
class MidiRendererTest {
    private static final int PPQ = 480;   // 120 bpm: 960 ticks per second

    private static Instrument instrument(int seed) {
        return Instrument.of(new Autoencoder(TestConfigs.small().with("train.seed", String.valueOf(seed))), Double.NaN, Double.NaN);
    }

    /**
     * An instrument whose harmonic amplitude follows the loudness it is given (an untrained model's hardly
     * does): no stacks, the output layer reading the scaled loudness straight into the amplitude.
     */
    private static Instrument loudnessFollowing() {
        Autoencoder m = new Autoencoder(TestConfigs.small().with(List.of("decoder.layers_per_stack=0", "decoder.output_inputs=raw")));
        var p = m.namedParameters();
        float[] w = p.get("decoder.dense_out.w").data(), b = p.get("decoder.dense_out.b").data();
        int outputs = b.length, rows = w.length / outputs;
        java.util.Arrays.fill(w, 0f);
        w[(rows - 1) * outputs] = 30f;   // loudness_scaled -> raw amplitude
        b[0] = -28f;
        return Instrument.of(m, Double.NaN, Double.NaN);
    }

    private static void note(Track t, int ch, int pitch, int vel, long on, long off) throws Exception {
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, ch, pitch, vel), on));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, ch, pitch, 0), off));
    }

    private static void cc(Track t, int ch, int controller, int value, long tick) throws Exception {
        t.add(new MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, ch, controller, value), tick));
    }

    private static Path write(Sequence s, Path file) throws Exception {
        MidiSystem.write(s, 1, file.toFile());
        return file;
    }

    /** Magnitude of the frequency {@code hz} in {@code x[from, to)} (Goertzel), per sample. */
    private static double magnitude(float[] x, int from, int to, double hz, int sr) {
        double w = 2 * Math.PI * hz / sr, c = 2 * Math.cos(w), s1 = 0, s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = x[i] + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return Math.sqrt(s1 * s1 + s2 * s2 - c * s1 * s2) / (to - from);
    }

    private static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) e += (double) x[i] * x[i];
        return Math.sqrt(e / (to - from));
    }

    @Test
    void aChordSoundsAllItsNotes(@TempDir Path tmp) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        for (int p : new int[] {60, 64, 67}) note(t, 0, p, 100, 0, 960);   // C major, 1 s
        MidiControls.Score score = MidiControls.score(write(s, tmp.resolve("chord.mid")), 250, MidiControls.Options.defaults());
        assertEquals(1, score.parts().size());
        assertEquals(3, score.parts().getFirst().notes().size());
        MidiRenderer.Result r = MidiRenderer.render(score, List.of(instrument(1)), 16, MidiControls.Options.defaults(), false);
        assertEquals(3, r.maxSimultaneous());
        assertEquals(0, r.stolen());
        int sr = r.sampleRate(), from = sr / 4, to = 3 * sr / 4;
        double between = magnitude(r.audio(), from, to, 300, sr);
        for (int p : new int[] {60, 64, 67}) {
            double m = magnitude(r.audio(), from, to, 440 * Math.pow(2, (p - 69) / 12.0), sr);
            assertTrue(m > 10 * between, "note " + p + ": " + m + " vs " + between + " between the notes");
        }
        assertTrue(rms(r.audio(), (int) (1.3 * sr), r.audio().length) < 0.01 * rms(r.audio(), from, to), "silent after the release");
    }

    @Test
    void beyondTheVoiceLimitNotesAreStolen(@TempDir Path tmp) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        note(t, 0, 60, 100, 0, 960);
        note(t, 0, 64, 100, 96, 960);
        note(t, 0, 67, 100, 192, 960);
        MidiControls.Score score = MidiControls.score(write(s, tmp.resolve("three.mid")), 250, MidiControls.Options.defaults());
        MidiRenderer.Result two = MidiRenderer.render(score, List.of(instrument(1)), 2, MidiControls.Options.defaults(), false);
        assertEquals(1, two.stolen());
        assertEquals(2, two.maxSimultaneous());
        int sr = two.sampleRate();
        double c4 = magnitude(two.audio(), sr / 2, 3 * sr / 4, 261.63, sr), g4 = magnitude(two.audio(), sr / 2, 3 * sr / 4, 392.0, sr);
        assertTrue(g4 > 10 * c4, "the oldest note (C4) gave its voice to G4: " + c4 + " vs " + g4);
    }

    @Test
    void velocityVolumeExpressionAndBendShapeTheSound(@TempDir Path tmp) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        note(t, 0, 69, 127, 0, 960);                       // A4 on channel 0, full volume
        cc(t, 1, 7, 64, 0);                                // channel 1 at half volume: 40 log10(64/127) = -11.9 dB
        note(t, 1, 69, 127, 1920, 2880);
        t.add(new MidiEvent(new ShortMessage(ShortMessage.PITCH_BEND, 2, 0, 96), 3840));   // +2 semitones (range 2): 16384 * 3/4
        note(t, 2, 69, 127, 3840, 4800);
        MidiControls.Score score = MidiControls.score(write(s, tmp.resolve("ctl.mid")), 250, MidiControls.Options.defaults());
        MidiControls.Part part = score.parts().getFirst();
        assertEquals(20 * Math.log10(100 / 127.0) * 2, part.gainDb()[0][100], 1e-3, "channel 0 at the default volume 100");
        assertEquals(40 * Math.log10(64 / 127.0) + 40 * Math.log10(100 / 127.0) - 40 * Math.log10(100 / 127.0) + 0,
                part.gainDb()[1][600] - 40 * Math.log10(127 / 127.0), 1e-3);
        assertEquals(1.0, part.bendSemitones()[2][1100], 1e-3, "data 96 of 128 is +1 of the 2-semitone range");
        MidiRenderer.Result r = MidiRenderer.render(score, List.of(loudnessFollowing()), 16, MidiControls.Options.defaults(), false);
        int sr = r.sampleRate();
        double loud = rms(r.audio(), sr / 4, 3 * sr / 4), soft = rms(r.audio(), 9 * sr / 4, 11 * sr / 4);
        assertTrue(soft < 0.5 * loud, "CC 7 at 64 is softer: " + soft + " vs " + loud);
        float[] a = r.audio();
        double bent = magnitude(a, 17 * sr / 4, 19 * sr / 4, 440 * Math.pow(2, 1 / 12.0), sr);
        double straight = magnitude(a, 17 * sr / 4, 19 * sr / 4, 440, sr);
        assertTrue(bent > 10 * straight, "bent up a semitone: " + bent + " vs " + straight);
    }

    @Test
    void eachTrackPlaysItsOwnInstrument(@TempDir Path tmp) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track tempo = s.createTrack();
        tempo.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x07, (byte) 0xA1, 0x20}, 3), 0));   // 120 bpm
        note(s.createTrack(), 0, 60, 100, 0, 960);
        note(s.createTrack(), 1, 72, 100, 0, 960);
        Path f = write(s, tmp.resolve("two.mid"));
        MidiControls.Score score = MidiControls.score(f, 250, MidiControls.Options.defaults());
        assertEquals(2, score.parts().size(), "the tempo track has no notes: two parts");
        Instrument a = instrument(1), b = instrument(7);
        MidiRenderer.Result both = MidiRenderer.render(score, List.of(a, b), 16, MidiControls.Options.defaults(), true);
        MidiRenderer.Result swapped = MidiRenderer.render(score, List.of(b, a), 16, MidiControls.Options.defaults(), true);
        assertEquals(2, both.notes());
        double diff = 0;
        for (int i = 0; i < Math.min(both.audio().length, swapped.audio().length); i++) diff = Math.max(diff, Math.abs(both.audio()[i] - swapped.audio()[i]));
        assertTrue(diff > 1e-4, "another instrument per track, another sound");
        assertThrows(IllegalArgumentException.class, () -> MidiRenderer.render(score, List.of(a), 16, MidiControls.Options.defaults(), true));
        MidiControls.Score second = MidiControls.score(f, 250, MidiControls.Options.defaults().withTrack(2));
        assertEquals(1, second.parts().size());
        assertEquals(72, second.parts().getFirst().notes().getFirst().pitch());
    }
}
