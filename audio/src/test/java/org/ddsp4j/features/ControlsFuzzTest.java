package org.ddsp4j.features;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.ddsp4j.testing.Fuzzer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control inputs of synthesis on mutated files: {@link MidiControls#fromMidi} and
 * {@link AudioFeatures#readCsv} return controls or throw an {@link IOException} naming the file;
 * never another exception, a hang or an allocation beyond 64 MB.
 */
class ControlsFuzzTest {
    @TempDir
    Path dir;
    Path mid, csv;

    @BeforeEach
    void setUp() {
        mid = dir.resolve("melody.mid");
        csv = dir.resolve("controls.csv");
    }

    Fuzzer fuzzer(String name, List<byte[]> seeds, Path file) {
        return Fuzzer.of(name, seeds).expect(e -> e instanceof IOException && e.getMessage() != null
                && e.getMessage().contains(file.toString()));
    }

    // ------------------------------------------------------------------------------ MIDI

    private static void add(Track t, long tick, int command, int d1, int d2) throws InvalidMidiDataException {
        t.add(new MidiEvent(new ShortMessage(command, 0, d1, d2), tick));
    }

    private static byte[] smf(Sequence seq) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(seq, seq.getTracks().length > 1 ? 1 : 0, out);
        return out.toByteArray();
    }

    static List<byte[]> midiSeeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        // format 0: tempo, notes, RPN bend range, bend, reset controllers
        Sequence s0 = new Sequence(Sequence.PPQ, 96);
        Track t = s0.createTrack();
        t.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x07, (byte) 0xA1, 0x20}, 3), 0));
        add(t, 0, ShortMessage.CONTROL_CHANGE, 101, 0);
        add(t, 0, ShortMessage.CONTROL_CHANGE, 100, 0);
        add(t, 0, ShortMessage.CONTROL_CHANGE, 6, 12);
        add(t, 48, ShortMessage.NOTE_ON, 60, 100);
        add(t, 96, ShortMessage.PITCH_BEND, 0, 80);
        add(t, 144, ShortMessage.NOTE_ON, 60, 0);
        add(t, 144, ShortMessage.CONTROL_CHANGE, 121, 0);
        add(t, 192, ShortMessage.NOTE_ON, 64, 70);
        add(t, 288, ShortMessage.NOTE_OFF, 64, 0);
        seeds.add(smf(s0));
        // format 1: tempo map in track 0, overlapping notes in track 1
        Sequence s1 = new Sequence(Sequence.PPQ, 480);
        Track tempo = s1.createTrack(), melody = s1.createTrack();
        tempo.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x0F, 0x42, 0x40}, 3), 960));
        add(melody, 0, ShortMessage.NOTE_ON, 69, 127);
        add(melody, 240, ShortMessage.NOTE_ON, 72, 64);
        add(melody, 480, ShortMessage.NOTE_OFF, 72, 0);
        add(melody, 1200, ShortMessage.NOTE_OFF, 69, 0);
        seeds.add(smf(s1));
        // SMPTE timing: 25 frames/s, 40 ticks per frame
        Sequence s2 = new Sequence(Sequence.SMPTE_25, 40);
        Track st = s2.createTrack();
        add(st, 100, ShortMessage.NOTE_ON, 50, 90);
        add(st, 900, ShortMessage.NOTE_OFF, 50, 0);
        seeds.add(smf(s2));
        // by hand: running status, a SysEx and a text event
        seeds.add(hex("4d 54 68 64 00 00 00 06 00 00 00 01 00 60 4d 54 72 6b 00 00 00 30"
                + " 00 ff 51 03 07 a1 20 00 90 3c 64 60 3c 00 00 f0 03 7e 7f f7 00 ff 01 04 74 65 78 74"
                + " 00 b0 65 00 00 64 00 00 e0 00 50 81 40 90 3e 50 00 ff 2f 00"));
        return seeds;
    }

    static byte[] hex(String pairs) {
        String[] p = pairs.trim().split("\\s+");
        byte[] b = new byte[p.length];
        for (int i = 0; i < p.length; i++) b[i] = (byte) Integer.parseInt(p[i], 16);
        return b;
    }

    void fromMidi(byte[] b) throws IOException {
        Files.write(mid, b);
        MidiControls.fromMidi(mid, 250);
    }

    @Test
    void mutatedMidiFiles() throws Exception {
        fuzzer("midi", midiSeeds(), mid).dictionary("MThd", "MTrk", "\u00ff\u0051\u0003", "\u00ff\u002f\u0000", "\u0090", "\u00f0")
                .iterations(5000).run(this::fromMidi);
    }

    // ------------------------------------------------------------------------------ controls CSV

    static List<byte[]> csvSeeds(Path dir) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        float[] f0 = {220, 221.5f, 0, 440}, conf = {0.9f, 0.8f, 0, 1}, loud = {-30, -31.25f, -80, -12};
        Path f = dir.resolve("seed.csv");
        new AudioFeatures(f0, conf, new boolean[] {true, true, false, true}, loud, 250).writeCsv(f);
        seeds.add(Files.readAllBytes(f));
        seeds.add("loudness_db,time,f0_hz\r\n-20,0.00,100\r\n-21,0.01,101\r\n-22,0.02,102\r\n".getBytes(StandardCharsets.UTF_8));
        seeds.add("time,f0_hz,f0_confidence,voiced,loudness_db\n0,1e2,0.5,1,-6.0\n\n0.004,NaN,1,0,-7\n0.008,99,1,1,-8\n"
                .getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    void readCsv(byte[] b) throws IOException {
        Files.write(csv, b);
        AudioFeatures.readCsv(csv);
    }

    @Test
    void mutatedControlsCsv() throws IOException {
        fuzzer("controls csv", csvSeeds(dir), csv).text()
                .dictionary(",", "\n", "time", "f0_hz", "loudness_db", "voiced", "\u00ff", "\u00c3", "Infinity", "-")
                .iterations(5000).run(this::readCsv);
    }

    // ------------------------------------------------------------------------------ regression cases

    IOException refused(Fuzzer f, String label, byte[] input, Fuzzer.Target target) {
        return assertInstanceOf(IOException.class, f.check(label, input, target), label + " was read");
    }

    static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    /** Found by this fuzzer: a damaged track surfaced as the JDK's bare "EOFException: invalid MIDI file". */
    @Test
    void damagedTrackNamesTheFile() throws Exception {
        byte[] b = midiSeeds().get(3);
        b[21] = 0x26; // the track ends inside an event
        assertMentions(refused(fuzzer("midi", List.of(b), mid), "eof", b, this::fromMidi), mid.toString(), "damaged", "invalid MIDI file");
    }

    /** Found by this fuzzer: the JDK's reader allocates a track's declared length (here 2 GB) before reading it. */
    @Test
    void hugeTrackLengthIsRefusedBeforeAllocating() throws Exception {
        byte[] b = midiSeeds().get(0);
        ByteBuffer.wrap(b).putInt(18, Integer.MAX_VALUE - 15);
        assertMentions(refused(fuzzer("midi", List.of(b), mid), "track length", b, this::fromMidi),
                "chunk 'MTrk' at byte 14 declares 2147483632 bytes but only");
    }

    /**
     * A delta time of 2^28 - 1 ticks at 1 tick per quarter note and the slowest tempo lasts 4.5e9 s:
     * its frame count overflowed (NegativeArraySizeException); shorter ones allocated gigabytes.
     */
    @Test
    void hugeDurationIsRefused() throws Exception {
        byte[] b = hex("4d 54 68 64 00 00 00 06 00 00 00 01 00 01 4d 54 72 6b 00 00 00 16"
                + " 00 ff 51 03 ff ff ff 00 90 3c 64 ff ff ff 7f 80 3c 00 00 ff 2f 00");
        assertMentions(refused(fuzzer("midi", List.of(b), mid), "long", b, this::fromMidi),
                "the melody lasts 4503599342.3 s", "over the 7200 s");
        b[12] = (byte) 0xE7; // SMPTE 25 frames/s with 0 ticks per frame: seconds per tick infinite
        b[13] = 0;
        assertMentions(refused(fuzzer("midi", List.of(b), mid), "division 0", b, this::fromMidi),
                "time division gives 0 ticks per SMPTE frame");
    }

    /** Found by this fuzzer: a byte that is not UTF-8 escaped as UncheckedIOException(MalformedInputException). */
    @Test
    void csvThatIsNotUtf8() throws Exception {
        byte[] b = csvSeeds(dir).get(0);
        b[60] = (byte) 0xC2;
        b[61] = ',';
        assertMentions(refused(fuzzer("csv", List.of(b), csv), "utf8", b, this::readCsv), "byte 60 (0xc2) is not UTF-8 text");
    }

    /** Found by this fuzzer: a time of -1e400 (-Infinity) gave a frame rate of 0 and an IllegalArgumentException. */
    @Test
    void csvWithInfiniteTime() throws Exception {
        byte[] b = "time,f0_hz,loudness_db\n-1e400,220,-30\n0.004,220,-30\n0.008,220,-30\n".getBytes(StandardCharsets.UTF_8);
        assertMentions(refused(fuzzer("csv", List.of(b), csv), "-inf", b, this::readCsv), "line 2 (time -Infinity");
    }
}
