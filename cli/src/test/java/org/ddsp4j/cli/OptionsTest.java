package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command lines written for the hand-made parser before picocli still mean the same (parsed only, not run). */
class OptionsTest {
    static <T extends Command> T parse(T command, String... args) {
        CommandLine cl = Main.commandLine(List.of(command));
        cl.parseArgs(args);
        return command;
    }

    @Test
    void trainKeepsRepeatableSetAndLastValueWins() {
        TrainCommand t = parse(new TrainCommand(), "train", "--data", "d", "--model=m", "--set", "a=1", "--set", "b.c=2,3",
                "--steps", "3", "--steps", "010", "--resume", "--minutes=1.5");
        assertEquals(Path.of("d"), t.data);
        assertEquals(Path.of("m"), t.modelDir);
        assertEquals(List.of("a=1", "b.c=2,3"), t.set);
        assertEquals(10, t.steps, "the last value counts, in decimal");
        assertTrue(t.resume);
        assertEquals(1.5, t.minutes);
        assertNull(t.config, "no --config: tiny for a new model, the checkpoint's on --resume");
        assertNull(t.threads);
        assertNull(t.batch);

        TrainCommand d = parse(new TrainCommand(), "train", "--data", "d", "--model", "m");
        assertEquals(List.of(), d.set);
        assertNull(d.steps, "train.steps of the configuration");
        assertEquals(Double.POSITIVE_INFINITY, d.minutes);
        assertFalse(d.resume);
    }

    @Test
    void flagsAndNegativeNumbers() {
        TransferCommand t = parse(new TransferCommand(), "transfer", "--model", "m", "--input", "i.wav", "--output", "o.wav",
                "--pitch-shift", "-12", "--loudness-shift=-3.5", "--no-auto", "--no-reverb");
        assertEquals(-12, t.pitchShift);
        assertEquals(-3.5, t.loudnessShift);
        assertTrue(t.noAuto && t.noReverb);

        ResynthCommand r = parse(new ResynthCommand(), "resynth", "--model", "m", "--input", "i", "--output", "o");
        assertFalse(r.noReverb);
    }

    @Test
    void positionalInputs() {
        FeaturesCommand f = parse(new FeaturesCommand(), "features", "--output", "f.csv", "a.wav", "--frame-rate", "100");
        assertEquals(Path.of("a.wav"), f.in);
        assertEquals(100, f.frameRate);
        assertEquals(16000, f.sampleRate);
        assertNull(f.f0Min);

        BenchCommand b = parse(new BenchCommand(), "bench", "gemm", "--threads", "4", "synth");
        assertEquals(List.of("gemm", "synth"), b.names);
        assertEquals(4, b.threads);
        assertEquals(7, b.runs);
    }

    @Test
    void prepareTakesSeveralInputsAndHandsTheRestToBeam() {
        PrepareCommand p = parse(new PrepareCommand(), "prepare", "--input", "a", "b", "--runner", "DirectRunner",
                "--input=c", "d", "--output", "out", "--targetParallelism=2", "--shards", "4", "--overwrite", "--streaming");
        assertEquals(List.of(Path.of("a"), Path.of("b"), Path.of("c"), Path.of("d")), p.inputs);
        assertEquals(Path.of("out"), p.output);
        assertEquals(4, p.shards);
        assertTrue(p.overwrite);
        assertEquals(16000, p.sampleRate, "defaults from PrepareConfig.defaults()");
        assertEquals(4.0, p.exampleSeconds);
        assertArrayEquals(new String[] {"--runner=DirectRunner", "--targetParallelism=2", "--streaming"},
                PrepareCommand.beamOptions(null, p.beamArgs));
    }

    @Test
    void demoDefaults() {
        DemoCommand d = parse(new DemoCommand(), "demo", "--set", "train.batch=2", "--set", "x=1");
        assertEquals(Path.of("demo-out"), d.out);
        assertEquals(5, d.minutes);
        assertEquals(2, d.threads);
        assertNull(d.dataDir);
        assertEquals(List.of("train.batch=2", "x=1"), d.set);
    }

    @Test
    void studioDefaultsToThisMachineOnly() {
        StudioCommand d = parse(new StudioCommand(), "studio");
        assertEquals("127.0.0.1", d.host);
        assertEquals(8300, d.port);
        assertEquals(Path.of("studio-models"), d.models);
        assertFalse(d.noOpen);
        StudioCommand s = parse(new StudioCommand(), "studio", "--port", "0", "--host", "0.0.0.0", "--models", "m", "--no-open");
        assertEquals(0, s.port);
        assertEquals("0.0.0.0", s.host);
        assertEquals(Path.of("m"), s.models);
        assertTrue(s.noOpen);
    }
}
