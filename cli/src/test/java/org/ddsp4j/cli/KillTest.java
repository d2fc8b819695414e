package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.model.ModelDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training survives {@code kill -9} at any moment: a child JVM trains and is killed at 20 random
 * moments; after each kill the model loads, the next run resumes from the last checkpoint, and the
 * loss history has a row for every step up to it. While a child trains, a second training of the same
 * folder is refused, naming the process that holds it.
 */
class KillTest {
    private static final String[] SETTINGS = {"--set", "decoder.hidden=16", "--set", "decoder.gru_units=16",
        "--set", "harmonic.n_harmonics=8", "--set", "noise.n_bands=9", "--set", "reverb.taps=64",
        "--set", "audio.example_seconds=0.2", "--set", "audio.example_hop_seconds=0.1", "--set", "loss.fft_sizes=256,64",
        "--set", "train.batch=2", "--set", "train.checkpoint_every=1"};

    private static Process child(Path data, Path model, boolean resume, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.ddsp4j.cli.Main", "train", "--data", data.toString(), "--model", model.toString(), "--steps", "1000000",
                "--threads", "1"));
        if (resume) cmd.add("--resume");
        else cmd.addAll(List.of(SETTINGS));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void trainingSurvivesKillNineAtTwentyMomentsAndRefusesASecondTrainer(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data")), model = tmp.resolve("model");
        AudioFile.writeWav(data.resolve("tone.wav"), TestModels.tone(TestModels.config(), 1.0), 16000, WavEncoding.PCM_16);
        SplittableRandom rng = new SplittableRandom(20261202);
        ModelDir dir = new ModelDir(model);
        long lastStep = 0;
        boolean triedSecond = false;
        for (int kill = 0; kill < 20; kill++) {
            Path log = tmp.resolve("log" + kill + ".txt");
            Process p = child(data, model, dir.hasCheckpoint(), log);
            try {
                killOnce(p, kill, log, rng, triedSecond, data, model);
            } finally {
                p.destroyForcibly();   // never leave a training child behind, whatever failed
                p.waitFor(30, TimeUnit.SECONDS);
            }
            triedSecond = true;
            String out = Files.readString(log);
            if (!dir.hasCheckpoint()) continue;   // killed before the first commit: nothing to check yet
            long step = dir.readState().step();
            assertTrue(step >= lastStep, "kill " + kill + ": the committed step went back from " + lastStep + " to " + step);
            if (kill > 0 && lastStep > 0) {
                assertTrue(out.contains("from step " + lastStep), "kill " + kill + ": resumed from the last checkpoint " + lastStep + ": " + out);
            }
            lastStep = step;
            Instrument.load(model);   // loads: config, committed weights (finite), stats
            List<double[]> losses = dir.readLosses(step);
            assertEquals(step, losses.size(), "kill " + kill + ": one loss row per step up to " + step);
            for (int i = 0; i < losses.size(); i++) assertEquals(i + 1, (long) losses.get(i)[0], "row " + i);
        }
        assertTrue(lastStep > 0, "training made progress across the kills");
    }

    /** Waits until the child trains, tries a second trainer once, then kills the child at a random moment. */
    private static void killOnce(Process p, int kill, Path log, SplittableRandom rng, boolean triedSecond, Path data, Path model)
            throws Exception {
        // Wait until it trains (a line "step N"), then a random moment: often inside a checkpoint write.
        long t0 = System.nanoTime();
        while (p.isAlive() && !Files.readString(log).contains("\nstep ") && System.nanoTime() - t0 < 60e9) Thread.sleep(20);
        assertTrue(p.isAlive(), "kill " + kill + ": the child stopped early: " + Files.readString(log));
        if (!triedSecond) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(Main.commandLine(Main.commands()), new String[] {"train", "--data", data.toString(),
                "--model", model.toString(), "--resume", "--steps", "1000000"}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true), false);
            String msg = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, status, msg);
            assertTrue(msg.contains("in use by process " + p.pid()), msg);
        }
        Thread.sleep(rng.nextInt(20, 700));
        p.destroyForcibly();   // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
}
