package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.nn.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and faults, command by command, as a hostile user would try them: every case asserts the
 * exit status, that the one-line message names the file or value (and, where there is one, the fix),
 * that no stack trace is printed, and that no output is left behind. The results are tabled in
 * docs/results/reliability.md.
 */
class ReliabilityTest {
    @TempDir
    static Path tmp;
    static Path model, tone, csv, data;

    /** One case: what is set up, the command line, the expected status, what the message must name. */
    record Case(String name, Setup setup, int status, String[] args, String... mustName) {}

    @FunctionalInterface
    interface Setup {
        /** Prepares the case's files in its own folder {@code dir}; returns the command line with {@code {dir}} substituted. */
        void in(Path dir) throws Exception;
    }

    @BeforeAll
    static void fixtures() throws Exception {
        model = TestModels.trained(tmp);   // tmp/model (1 step on tmp/tone.wav) with stats.json
        tone = tmp.resolve("tone.wav");
        csv = tmp.resolve("controls.csv");
        data = Files.createDirectories(tmp.resolve("traindata"));
        Files.copy(tone, data.resolve("tone.wav"));
        StringBuilder sb = new StringBuilder("time,f0_hz,f0_confidence,voiced,loudness_db\n");
        for (int i = 0; i < 50; i++) sb.append(i / 250.0).append(",440,1,1,-20\n");
        Files.writeString(csv, sb.toString());
    }

    /** A copy of the trained model in {@code dir/m}, for cases that damage it. */
    static Path copyModel(Path dir) throws IOException {
        Path m = dir.resolve("m");
        Files.createDirectories(m);
        try (Stream<Path> s = Files.list(model)) {
            for (Path f : s.toList()) if (Files.isRegularFile(f)) Files.copy(f, m.resolve(f.getFileName()));
        }
        return m;
    }

    static Path weights(Path m) throws IOException {
        return m.resolve(new ModelDir(m).readState().weights());
    }

    static String[] a(String... s) {
        return s;
    }

    static Case c(String name, int status, Setup setup, String[] args, String... mustName) {
        return new Case(name, setup, status, args, mustName);
    }

    static final Setup NONE = dir -> {};

    List<Case> cases() {
        String M = model.toString(), A = tone.toString(), C = csv.toString();
        List<Case> cs = new ArrayList<>();
        // --- a model that is missing or damaged (resynth stands for every command that loads one) ---
        cs.add(c("model folder missing", 1, NONE, a("resynth", "--model", "{dir}/nope", "--input", A, "--output", "{dir}/o.wav"),
                "nope", "./ddsp train"));
        cs.add(c("model is a file", 1, dir -> Files.writeString(dir.resolve("f"), "x"),
                a("resynth", "--model", "{dir}/f", "--input", A, "--output", "{dir}/o.wav"), "f", "not a model directory"));
        cs.add(c("model folder without config.json", 1, dir -> Files.createDirectories(dir.resolve("e")),
                a("transfer", "--model", "{dir}/e", "--input", A, "--output", "{dir}/o.wav"), "config.json", "./ddsp train"));
        cs.add(c("model without a checkpoint", 1, dir -> Files.delete(copyModel(dir).resolve(ModelDir.STATE)),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "state.json", "train first"));
        cs.add(c("state.json not JSON", 1, dir -> Files.writeString(copyModel(dir).resolve(ModelDir.STATE), "{step: 3"),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "state.json", "not valid JSON"));
        cs.add(c("state.json names a file outside", 1, dir -> Files.writeString(copyModel(dir).resolve(ModelDir.STATE),
                "{\"step\": 1, \"weights\": \"../../model/weights-00000001.safetensors\", \"optimizer\": \"optimizer-1.safetensors\", \"seconds\": 1}"),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "state.json", "inside the model directory"));
        cs.add(c("state.json without step", 1, dir -> Files.writeString(copyModel(dir).resolve(ModelDir.STATE),
                "{\"weights\": \"weights-00000001.safetensors\", \"optimizer\": \"optimizer-00000001.safetensors\", \"seconds\": 1}"),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "state.json", "\"step\""));
        cs.add(c("weights file missing", 1, dir -> Files.delete(weights(copyModel(dir))),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "weights-", "is missing"));
        cs.add(c("weights file truncated", 1, dir -> {
            Path w = weights(copyModel(dir));
            byte[] b = Files.readAllBytes(w);
            Files.write(w, Arrays.copyOf(b, b.length / 2));
        }, a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "weights-"));
        cs.add(c("weights with NaN", 1, dir -> {
            Path m = copyModel(dir);
            Autoencoder ae = new ModelDir(m).loadModel();
            ae.namedParameters().get("decoder.dense_out.b").data()[0] = Float.NaN;
            ae.save(weights(m));
        }, a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "decoder.dense_out.b", "NaN"));
        cs.add(c("config.json with an unknown key", 1, dir -> {
            Path f = copyModel(dir).resolve(ModelDir.CONFIG);
            Files.writeString(f, Files.readString(f).replace("\"gru_units\"", "\"gru_unit\""));
        }, a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "config.json", "unknown key 'decoder.gru_unit'"));
        cs.add(c("config.json not JSON", 1, dir -> Files.writeString(copyModel(dir).resolve(ModelDir.CONFIG), "{\"name\": "),
                a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "config.json", "not valid JSON"));
        cs.add(c("config.json with an invalid choice", 1, dir -> {
            Path f = copyModel(dir).resolve(ModelDir.CONFIG);
            Files.writeString(f, Files.readString(f).replace("\"exp_decay\"", "\"cathedral\""));
        }, a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "reverb.type", "learned, exp_decay, double_slope, none"));
        cs.add(c("weights of another architecture", 1, dir -> {
            Path f = copyModel(dir).resolve(ModelDir.CONFIG);
            Files.writeString(f, Files.readString(f).replace("\"n_harmonics\": 8", "\"n_harmonics\": 9"));
        }, a("resynth", "--model", "{dir}/m", "--input", A, "--output", "{dir}/o.wav"), "weights-", "does not match"));
        // --- the input recording ---
        cs.add(c("input missing", 1, NONE, a("resynth", "--model", M, "--input", "{dir}/none.wav", "--output", "{dir}/o.wav"),
                "none.wav"));
        cs.add(c("input empty", 1, dir -> Files.write(dir.resolve("empty.wav"), new byte[0]),
                a("transfer", "--model", M, "--input", "{dir}/empty.wav", "--output", "{dir}/o.wav"), "empty.wav"));
        cs.add(c("input is text", 1, dir -> Files.writeString(dir.resolve("text.wav"), "hello, this is not audio at all"),
                a("resynth", "--model", M, "--input", "{dir}/text.wav", "--output", "{dir}/o.wav"), "text.wav"));
        cs.add(c("input WAV truncated to its header", 1, dir -> Files.write(dir.resolve("head.wav"), Arrays.copyOf(Files.readAllBytes(tone), 30)),
                a("stream", "--model", M, "--input", "{dir}/head.wav", "--output", "{dir}/o.wav"), "head.wav"));
        cs.add(c("input is a folder", 1, dir -> Files.createDirectories(dir.resolve("d.wav")),
                a("resynth", "--model", M, "--input", "{dir}/d.wav", "--output", "{dir}/o.wav"), "d.wav"));
        cs.add(c("input with NaN samples", 1, dir -> {
            float[] x = AudioFile.readMono(tone, 16000);
            x[100] = Float.NaN;
            AudioFile.writeWav(dir.resolve("nan.wav"), x, 16000, WavEncoding.FLOAT_32);
        }, a("resynth", "--model", M, "--input", "{dir}/nan.wav", "--output", "{dir}/o.wav"), "nan.wav"));
        cs.add(c("input is a named pipe with no writer", 1, dir -> new ProcessBuilder("mkfifo", dir.resolve("pipe.wav").toString())
                .inheritIO().start().waitFor(), a("resynth", "--model", M, "--input", "{dir}/pipe.wav", "--output", "{dir}/o.wav"),
                "pipe.wav", "not a regular file"));
        cs.add(c("input WAV declaring 1 Hz", 1, dir -> {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 4000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 4000).put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                    .putInt(16).putShort((short) 1).putShort((short) 1).putInt(1).putInt(2).putShort((short) 2).putShort((short) 16)
                    .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(4000);
            Files.write(dir.resolve("onehz.wav"), b.array());
        }, a("resynth", "--model", M, "--input", "{dir}/onehz.wav", "--output", "{dir}/o.wav"), "onehz.wav", "1 Hz"));
        // --- the output path ---
        cs.add(c("output is a folder", 1, dir -> Files.createDirectories(dir.resolve("out")),
                a("resynth", "--model", M, "--input", A, "--output", "{dir}/out"), "out", "is a folder", "out.wav"));
        cs.add(c("output's folder is a file", 1, dir -> Files.writeString(dir.resolve("file"), "x"),
                a("transfer", "--model", M, "--input", A, "--output", "{dir}/file/o.wav"), "file", "not a folder"));
        cs.add(c("features output is a folder", 1, dir -> Files.createDirectories(dir.resolve("fo")),
                a("features", A, "--output", "{dir}/fo"), "fo", "is a folder"));
        cs.add(c("plot output is a file", 1, dir -> Files.writeString(dir.resolve("p.png"), "x"),
                a("plot", "--model", M, "--input", A, "--output", "{dir}/p.png"), "p.png", "give a folder"));
        // --- command lines ---
        cs.add(c("unknown option", 2, NONE, a("resynth", "--model", M, "--input", A, "--output", "{dir}/o.wav", "--reverb-off"),
                "--reverb-off"));
        cs.add(c("missing --input", 2, NONE, a("resynth", "--model", M, "--output", "{dir}/o.wav"), "--input"));
        cs.add(c("extra argument", 2, NONE, a("transfer", "--model", M, "--input", A, "--output", "{dir}/o.wav", "again.wav"),
                "again.wav"));
        cs.add(c("pitch shift not a number", 2, NONE, a("transfer", "--model", M, "--input", A, "--output", "{dir}/o.wav",
                "--pitch-shift", "up"), "up"));
        cs.add(c("unknown command", 2, NONE, a("resynthesize", "--model", M), "resynthesize"));
        // --- render from controls or MIDI ---
        cs.add(c("controls CSV missing", 1, NONE, a("render", "--model", M, "--controls", "{dir}/c.csv", "--output", "{dir}/o.wav"),
                "c.csv"));
        cs.add(c("controls CSV without loudness", 1, dir -> Files.writeString(dir.resolve("c.csv"), "time,f0_hz\n0,440\n"),
                a("render", "--model", M, "--controls", "{dir}/c.csv", "--output", "{dir}/o.wav"), "c.csv", "loudness_db"));
        cs.add(c("controls CSV with NaN", 1, dir -> Files.writeString(dir.resolve("c.csv"), "time,f0_hz,loudness_db\n0,NaN,-20\n0.004,440,-20\n"),
                a("render", "--model", M, "--controls", "{dir}/c.csv", "--output", "{dir}/o.wav"), "c.csv"));
        cs.add(c("controls CSV with a header only", 1, dir -> Files.writeString(dir.resolve("c.csv"), "time,f0_hz,loudness_db\n"),
                a("render", "--model", M, "--controls", "{dir}/c.csv", "--output", "{dir}/o.wav"), "c.csv"));
        cs.add(c("controls CSV with text in a number", 1, dir -> Files.writeString(dir.resolve("c.csv"), "time,f0_hz,loudness_db\n0,loud,-20\n"),
                a("render", "--model", M, "--controls", "{dir}/c.csv", "--output", "{dir}/o.wav"), "c.csv"));
        cs.add(c("controls spanning 150,000 s", 1, dir -> Files.writeString(dir.resolve("long.csv"),
                "time,f0_hz,loudness_db\n0,440,-20\n75000,440,-20\n150000,440,-20\n"),
                a("render", "--model", M, "--controls", "{dir}/long.csv", "--output", "{dir}/o.wav"), "long.csv", "evenly spaced"));
        cs.add(c("MIDI file corrupt", 1, dir -> Files.write(dir.resolve("m.mid"), "MThd garbage garbage".getBytes(StandardCharsets.US_ASCII)),
                a("render", "--model", M, "--midi", "{dir}/m.mid", "--output", "{dir}/o.wav"), "m.mid"));
        cs.add(c("both MIDI and controls", 2, NONE, a("render", "--model", M, "--midi", C, "--controls", C, "--output", "{dir}/o.wav"),
                "--midi", "--controls"));
        cs.add(c("negative MIDI track", 2, NONE, a("render", "--model", M, "--midi", C, "--track", "-1", "--output", "{dir}/o.wav"),
                "--track"));
        // --- stream, reverb, eval ---
        cs.add(c("stream with empty blocks", 2, NONE, a("stream", "--model", M, "--controls", C, "--block-frames", "0", "--output",
                "{dir}/o.wav"), "--block-frames"));
        cs.add(c("stream controls missing", 1, NONE, a("stream", "--model", M, "--controls", "{dir}/none.csv", "--output", "{dir}/o.wav"),
                "none.csv"));
        cs.add(c("reverb of a model without a room", 1, dir -> {
            Path m = dir.resolve("dry");
            ModelConfig cfg = TestModels.config().with("reverb.type", "none");
            Autoencoder ae = new Autoencoder(cfg);
            ModelDir d = new ModelDir(m);
            d.writeConfig(cfg);
            d.writeCheckpoint(ae, new Adam(ae, Adam.Config.defaults()), 1, 0);
        }, a("reverb", "--model", "{dir}/dry", "--input", A, "--output", "{dir}/o.wav"), "reverb.type", "exp_decay or double_slope"));
        cs.add(c("reverb at an absurd rate", 2, NONE, a("reverb", "--model", M, "--input", A, "--output", "{dir}/o.wav", "--sample-rate", "5"),
                "--sample-rate"));
        cs.add(c("eval data missing", 1, NONE, a("eval", "--model", M, "--data", "{dir}/nodata"), "nodata"));
        cs.add(c("eval data without audio", 1, dir -> Files.createDirectories(dir.resolve("emptydata")),
                a("eval", "--model", M, "--data", "{dir}/emptydata"), "emptydata"));
        cs.add(c("eval of zero examples", 2, NONE, a("eval", "--model", M, "--data", data.toString(), "--max-examples", "0"),
                "--max-examples"));
        // --- train ---
        cs.add(c("train data missing", 1, NONE, a("train", "--data", "{dir}/nodata", "--model", "{dir}/m"), "nodata"));
        cs.add(c("train data without audio", 1, dir -> Files.writeString(Files.createDirectories(dir.resolve("txt")).resolve("a.txt"), "x"),
                a("train", "--data", "{dir}/txt", "--model", "{dir}/m"), "txt", "neither"));
        cs.add(c("train zero steps", 2, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m", "--steps", "0",
                "--set", "audio.example_seconds=0.2", "--set", "decoder.hidden=8", "--set", "decoder.gru_units=8"), "--steps", "at least 1"));
        cs.add(c("train negative steps", 2, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m", "--steps", "-1",
                "--set", "audio.example_seconds=0.2", "--set", "decoder.hidden=8", "--set", "decoder.gru_units=8"), "-1"));
        cs.add(c("train negative minutes", 2, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m", "--minutes", "-3",
                "--set", "audio.example_seconds=0.2", "--set", "decoder.hidden=8", "--set", "decoder.gru_units=8"), "-3", "--minutes"));
        cs.add(c("train unknown configuration key", 1, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m",
                "--set", "decoder.gru_unit=8"), "decoder.gru_unit", "gru_units"));
        cs.add(c("train configuration value not a number", 1, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m",
                "--set", "train.batch=many"), "train.batch", "many"));
        cs.add(c("train zero batch", 1, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m", "--batch", "0"),
                "train.batch", ">= 1"));
        cs.add(c("train unknown configuration name", 1, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m",
                "--config", "huge"), "huge", "solo"));
        cs.add(c("train configuration file not JSON", 1, dir -> Files.writeString(dir.resolve("c.json"), "{ oops"),
                a("train", "--data", data.toString(), "--model", "{dir}/m", "--config", "{dir}/c.json"), "c.json", "not valid JSON"));
        cs.add(c("train an absurd reverb", 1, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m",
                "--set", "reverb.taps=2147483647"), "reverb.taps", "10 s"));
        cs.add(c("train over a model without --resume", 1, dir -> copyModel(dir),
                a("train", "--data", data.toString(), "--model", "{dir}/m", "--set", "audio.example_seconds=0.2",
                        "--set", "decoder.hidden=16", "--set", "decoder.gru_units=16", "--set", "harmonic.n_harmonics=8",
                        "--set", "noise.n_bands=9", "--set", "reverb.taps=64", "--set", "loss.fft_sizes=256,64"), "--resume"));
        cs.add(c("resume with another architecture", 1, dir -> copyModel(dir),
                a("train", "--data", data.toString(), "--model", "{dir}/m", "--resume", "--set", "decoder.gru_units=32"),
                "decoder.gru_units", "cannot resume"));
        cs.add(c("train zero threads", 2, NONE, a("train", "--data", data.toString(), "--model", "{dir}/m", "--threads", "0"),
                "thread"));
        // --- prepare, features, demo ---
        cs.add(c("prepare input missing", 1, NONE, a("prepare", "--input", "{dir}/none", "--output", "{dir}/data"), "none"));
        cs.add(c("prepare of a folder of .ogg only", 1, dir -> Files.write(Files.createDirectories(dir.resolve("oggs")).resolve("a.ogg"),
                new byte[] {'O', 'g', 'g', 'S'}), a("prepare", "--input", "{dir}/oggs", "--output", "{dir}/data"), "a.ogg", "convert"));
        cs.add(c("prepare output is a file", 1, dir -> Files.writeString(dir.resolve("data"), "x"),
                a("prepare", "--input", A, "--output", "{dir}/data"), "data"));
        cs.add(c("prepare unknown runner", 1, NONE, a("prepare", "--input", A, "--output", "{dir}/data", "--runner=NoSuchRunner"),
                "NoSuchRunner"));
        cs.add(c("features input missing", 1, NONE, a("features", "{dir}/none.flac", "--output", "{dir}/f.csv"), "none.flac"));
        cs.add(c("demo data missing", 1, NONE, a("demo", "--data", "{dir}/nodemo", "--output", "{dir}/demo-out"), "nodemo", "--data"));
        return cs;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputGetsAClearMessageAndLeavesNothing() {
        List<Case> cs = cases();
        assertTrue(cs.size() >= 60, "at least 60 cases, have " + cs.size());
        int[] n = {0};
        return cs.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Path dir = Files.createDirectories(tmp.resolve("case" + n[0]++));
            k.setup().in(dir);
            List<Path> before;
            try (Stream<Path> s = Files.walk(dir)) {
                before = s.sorted().toList();
            }
            String[] args = Arrays.stream(k.args()).map(x -> x.replace("{dir}", dir.toString())).toArray(String[]::new);
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            int status = Main.run(Main.commandLine(Main.commands()), args, new PrintStream(out, true), new PrintStream(err, true), false);
            String msg = err.toString(StandardCharsets.UTF_8);
            if (Boolean.getBoolean("ddsp4j.report")) {
                String first = msg.lines().findFirst().orElse("").replace(dir.toString(), "DIR").replace(tmp.toString(), "TMP");
                System.out.println("| " + k.name() + " | `" + String.join(" ", Arrays.copyOf(k.args(), Math.min(2, k.args().length)))
                        + " ...` | " + status + " | " + first.replace("|", "\\|") + " |");
            }
            assertEquals(k.status(), status, k.name() + ": exit status; stderr: " + msg);
            for (String s : k.mustName()) {
                assertTrue(msg.contains(s.replace("{dir}", dir.toString())), k.name() + ": the message names '" + s + "': " + msg);
            }
            assertFalse(msg.contains("\tat org.") || msg.contains("Exception:"), k.name() + ": no stack trace or class name: " + msg);
            List<Path> after;
            try (Stream<Path> s = Files.walk(dir)) {
                after = s.sorted().toList();
            }
            assertEquals(before, after, k.name() + ": nothing new left behind (no partial output)");
        }));
    }
}
