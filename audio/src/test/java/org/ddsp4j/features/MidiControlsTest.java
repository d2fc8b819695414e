package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiControlsTest {
    private static final int PPQ = 480;

    @TempDir
    Path dir;

    private static double hz(double midi) {
        return 440 * Math.pow(2, (midi - 69) / 12);
    }

    private static void add(Track t, long tick, int command, int d1, int d2) throws InvalidMidiDataException {
        t.add(new MidiEvent(new ShortMessage(command, 0, d1, d2), tick));
    }

    private static void tempo(Track t, long tick, int usPerQuarter) throws InvalidMidiDataException {
        byte[] d = {(byte) (usPerQuarter >> 16), (byte) (usPerQuarter >> 8), (byte) usPerQuarter};
        t.add(new MidiEvent(new MetaMessage(0x51, d, 3), tick));
    }

    private Path write(Sequence seq, String name) throws IOException {
        Path f = dir.resolve(name);
        MidiSystem.write(seq, seq.getTracks().length > 1 ? 1 : 0, f.toFile());
        return f;
    }

    @Test
    void notesAtKnownTimesGiveF0ConfidenceAndEnvelope() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track t = seq.createTrack();
        tempo(t, 0, 500_000); // 120 bpm: one tick = 1/960 s
        add(t, 480, ShortMessage.NOTE_ON, 69, 127);   // 0.5 s
        add(t, 960, ShortMessage.NOTE_OFF, 69, 0);    // 1.0 s
        add(t, 960, ShortMessage.NOTE_ON, 72, 64);    // legato, softer
        add(t, 1440, ShortMessage.NOTE_ON, 72, 0);    // 1.5 s, note-off as velocity 0
        AudioFeatures a = MidiControls.fromMidi(write(seq, "two.mid"), 100);
        MidiControls.Options o = MidiControls.Options.defaults();

        assertEquals(100, a.frameRate());
        assertEquals(166, a.nFrames(), "1.5 s + 150 ms release at 100 frames/s, plus frame 0");
        for (int i = 0; i < a.nFrames(); i++) {
            double want = i < 100 ? hz(69) : hz(72);
            assertEquals(want, a.f0Hz()[i], 1e-3, "f0 at frame " + i);
            boolean on = i >= 50 && i < 150;
            assertEquals(on, a.voiced()[i], "voiced at frame " + i);
            assertEquals(on ? 1f : 0f, a.f0Confidence()[i], "confidence at frame " + i);
        }
        float[] l = a.loudnessDb();
        float loud = (float) o.noteDb(127), soft = (float) o.noteDb(64);
        assertEquals(6, loud, 1e-6);
        assertEquals(6 + 40 * Math.log10(64 / 127.0), soft, 1e-5);
        for (int i = 0; i <= 50; i++) assertEquals(-80, l[i], 1e-4, "silent before the first note, frame " + i);
        // Attack: 30 ms straight line from -80 to +6 dB (frames 50..53), then held.
        for (int i = 50; i <= 53; i++) assertEquals(-80 + 86 * (i - 50) / 3.0, l[i], 1e-3, "attack frame " + i);
        for (int i = 53; i <= 100; i++) assertEquals(loud, l[i], 1e-4, "sustain frame " + i);
        for (int i = 100; i <= 103; i++) assertEquals(loud + (soft - loud) * (i - 100) / 3.0, l[i], 1e-3, "legato frame " + i);
        for (int i = 103; i <= 150; i++) assertEquals(soft, l[i], 1e-4, "second sustain frame " + i);
        // Release: 150 ms straight line to the floor.
        for (int i = 150; i <= 165; i++) assertEquals(soft + (-80 - soft) * (i - 150) / 15.0, l[i], 1e-3, "release frame " + i);
    }

    @Test
    void tempoChangesInAnotherTrackApply() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track conductor = seq.createTrack();
        tempo(conductor, 0, 500_000);     // 120 bpm for 960 ticks = 1.0 s
        tempo(conductor, 960, 1_000_000); // then 60 bpm: 480 ticks per second
        Track melody = seq.createTrack();
        add(melody, 480, ShortMessage.NOTE_ON, 60, 100);    // 0.5 s
        add(melody, 1200, ShortMessage.NOTE_OFF, 60, 0);    // 1.0 + 240/480 = 1.5 s
        add(melody, 1200, ShortMessage.NOTE_ON, 67, 100);   // 1.5 s
        add(melody, 1680, ShortMessage.NOTE_OFF, 67, 0);    // 2.5 s
        AudioFeatures a = MidiControls.fromMidi(write(seq, "tempo.mid"), 250,
                MidiControls.Options.defaults().withDurationSeconds(3));
        assertEquals(751, a.nFrames());
        for (int i = 0; i < a.nFrames(); i++) {
            double t = i / 250.0;
            assertEquals(t >= 0.5 && t < 2.5, a.voiced()[i], "voiced at " + t + " s");
            assertEquals(t < 1.5 ? hz(60) : hz(67), a.f0Hz()[i], 1e-3, "f0 at " + t + " s");
        }
    }

    @Test
    void pitchBendFollowsTheDefaultAndRpnRanges() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track t = seq.createTrack(); // 120 bpm default: 960 ticks per second
        add(t, 0, ShortMessage.NOTE_ON, 69, 100);
        add(t, 96, ShortMessage.PITCH_BEND, 0, 96);        // 0.1 s: 96 << 7 = 12288 = +0.5 of range -> +1 semitone
        add(t, 192, ShortMessage.PITCH_BEND, 0, 0);        // 0.2 s: 0 -> -2 semitones
        add(t, 288, ShortMessage.CONTROL_CHANGE, 101, 0);  // 0.3 s: RPN 0 = 12 semitones
        add(t, 288, ShortMessage.CONTROL_CHANGE, 100, 0);
        add(t, 288, ShortMessage.CONTROL_CHANGE, 6, 12);
        add(t, 288, ShortMessage.CONTROL_CHANGE, 38, 0);
        add(t, 288, ShortMessage.CONTROL_CHANGE, 101, 127);
        add(t, 288, ShortMessage.CONTROL_CHANGE, 100, 127);
        add(t, 288, ShortMessage.PITCH_BEND, 0, 32);       // 4096 = -0.5 of range -> -6 semitones
        add(t, 384, ShortMessage.CONTROL_CHANGE, 121, 0);  // 0.4 s: reset controllers centres the bend
        add(t, 480, ShortMessage.NOTE_OFF, 69, 0);
        AudioFeatures a = MidiControls.fromMidi(write(seq, "bend.mid"), 100);
        double[] want = {hz(69), hz(70), hz(67), hz(63), hz(69)};
        for (int i = 0; i < 50; i++) assertEquals(want[i / 10], a.f0Hz()[i], 1e-3, "f0 at frame " + i);
        assertEquals(hz(69), a.f0Hz()[a.nFrames() - 1], 1e-3, "f0 held after the note");
    }

    @Test
    void newestOverlappingNoteWinsAndOlderHeldNoteReturns() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track t = seq.createTrack();
        add(t, 96, ShortMessage.NOTE_ON, 60, 100);   // 0.1 s
        add(t, 192, ShortMessage.NOTE_ON, 64, 100);  // 0.2 s, overlaps
        add(t, 288, ShortMessage.NOTE_OFF, 64, 0);   // 0.3 s: back to 60, still held
        add(t, 384, ShortMessage.NOTE_OFF, 60, 0);   // 0.4 s
        AudioFeatures a = MidiControls.fromMidi(write(seq, "overlap.mid"), 100);
        for (int i = 0; i < a.nFrames(); i++) {
            double want = i < 20 ? hz(60) : i < 30 ? hz(64) : hz(60);
            assertEquals(want, a.f0Hz()[i], 1e-3, "f0 at frame " + i);
            assertEquals(i >= 10 && i < 40, a.voiced()[i], "voiced at frame " + i);
            assertTrue(a.f0Hz()[i] > 0);
        }
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        Path missing = dir.resolve("nope.mid");
        NoSuchFileException e1 = assertThrows(NoSuchFileException.class, () -> MidiControls.fromMidi(missing, 250));
        assertTrue(e1.getMessage().contains("nope.mid"), e1.getMessage());

        Path text = dir.resolve("text.mid");
        Files.writeString(text, "this is not a MIDI file at all", StandardCharsets.UTF_8);
        IOException e2 = assertThrows(IOException.class, () -> MidiControls.fromMidi(text, 250));
        assertTrue(e2.getMessage().contains("not a Standard MIDI File") && e2.getMessage().contains("text.mid"), e2.getMessage());

        Sequence seq = new Sequence(Sequence.PPQ, PPQ);
        Track t = seq.createTrack();
        tempo(t, 0, 500_000);
        add(t, 10, ShortMessage.CONTROL_CHANGE, 7, 100);
        Path empty = write(seq, "empty.mid");
        IOException e3 = assertThrows(IOException.class, () -> MidiControls.fromMidi(empty, 250));
        assertTrue(e3.getMessage().contains("no notes"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> MidiControls.fromMidi(empty, 250, MidiControls.Options.defaults().withTrack(3)));
        assertTrue(e4.getMessage().contains("track 3"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MidiControls.Options.defaults().withEnvelope(0, 100));
        assertThrows(IllegalArgumentException.class, () -> MidiControls.Options.defaults().withVelocity127Db(-90));
    }

    /** The renders of ../shared/data: MIDI f0 must match the exact f0.csv truth on its voiced frames. */
    @Test
    void matchesTheSharedGroundTruth() throws IOException {
        String env = System.getenv("DDSP4J_DATA");
        Path data = Path.of(env != null && !env.isBlank() ? env : "/tmp/ddsp-data");
        List<Path> mids = new ArrayList<>();
        if (Files.isDirectory(data)) {
            try (Stream<Path> s = Files.walk(data, 3)) {
                s.filter(p -> p.toString().endsWith(".mid")).filter(p -> Files.isRegularFile(f0Csv(p))).sorted().forEach(mids::add);
            }
        }
        String shared = System.getProperty("ddsp4j.shared", "../shared");
        assumeTrue(!mids.isEmpty(), "no rendered MIDI + f0.csv in " + data + "; render with: bash "
                + Path.of(shared, "data/render.sh") + " " + data + " sample");
        for (Path mid : mids) {
            AudioFeatures truth = AudioFeatures.readCsv(renamedTruth(mid));
            AudioFeatures a = MidiControls.fromMidi(mid, truth.frameRate());
            int n = Math.min(a.nFrames(), truth.nFrames());
            // The WAV (and so the truth) runs on past the MIDI for the synth's tail; that part must be unvoiced.
            for (int i = n; i < truth.nFrames(); i++) assertEquals(0, truth.f0Hz()[i], mid + ": truth voiced at frame " + i + " past the MIDI");
            int voiced = 0;
            for (int i = 0; i < n; i++) {
                boolean v = truth.f0Hz()[i] > 0;
                assertEquals(v, a.voiced()[i], mid + ": voicing at frame " + i);
                assertTrue(a.f0Hz()[i] > 0, mid + ": f0 at frame " + i);
                if (!v) continue;
                voiced++;
                double cents = 1200 * Math.log(a.f0Hz()[i] / truth.f0Hz()[i]) / Math.log(2);
                assertEquals(0, cents, 0.05, mid + ": cents off at frame " + i);
            }
            assertTrue(voiced > n / 2, mid + ": only " + voiced + " voiced frames of " + n);
        }
    }

    private static Path f0Csv(Path mid) {
        String name = mid.getFileName().toString();
        return mid.resolveSibling(name.substring(0, name.length() - 4) + ".f0.csv");
    }

    /** The truth has columns time,frequency,voiced; AudioFeatures.readCsv wants f0_hz and loudness_db. */
    private Path renamedTruth(Path mid) throws IOException {
        List<String> lines = Files.readAllLines(f0Csv(mid), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("time,f0_hz,voiced,loudness_db\n");
        for (String line : lines.subList(1, lines.size())) if (!line.isBlank()) sb.append(line).append(",0\n");
        Path out = dir.resolve(mid.getParent().getFileName() + "_" + f0Csv(mid).getFileName());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        return out;
    }

    @Test
    void velocityMapsMonotonicallyAndFloors() {
        MidiControls.Options o = MidiControls.Options.defaults();
        double prev = Double.NEGATIVE_INFINITY;
        for (int v = 1; v <= 127; v++) {
            double db = o.noteDb(v);
            assertTrue(db >= prev && db >= -80 && db <= 6, "velocity " + v + " -> " + db);
            prev = db;
        }
        assertEquals(-80, o.withVelocityCurveDb(100).noteDb(1), 0);
        assertFalse(o.noteDb(100) == o.noteDb(64));
    }
}
