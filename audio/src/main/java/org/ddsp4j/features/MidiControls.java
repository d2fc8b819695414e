package org.ddsp4j.features;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.ddsp4j.dsp.Conversions;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Turns a monophonic melody in a Standard MIDI File into frame-rate DDSP controls (f0 and
 * loudness), for synthesizing MIDI with a trained model.
 *
 * <p>Track and channel: the first track that has notes (or {@link Options#track}); within it, the
 * channel of its first note (other channels are ignored). Overlapping notes: the newest held note
 * sounds ("last note priority"); when it is released while older notes are still held, the newest
 * of those sounds again. Note-ons with velocity 0 are note-offs; at equal ticks note-offs apply
 * before note-ons, so a repeated pitch re-triggers.
 *
 * <p>Time: ticks are converted to seconds with the tempo map (tempo meta events from all tracks,
 * 120 bpm until the first), or with the SMPTE frame rate for SMPTE-timed files. Frame {@code i} is
 * the state at {@code t = i / frameRate} s with every event at or before {@code t} applied, so a
 * note is on for {@code onTime <= t < offTime} (the convention of the shared {@code f0.csv} truth).
 * There are {@code floor(duration * frameRate) + 1} frames, the duration being the end of the track
 * or the last note-off plus the release, whichever is later (or {@link Options#durationSeconds}).
 *
 * <p>f0: {@code 440 * 2^((note - 69 + bend) / 12)} Hz, {@code bend = (value - 8192) / 8192 * range}
 * semitones; the range is 2 semitones unless the file sets it with RPN 0 (CC 101/100 = 0, CC 6
 * semitones, CC 38 cents). CC 121 (reset controllers) centres the bend. Between notes f0 holds the
 * last sounding value, before the first note it takes the first note's, so it is never 0.
 * Confidence is 1 and voiced true while a note is held, 0 and false elsewhere.
 *
 * <p>Loudness (dB, the A-weighted 0 dB-reference scale of {@link org.ddsp4j.spectral.Loudness}): a
 * note's level is {@code velocity127Db + velocityCurveDb * log10(velocity / 127)} (with the default
 * 40 dB, the DLS/General MIDI velocity curve), floored at {@code floorDb}. The envelope moves in a
 * straight line (in dB) from its current value to a new note's level over {@code attackMs} and to
 * {@code floorDb} over {@code releaseMs} after the last note-off; it holds the level while a note
 * is held.
 */
public final class MidiControls {
    private MidiControls() {}

    /**
     * Conversion settings.
     *
     * @param track            track index, or -1 for the first track with notes
     * @param velocity127Db    loudness of a velocity-127 note, dB (default +6: the level implied
     *                         by the shared FluidR3 renders, whose held notes sit at
     *                         {@code +3..+16 dB - 40 log10(127 / velocity)}, median +7)
     * @param velocityCurveDb  dB per decade of velocity (default 40: velocity 64 is 11.9 dB softer)
     * @param attackMs         time to reach a note's level, ms (default 30)
     * @param releaseMs        time to fall to the floor after the last note-off, ms (default 150)
     * @param floorDb          silence level, dB (default -80, {@code Loudness}' floor)
     * @param durationSeconds  length of the output, s, or NaN to derive it from the file
     */
    public record Options(int track, double velocity127Db, double velocityCurveDb, double attackMs, double releaseMs,
                          double floorDb, double durationSeconds) {
        public Options {
            if (track < -1) throw new IllegalArgumentException("track must be >= 0, or -1 for the first track with notes; got " + track);
            if (!Double.isFinite(velocity127Db) || !Double.isFinite(floorDb) || !(velocity127Db > floorDb)) {
                throw new IllegalArgumentException("velocity-127 level " + velocity127Db + " dB must be finite and above the floor " + floorDb + " dB");
            }
            if (!(velocityCurveDb >= 0) || Double.isInfinite(velocityCurveDb)) {
                throw new IllegalArgumentException("velocity curve must be >= 0 dB per decade, got " + velocityCurveDb);
            }
            if (!(attackMs > 0) || !(releaseMs > 0) || Double.isInfinite(attackMs) || Double.isInfinite(releaseMs)) {
                throw new IllegalArgumentException("attack and release must be positive ms, got " + attackMs + " and " + releaseMs);
            }
            if (!Double.isNaN(durationSeconds) && !(durationSeconds >= 0 && durationSeconds < 1e6)) {
                throw new IllegalArgumentException("duration must be NaN (from the file) or in [0, 1e6) s, got " + durationSeconds);
            }
        }

        public static Options defaults() {
            return new Options(-1, 6, 40, 30, 150, -80, Double.NaN);
        }

        public Options withTrack(int track) {
            return new Options(track, velocity127Db, velocityCurveDb, attackMs, releaseMs, floorDb, durationSeconds);
        }

        public Options withVelocity127Db(double db) {
            return new Options(track, db, velocityCurveDb, attackMs, releaseMs, floorDb, durationSeconds);
        }

        public Options withVelocityCurveDb(double dbPerDecade) {
            return new Options(track, velocity127Db, dbPerDecade, attackMs, releaseMs, floorDb, durationSeconds);
        }

        public Options withEnvelope(double attackMs, double releaseMs) {
            return new Options(track, velocity127Db, velocityCurveDb, attackMs, releaseMs, floorDb, durationSeconds);
        }

        public Options withFloorDb(double db) {
            return new Options(track, velocity127Db, velocityCurveDb, attackMs, releaseMs, db, durationSeconds);
        }

        public Options withDurationSeconds(double seconds) {
            return new Options(track, velocity127Db, velocityCurveDb, attackMs, releaseMs, floorDb, seconds);
        }

        /** The held level of a note of {@code velocity} (1..127), dB. */
        public double noteDb(int velocity) {
            return Math.max(floorDb, velocity127Db + velocityCurveDb * Math.log10(velocity / 127.0));
        }
    }

    /** Controls for {@code midiFile} at {@code frameRate} frames/s with {@link Options#defaults()}. */
    public static AudioFeatures fromMidi(Path midiFile, int frameRate) throws IOException {
        return fromMidi(midiFile, frameRate, Options.defaults());
    }

    /**
     * Controls for one monophonic part of {@code midiFile} at {@code frameRate} frames/s.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException         when it is not a Standard MIDI File or the chosen track has no notes
     */
    public static AudioFeatures fromMidi(Path midiFile, int frameRate, Options options) throws IOException {
        if (frameRate <= 0) throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
        if (!Files.isRegularFile(midiFile)) throw new NoSuchFileException(midiFile.toString(), null, "no such MIDI file");
        long size = Files.size(midiFile);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(midiFile + ": " + size + " bytes is too large for a MIDI file (limit " + MAX_FILE_BYTES
                    + "); is it really one?");
        }
        return fromSequence(readSequence(midiFile), frameRate, options, midiFile.toString());
    }

    /** Reads a Standard MIDI File, its chunk structure checked first. */
    static Sequence readSequence(Path midiFile) throws IOException {
        byte[] bytes = Files.readAllBytes(midiFile);
        checkChunks(bytes, midiFile);
        try {
            return MidiSystem.getSequence(new ByteArrayInputStream(bytes));
        } catch (InvalidMidiDataException | IOException | RuntimeException e) {
            throw new IOException(midiFile + ": not a Standard MIDI File, or a damaged one (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------------------------------ polyphony

    /**
     * One note of a polyphonic part, in frames at the chosen frame rate: sounding for
     * {@code start <= frame < end} (its note-off), then releasing.
     */
    public record Note(int start, int end, int pitch, int velocity, int channel) {}

    /**
     * One track with notes: its notes in order of start, and per channel (16) and frame its pitch bend
     * (semitones) and its volume + expression gain (dB: CC 7 and CC 11 as {@code 40 log10(value / 127)} each,
     * the General MIDI curves).
     */
    public record Part(int track, String name, List<Note> notes, float[][] bendSemitones, float[][] gainDb) {}

    /** Every part of a file at {@code frames} frames of {@code frameRate}; what a polyphonic renderer plays. */
    public record Score(List<Part> parts, int frames, int frameRate) {}

    /**
     * The notes and controllers of every track with notes (or only {@link Options#track}), for
     * polyphonic rendering: any number of simultaneous notes, velocity, pitch bend (with its RPN range),
     * CC 7 volume and CC 11 expression per channel, CC 121 resets. Times as in {@link #fromMidi}; the
     * length runs to the last note-off plus the release.
     */
    public static Score score(Path midiFile, int frameRate, Options options) throws IOException {
        if (frameRate <= 0) throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
        if (!Files.isRegularFile(midiFile)) throw new NoSuchFileException(midiFile.toString(), null, "no such MIDI file");
        if (Files.size(midiFile) > MAX_FILE_BYTES) {
            throw new IOException(midiFile + ": " + Files.size(midiFile) + " bytes is too large for a MIDI file (limit " + MAX_FILE_BYTES + ")");
        }
        Sequence seq = readSequence(midiFile);
        String name = midiFile.toString();
        if (seq.getResolution() <= 0) throw new IOException(name + ": the header's time division is " + seq.getResolution() + "; the file is damaged");
        Track[] tracks = seq.getTracks();
        if (options.track() >= tracks.length) {
            throw new IllegalArgumentException(name + ": track " + options.track() + " asked for, the file has " + tracks.length);
        }
        TickClock clock = new TickClock(seq, tracks);
        double end = 0;
        List<List<Event>> perTrack = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int t = 0; t < tracks.length; t++) {
            if ((options.track() >= 0 && t != options.track()) || firstNoteChannel(tracks[t]) < 0) continue;
            List<Event> ev = new ArrayList<>();
            for (int c = 0; c < 16; c++) ev.addAll(channelEvents(tracks[t], c, clock, true));
            ev.sort(Comparator.comparingDouble(Event::time).thenComparingInt(Event::order));
            for (Event e : ev) if (e.command == ShortMessage.NOTE_OFF) end = Math.max(end, e.time);
            perTrack.add(ev);
            index.add(t);
        }
        if (perTrack.isEmpty()) {
            throw new IOException(name + (options.track() >= 0 ? ": track " + options.track() + " has no notes" : ": no notes in any of its "
                    + tracks.length + " tracks"));
        }
        double duration = Double.isNaN(options.durationSeconds()) ? end + options.releaseMs() / 1000 : options.durationSeconds();
        if (!(duration <= MAX_FILE_SECONDS)) {
            throw new IOException(String.format(java.util.Locale.ROOT, "%s: the music lasts %.1f s, over the %.0f s taken from a "
                    + "file; the file is damaged (a huge delta time or tempo)", name, duration, MAX_FILE_SECONDS));
        }
        int frames = (int) Math.floor(duration * frameRate + 1e-9) + 1;
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < perTrack.size(); i++) parts.add(part(index.get(i), trackName(tracks[index.get(i)]), perTrack.get(i), frames, frameRate));
        return new Score(List.copyOf(parts), frames, frameRate);
    }

    private static String trackName(Track t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).getMessage() instanceof MetaMessage m && m.getType() == 0x03) {
                return new String(m.getData(), StandardCharsets.ISO_8859_1).trim();
            }
        }
        return "";
    }

    private static Part part(int track, String name, List<Event> events, int frames, int frameRate) {
        float[][] bend = new float[16][frames], gain = new float[16][frames];
        int[] bendValue = new int[16], volume = new int[16], expression = new int[16], rpnMsb = new int[16], rpnLsb = new int[16];
        double[] range = new double[16];
        java.util.Arrays.fill(bendValue, 8192);
        java.util.Arrays.fill(volume, 100);     // the General MIDI default
        java.util.Arrays.fill(expression, 127);
        java.util.Arrays.fill(rpnMsb, 127);
        java.util.Arrays.fill(rpnLsb, 127);
        java.util.Arrays.fill(range, 2);
        List<Note> notes = new ArrayList<>();
        java.util.Map<Long, int[]> open = new java.util.HashMap<>();   // (channel, pitch) -> {start frame, velocity}
        int ei = 0;
        for (int i = 0; i < frames; i++) {
            double t = i / (double) frameRate;
            for (; ei < events.size() && events.get(ei).time <= t + 1e-9; ei++) {
                Event e = events.get(ei);
                int c = e.channel;
                switch (e.command) {
                    case ShortMessage.NOTE_ON -> {
                        int[] prev = open.put(key(c, e.data1), new int[] {i, e.data2});
                        if (prev != null) notes.add(new Note(prev[0], i, e.data1, prev[1], c));   // re-struck: the old one ends
                    }
                    case ShortMessage.NOTE_OFF -> {
                        int[] on = open.remove(key(c, e.data1));
                        if (on != null) notes.add(new Note(on[0], Math.max(i, on[0] + 1), e.data1, on[1], c));
                    }
                    case ShortMessage.PITCH_BEND -> bendValue[c] = e.data2 << 7 | e.data1;
                    default -> {
                        switch (e.data1) {
                            case 7 -> volume[c] = e.data2;
                            case 11 -> expression[c] = e.data2;
                            case 101 -> rpnMsb[c] = e.data2;
                            case 100 -> rpnLsb[c] = e.data2;
                            case 6 -> { if (rpnMsb[c] == 0 && rpnLsb[c] == 0) range[c] = e.data2 + (range[c] - Math.floor(range[c])); }
                            case 38 -> { if (rpnMsb[c] == 0 && rpnLsb[c] == 0) range[c] = Math.floor(range[c]) + e.data2 / 100.0; }
                            case 121 -> {
                                bendValue[c] = 8192;
                                expression[c] = 127;
                            }
                            default -> { }
                        }
                    }
                }
            }
            for (int c = 0; c < 16; c++) {
                bend[c][i] = (float) ((bendValue[c] - 8192) / 8192.0 * range[c]);
                gain[c][i] = (float) (gainDb(volume[c]) + gainDb(expression[c]));
            }
        }
        for (var e : open.entrySet()) notes.add(new Note(e.getValue()[0], frames, (int) (e.getKey() & 0xFF), e.getValue()[1], (int) (e.getKey() >> 8)));
        notes.sort(Comparator.comparingInt(Note::start).thenComparingInt(Note::pitch));
        return new Part(track, name, List.copyOf(notes), bend, gain);
    }

    private static long key(int channel, int pitch) {
        return (long) channel << 8 | pitch;
    }

    /** The General MIDI volume/expression curve, {@code 40 log10(v / 127)} dB, floored at -80 (v = 0). */
    static double gainDb(int v) {
        return v <= 0 ? -80 : 40 * Math.log10(v / 127.0);
    }

    /** The envelope of one note at {@code frame} (dB, before the channel gain): attack to its level, hold, release to the floor. */
    public static double noteLevelDb(Note n, int frame, int frameRate, Options o) {
        double t = (frame - n.start()) / (double) frameRate, held = (n.end() - n.start()) / (double) frameRate;
        double target = o.noteDb(n.velocity());
        double atRelease = level(Math.min(t, held), 0, o.floorDb(), target, o.attackMs() / 1000);
        if (t < held) return atRelease;
        return level(t, held, atRelease, o.floorDb(), o.releaseMs() / 1000);
    }

    /** MIDI files are small; a larger file is not one (and is not read into memory). */
    static final long MAX_FILE_BYTES = 64L << 20;

    /**
     * Checks the chunk structure ("MThd", then chunks of an id and a 32-bit length, up to the header's
     * number of tracks; what follows is ignored, as the JDK's reader does) before that reader sees
     * the bytes: it allocates a chunk's declared length before reading it, up to 2 GB from a damaged
     * length field.
     */
    static void checkChunks(byte[] b, Path file) throws IOException {
        if (b.length < 14 || b[0] != 'M' || b[1] != 'T' || b[2] != 'h' || b[3] != 'd') {
            throw new IOException(file + ": not a Standard MIDI File (it does not start with an 'MThd' header of 14 bytes)");
        }
        int tracks = (b[10] & 0xFF) << 8 | (b[11] & 0xFF);
        for (long p = 0; tracks >= 0; tracks--) {
            if (b.length - p < 8) {
                throw new IOException(file + ": truncated MIDI file: " + (b.length - p) + " bytes at byte " + p
                        + " are too few for a chunk header; the file was cut short");
            }
            int q = (int) p;
            long len = (b[q + 4] & 0xFFL) << 24 | (b[q + 5] & 0xFF) << 16 | (b[q + 6] & 0xFF) << 8 | (b[q + 7] & 0xFF);
            if (len > b.length - p - 8) {
                String id = new String(b, q, 4, StandardCharsets.ISO_8859_1);
                throw new IOException(file + ": truncated or damaged MIDI file: chunk '" + id + "' at byte " + p + " declares "
                        + len + " bytes but only " + (b.length - p - 8) + " follow");
            }
            if (p > 0 && (b[q] != 'M' || b[q + 1] != 'T' || b[q + 2] != 'r' || b[q + 3] != 'k')) {
                tracks++; // another kind of chunk: skipped, not a track
            }
            p += 8 + len;
        }
    }

    /** Controls for a sequence already in memory; {@code name} is used in error messages. */
    public static AudioFeatures fromSequence(Sequence seq, int frameRate, Options options, String name) throws IOException {
        if (frameRate <= 0) throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
        if (seq.getResolution() <= 0) {
            throw new IOException(name + ": the header's time division gives " + seq.getResolution() + " ticks per "
                    + (seq.getDivisionType() == Sequence.PPQ ? "quarter note" : "SMPTE frame") + "; the file is damaged");
        }
        Track[] tracks = seq.getTracks();
        int ti = options.track();
        if (ti >= tracks.length) throw new IllegalArgumentException(name + ": track " + ti + " asked for, the file has " + tracks.length);
        if (ti < 0) {
            for (int i = 0; i < tracks.length && ti < 0; i++) if (firstNoteChannel(tracks[i]) >= 0) ti = i;
            if (ti < 0) throw new IOException(name + ": no notes in any of its " + tracks.length + " tracks");
        }
        int channel = firstNoteChannel(tracks[ti]);
        if (channel < 0) throw new IOException(name + ": track " + ti + " has no notes; pick another track or -1 for the first with notes");
        TickClock clock = new TickClock(seq, tracks);
        List<Event> events = channelEvents(tracks[ti], channel, clock);
        return render(events, clock.seconds(tracks[ti].ticks()), frameRate, options, name);
    }

    /** Longest output derived from a file: a longer one comes from a damaged file (a huge delta time or tempo). */
    static final double MAX_FILE_SECONDS = 2 * 3600;

    /** One channel message at a time in seconds; {@code order} puts note-offs first at equal times. */
    private record Event(double time, int order, int command, int data1, int data2, int channel) {}

    private static int firstNoteChannel(Track t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).getMessage() instanceof ShortMessage m && m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0) return m.getChannel();
        }
        return -1;
    }

    private static List<Event> channelEvents(Track t, int channel, TickClock clock) {
        return channelEvents(t, channel, clock, false);
    }

    private static List<Event> channelEvents(Track t, int channel, TickClock clock, boolean unsorted) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            MidiEvent e = t.get(i);
            if (!(e.getMessage() instanceof ShortMessage m) || m.getChannel() != channel) continue;
            int cmd = m.getCommand();
            boolean off = cmd == ShortMessage.NOTE_OFF || cmd == ShortMessage.NOTE_ON && m.getData2() == 0;
            if (off) cmd = ShortMessage.NOTE_OFF;
            if (cmd != ShortMessage.NOTE_ON && cmd != ShortMessage.NOTE_OFF && cmd != ShortMessage.PITCH_BEND && cmd != ShortMessage.CONTROL_CHANGE) continue;
            out.add(new Event(clock.seconds(e.getTick()), off ? 0 : 1, cmd, m.getData1(), m.getData2(), channel));
        }
        // Stable: file order is kept within a time and class.
        if (!unsorted) out.sort(Comparator.comparingDouble(Event::time).thenComparingInt(Event::order));
        return out;
    }

    private static AudioFeatures render(List<Event> events, double trackEnd, int frameRate, Options o, String name)
            throws IOException {
        double lastOff = 0;
        for (Event e : events) if (e.command == ShortMessage.NOTE_OFF) lastOff = Math.max(lastOff, e.time);
        double duration = Double.isNaN(o.durationSeconds())
                ? Math.max(trackEnd, lastOff + o.releaseMs() / 1000) : o.durationSeconds();
        if (Double.isNaN(o.durationSeconds()) && !(duration <= MAX_FILE_SECONDS)) {
            throw new IOException(String.format(java.util.Locale.ROOT, "%s: the melody lasts %.1f s (its track ends at %.1f s), "
                    + "over the %.0f s this conversion takes from a file; the file is damaged (a huge delta time or tempo), "
                    + "or set a duration to cut it", name, duration, trackEnd, MAX_FILE_SECONDS));
        }
        double frames = Math.floor(duration * frameRate + 1e-9) + 1;
        if (frames > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + duration + " s at " + frameRate + " frames/s is " + frames
                    + " frames, more than an array holds; use a shorter duration or a lower frame rate");
        }
        int n = (int) frames;
        float[] f0 = new float[n], conf = new float[n], loud = new float[n];
        boolean[] voiced = new boolean[n];

        List<int[]> held = new ArrayList<>(); // {pitch, velocity}, newest last
        int bend = 8192, rpnMsb = 127, rpnLsb = 127;
        double bendRange = 2;
        // Envelope: a straight line (dB) from segLevel at segStart to segTarget over segDur seconds.
        double segStart = 0, segLevel = o.floorDb(), segTarget = o.floorDb(), segDur = 1;
        int[] sounding = null;
        float lastF0 = Float.NaN;
        int ei = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) frameRate;
            for (; ei < events.size() && events.get(ei).time <= t + 1e-9; ei++) {
                Event e = events.get(ei);
                switch (e.command) {
                    case ShortMessage.NOTE_ON -> held.add(new int[] {e.data1, e.data2});
                    case ShortMessage.NOTE_OFF -> {
                        for (int k = 0; k < held.size(); k++) {
                            if (held.get(k)[0] == e.data1) {
                                held.remove(k);
                                break;
                            }
                        }
                    }
                    case ShortMessage.PITCH_BEND -> bend = e.data2 << 7 | e.data1;
                    default -> { // control change
                        switch (e.data1) {
                            case 101 -> rpnMsb = e.data2;
                            case 100 -> rpnLsb = e.data2;
                            case 6 -> { if (rpnMsb == 0 && rpnLsb == 0) bendRange = e.data2 + (bendRange - Math.floor(bendRange)); }
                            case 38 -> { if (rpnMsb == 0 && rpnLsb == 0) bendRange = Math.floor(bendRange) + e.data2 / 100.0; }
                            case 121 -> bend = 8192;
                            default -> { }
                        }
                    }
                }
                int[] now = held.isEmpty() ? null : held.get(held.size() - 1);
                if (now != sounding) {
                    segLevel = level(e.time, segStart, segLevel, segTarget, segDur);
                    segStart = e.time;
                    segTarget = now == null ? o.floorDb() : o.noteDb(now[1]);
                    segDur = (now == null ? o.releaseMs() : o.attackMs()) / 1000;
                    sounding = now;
                }
            }
            loud[i] = (float) level(t, segStart, segLevel, segTarget, segDur);
            if (sounding != null) {
                lastF0 = (float) Conversions.midiToHz(sounding[0] + (bend - 8192) / 8192.0 * bendRange);
                conf[i] = 1;
                voiced[i] = true;
            }
            f0[i] = lastF0;
        }
        // Frames before the first note take its f0, so f0 is defined (and positive) everywhere.
        int first = 0;
        while (first < n && Float.isNaN(f0[first])) first++;
        if (first == n) {
            float firstNote = firstNoteHz(events);
            java.util.Arrays.fill(f0, firstNote);
        } else {
            for (int i = 0; i < first; i++) f0[i] = f0[first];
        }
        return new AudioFeatures(f0, conf, voiced, loud, frameRate);
    }

    /** f0 of the first note (for output so short that no frame lands on a note). */
    private static float firstNoteHz(List<Event> events) {
        for (Event e : events) if (e.command == ShortMessage.NOTE_ON) return (float) Conversions.midiToHz(e.data1);
        throw new IllegalStateException("no note-on events");
    }

    private static double level(double t, double start, double from, double to, double dur) {
        double a = Math.min(1, Math.max(0, (t - start) / dur));
        return from + (to - from) * a;
    }

    /** Ticks to seconds through the tempo map of the whole sequence. */
    private static final class TickClock {
        private final boolean smpte;
        private final double ticksPerSecond;           // SMPTE timing
        private final int resolution;                   // ticks per quarter note (PPQ timing)
        private final long[] tempoTicks;
        private final double[] tempoSeconds, secondsPerTick;

        TickClock(Sequence seq, Track[] tracks) {
            float division = seq.getDivisionType();
            this.smpte = division != Sequence.PPQ;
            this.resolution = seq.getResolution();
            this.ticksPerSecond = smpte ? division * resolution : 0;
            TreeMap<Long, Integer> tempos = new TreeMap<>();
            for (Track t : tracks) {
                for (int i = 0; i < t.size(); i++) {
                    if (t.get(i).getMessage() instanceof MetaMessage m && m.getType() == 0x51 && m.getData().length >= 3) {
                        byte[] d = m.getData();
                        int us = (d[0] & 0xff) << 16 | (d[1] & 0xff) << 8 | d[2] & 0xff;
                        if (us > 0) tempos.put(t.get(i).getTick(), us); // a later track's tempo at the same tick wins
                    }
                }
            }
            tempos.putIfAbsent(0L, 500_000); // 120 bpm until the first tempo event
            int k = tempos.size();
            tempoTicks = new long[k];
            tempoSeconds = new double[k];
            secondsPerTick = new double[k];
            int j = 0;
            for (var en : tempos.entrySet()) {
                tempoTicks[j] = en.getKey();
                secondsPerTick[j] = en.getValue() / 1e6 / resolution;
                if (j > 0) tempoSeconds[j] = tempoSeconds[j - 1] + (tempoTicks[j] - tempoTicks[j - 1]) * secondsPerTick[j - 1];
                j++;
            }
        }

        double seconds(long tick) {
            if (smpte) return tick / ticksPerSecond;
            int j = 0;
            while (j + 1 < tempoTicks.length && tempoTicks[j + 1] <= tick) j++;
            return tempoSeconds[j] + (tick - tempoTicks[j]) * secondsPerTick[j];
        }
    }
}
