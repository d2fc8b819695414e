package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    @Test
    void rendersMidiAndControlsCsv(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp);
        ModelConfig cfg = TestModels.config();
        // 480 ticks per quarter at the default 120 bpm: one tick is 1/960 s. Two notes, 0-0.25 s and 0.25-0.5 s.
        Sequence seq = new Sequence(Sequence.PPQ, 480);
        Track t = seq.createTrack();
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 100), 0));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, 60, 0), 240));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 64, 100), 240));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, 64, 0), 480));
        Path mid = tmp.resolve("melody.mid");
        MidiSystem.write(seq, 0, mid.toFile());

        Path out = tmp.resolve("midi.wav");
        assertEquals(0, Main.run(new String[] {"render", "--model", model.toString(), "--midi", mid.toString(), "--track", "0",
                "--output", out.toString()}));
        Audio a = AudioFile.read(out);
        assertEquals(cfg.sampleRate(), a.sampleRate());
        // 0.5 s of notes + 150 ms release: floor(0.65 * 250) + 1 = 163 frames, then the room's tail (64 taps)
        assertEquals(163 * cfg.hop() + cfg.reverb().taps() - 1, a.numFrames());
        Path mono = tmp.resolve("mono.wav");
        assertEquals(0, Main.run(new String[] {"render", "--model", model.toString(), "--midi", mid.toString(), "--monophonic",
                "--output", mono.toString()}));
        assertEquals(163 * cfg.hop(), AudioFile.read(mono).numFrames(), "the monophonic conversion as before");
        double energy = 0;
        for (float v : a.mono()) energy += v * v;
        assertTrue(energy > 0, "silent MIDI render");

        // controls at 100 frames/s (half a second) are brought to the model's 250 frames/s
        Path csv = tmp.resolve("controls.csv");
        StringBuilder sb = new StringBuilder(AudioFeatures.CSV_HEADER).append('\n');
        for (int i = 0; i < 50; i++) sb.append(i / 100.0).append(",440,1,1,-20\n");
        Files.writeString(csv, sb.toString());
        Path out2 = tmp.resolve("csv.wav");
        assertEquals(0, Main.run(new String[] {"render", "--model", model.toString(), "--controls", csv.toString(),
                "--output", out2.toString(), "--no-reverb"}));
        assertEquals(125 * cfg.hop(), AudioFile.read(out2).numFrames(), "50 frames at 100/s = 125 frames at 250/s");

        String[] base = {"render", "--model", model.toString(), "--output", tmp.resolve("x.wav").toString()};
        assertEquals(2, Main.run(base), "neither --midi nor --controls");
        assertEquals(2, Main.run(concat(base, "--midi", mid.toString(), "--controls", csv.toString())), "both");
        assertEquals(2, Main.run(concat(base, "--controls", csv.toString(), "--track", "1")), "--track without --midi");
        Path badCsv = Files.writeString(tmp.resolve("bad.csv"), "a,b\n1,2\n3,4\n");
        assertEquals(1, Main.run(concat(base, "--controls", badCsv.toString())), "CSV without the feature columns");
        assertEquals(1, Main.run(concat(base, "--midi", csv.toString())), "a CSV is not MIDI");
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
