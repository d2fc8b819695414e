package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.ddsp4j.audio.Audio;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.LiveEngine;
import org.ddsp4j.inference.TransferRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveCommandTest {
    /** What the engine plays for the file, in blocks of {@code block} samples, with the latency's tail flushed. */
    private static float[] engineOutput(Path model, Path input, int block, TransferRecipe recipe) throws Exception {
        Instrument inst = Instrument.load(model);
        LiveEngine e = inst.live(recipe, true);
        float[] x = inst.read(input), in = java.util.Arrays.copyOf(x, x.length + e.latencySamples()), out = new float[in.length];
        for (int off = 0; off < in.length; off += block) e.process(in, off, out, off, Math.min(block, in.length - off));
        return out;
    }

    /** Runs {@code ./ddsp args} and returns {status, what the command printed to System.out, stderr}. */
    static Object[] runCapturing(String... args) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            MainTest.Run r = MainTest.run(args);
            return new Object[] {r.status(), buf.toString(java.nio.charset.StandardCharsets.UTF_8) + r.out(), r.err()};
        } finally {
            System.setOut(old);
        }
    }

    /**
     * Equal to float rounding: the same engine run twice can differ in the last bit where the JIT has compiled the
     * vector code in one run and not yet in the other (compiled and interpreted vector math round differently).
     */
    static void assertClose(float[] expect, float[] actual, String what) {
        assertEquals(expect.length, actual.length, what + ": length");
        double peak = 0, err = 0;
        for (int i = 0; i < expect.length; i++) {
            peak = Math.max(peak, Math.abs(expect[i]));
            err = Math.max(err, Math.abs(expect[i] - actual[i]));
        }
        assertTrue(err <= 1e-5 * peak, what + ": differs by " + err + " (peak " + peak + ")");
    }

    @Test
    void fileToFileWritesExactlyWhatTheEnginePlays(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp), tone = tmp.resolve("tone.wav");
        Path fast = tmp.resolve("fast.wav"), paced = tmp.resolve("paced.wav");
        Object[] r = runCapturing("live", "--model", model.toString(), "--input-file", tone.toString(), "--output-file",
                fast.toString(), "--buffer", "100", "--pitch-shift", "2");
        String out = (String) r[1];
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(out.contains("latency 319 samples = 19.9 ms"), out);
        assertTrue(out.contains("time per block: median") && out.contains("bytes allocated by the loop"), out);
        Audio a = AudioFile.read(fast);
        float[] expect = engineOutput(model, tone, 100, TransferRecipe.defaults().withShifts(2, 0));
        assertEquals(16000, a.sampleRate());
        assertClose(expect, a.mono(), "the file holds the engine's samples (32-bit float), latency included");
        double energy = 0;
        for (float v : expect) energy += v * v;
        assertTrue(energy > 0, "silent");

        long t0 = System.nanoTime();
        r = runCapturing("live", "--model", model.toString(), "--input-file", tone.toString(), "--output-file", paced.toString(),
                "--realtime", "--buffer", "64", "--pitch-shift", "2");
        double wall = (System.nanoTime() - t0) / 1e9;
        out = (String) r[1];
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(wall >= 0.5, "0.5 s of input paced at real time took " + wall + " s");
        assertTrue(out.contains("paced at real time") && out.contains("under-run(s)"), out);
        assertClose(expect, AudioFile.read(paced).mono(), "paced or not, and any block size: the same samples");
    }

    @Test
    void withoutASoundCardTheDeviceModeSaysSo(@TempDir Path tmp) throws Exception {
        AudioFormat fmt = new AudioFormat(16000, 16, 1, true, false);
        boolean capture;
        try {
            AudioSystem.getTargetDataLine(fmt);
            capture = true;
        } catch (IllegalArgumentException none) {
            capture = false;
        }
        assumeTrue(!capture, "this machine has a capture device; the no-device message cannot be tested here");
        Path model = TestModels.trained(tmp);
        MainTest.Run r = MainTest.run("live", "--model", model.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("ddsp live: no audio input device") && r.err().contains("--input-file"), r.err());
        Object[] list = runCapturing("live", "--list-devices");
        assertEquals(0, list[0], (String) list[2]);
        if (AudioSystem.getMixerInfo().length == 0) assertTrue(((String) list[1]).startsWith("no audio devices"), (String) list[1]);
    }

    @Test
    void malformedCommandLinesAreUsageErrors(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp), tone = tmp.resolve("tone.wav");
        String m = model.toString();
        assertEquals(2, MainTest.run("live").status(), "no --model");
        assertEquals(2, MainTest.run("live", "--model", m, "--input-file", tone.toString()).status(), "no --output-file");
        assertEquals(2, MainTest.run("live", "--model", m, "--output-file", tmp.resolve("o.wav").toString()).status(), "no --input-file");
        assertEquals(2, MainTest.run("live", "--model", m, "--realtime").status(), "--realtime without a file");
        assertEquals(2, MainTest.run("live", "--model", m, "--buffer", "0", "--input-file", tone.toString(), "--output-file",
                tmp.resolve("o.wav").toString()).status(), "empty blocks");
        assertEquals(2, MainTest.run("live", "--model", m, "--input-file", tone.toString(), "--output-file",
                tmp.resolve("o.wav").toString(), "--input-device", "0").status(), "a device with files");
    }

    /** A line of {@code kind} made of a handler: the methods the audio loop calls, defaults for the rest. */
    @SuppressWarnings("unchecked")
    private static <T> T fakeLine(Class<T> kind, java.util.function.BiFunction<String, Object[], Object> calls) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(kind.getClassLoader(), new Class<?>[] {kind}, (proxy, m, args) -> {
            Object r = calls.apply(m.getName(), args);
            if (r != null) return r;
            Class<?> t = m.getReturnType();
            if (t == boolean.class) return Boolean.FALSE;
            if (t == int.class) return 0;
            if (t == long.class) return 0L;
            if (t == float.class) return 0f;
            return null;
        });
    }

    /**
     * The device loop with fake lines: 16-bit PCM in, the engine, 16-bit PCM out (after one block of silence), stops
     * after {@code --seconds}, counts an under-run for each block written to an output line that had run dry.
     */
    @Test
    void theDeviceLoopPlaysTheMicrophoneThroughTheEngine(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp), tone = tmp.resolve("tone.wav");
        int block = 128;
        float[] expect = engineOutput(model, tone, block, TransferRecipe.defaults());
        float[] x = Instrument.load(model).read(tone);
        byte[] pcm = new byte[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            int v = Math.round(x[i] * 32767f);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        // The engine sees the 16-bit input, so compare with what it plays for the same quantized samples.
        float[] q = new float[x.length];
        for (int i = 0; i < x.length; i++) q[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8)) / 32768f;
        LiveEngine e = Instrument.load(model).live(TransferRecipe.defaults(), true);
        float[] want = new float[x.length];
        for (int off = 0; off + block <= x.length; off += block) e.process(q, off, want, off, block);

        int[] readPos = {0};
        java.io.ByteArrayOutputStream played = new java.io.ByteArrayOutputStream();
        javax.sound.sampled.TargetDataLine in = fakeLine(javax.sound.sampled.TargetDataLine.class, (name, a) -> switch (name) {
            case "read" -> {
                byte[] b = (byte[]) a[0];
                int n = Math.min((Integer) a[2], pcm.length - readPos[0]);
                System.arraycopy(pcm, readPos[0], b, (Integer) a[1], n);
                readPos[0] += n;
                yield n;
            }
            case "getBufferSize" -> 4 * block;
            default -> null;
        });
        javax.sound.sampled.SourceDataLine out = fakeLine(javax.sound.sampled.SourceDataLine.class, (name, a) -> switch (name) {
            case "write" -> {
                played.write((byte[]) a[0], (Integer) a[1], (Integer) a[2]);
                yield a[2];
            }
            case "getBufferSize", "available" -> 4 * block; // always drained: every block after the first is late
            default -> null;
        });
        Instrument inst = Instrument.load(model);
        double seconds = 0.4;
        LiveCommand.AudioLoop loop = new LiveCommand.AudioLoop(inst.live(TransferRecipe.defaults(), true), in, out, block, seconds);
        loop.run();
        int blocks = (int) Math.ceil(seconds * 16000 / block);
        byte[] b = played.toByteArray();
        assertEquals(2 * block * (blocks + 1), b.length, "one block of silence, then one block per block read");
        for (int i = 0; i < block * blocks; i++) {
            short v = (short) ((b[2 * (block + i)] & 0xff) | (b[2 * (block + i) + 1] << 8));
            int w = Math.round(Math.max(-1f, Math.min(1f, want[i])) * 32767f);
            assertTrue(Math.abs(w - v) <= 1, "sample " + i + ": " + v + " vs " + w); // 1 step: float rounding, see assertClose
        }
        assertTrue(loop.status().contains((blocks - 1) + " under-run(s)"), loop.status());
        assertTrue(expect.length > 0);
    }
}
