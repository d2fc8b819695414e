package org.ddsp4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ddsp4j.nn.Dense;
import org.ddsp4j.nn.FcStack;
import org.ddsp4j.nn.Module;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static LinkedHashMap<String, Tensor> sample() {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("decoder.w", Tensor.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}, 2, 3));
        m.put("scalar", Tensor.scalar(7.25f));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("v", Tensor.vector(0.1f, 0.2f, 0.3f));
        return m;
    }

    /** A file from a header string and a data section, as a foreign writer would produce it. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void roundTripsTensorsAndMetadata() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of("step", "12", "note", "ü \"q\""));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(c.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            assertArrayEquals(e.getValue().shape(), c.tensors().get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), c.tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
        assertEquals(Map.of("step", "12", "note", "ü \"q\""), c.metadata());
        // Layout: u64 header length, a multiple of 8, and space padding.
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        assertEquals(8 + n + 4 * (6 + 1 + 0 + 3), bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{"), header);
        assertTrue(header.contains("\"decoder.w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        // No temp files left behind by the atomic write.
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void halfPrecisionHalvesTheSizeWithinItsRoundingAndKeepsWhatDoesNotFit() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-4, 3)));
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(w, 10, 100));
        m.put("big", Tensor.vector(1f, 7e4f));          // beyond the half range: stays F32, exact
        Path f = dir.resolve("h.safetensors"), full = dir.resolve("f.safetensors");
        SafeTensors.write(f, m, null, SafeTensors.Precision.F16);
        SafeTensors.write(full, m, null);
        SafeTensors.Contents c = SafeTensors.read(f);
        float[] back = c.tensors().get("w").data();
        for (int i = 0; i < w.length; i++) {
            // round to nearest: half an ulp of an 11-bit significand, or half the smallest subnormal step
            double tol = Math.max(Math.abs(w[i]) * 0x1p-11, 0x1p-25);
            assertEquals(w[i], back[i], tol, "element " + i);
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(w[i])), back[i], 0f, "IEEE round to nearest even");
        }
        assertArrayEquals(new float[] {1f, 7e4f}, c.tensors().get("big").data(), 0f);
        String header = new String(Files.readAllBytes(f), 8, 200, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"w\":{\"dtype\":\"F16\"") && header.contains("\"big\":{\"dtype\":\"F32\""), header);
        long saved = Files.size(full) - Files.size(f);
        assertEquals(2 * 1000, saved, 16, "two bytes fewer per half-precision value (header aside)");
    }

    @Test
    void readsOtherDtypes() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 * 2 + 2 * 2 + 2 * 2 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(1.5).putDouble(-1e-3);
        d.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-3f));
        d.putShort((short) (Float.floatToIntBits(2.5f) >>> 16)).putShort((short) (Float.floatToIntBits(-0.15625f) >>> 16));
        d.putLong(-42);
        d.putInt(123456);
        String h = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[20,24]},"
                + "\"d\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]},"
                + "\"e\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[32,36]}}";
        Map<String, Tensor> t = SafeTensors.read(raw("x.safetensors", h, d.array())).tensors();
        assertArrayEquals(new float[] {1.5f, -1e-3f}, t.get("a").data(), 0f);
        assertArrayEquals(new float[] {0.5f, -3f}, t.get("b").data(), 0f);
        assertArrayEquals(new float[] {2.5f, -0.15625f}, t.get("c").data(), 0f);
        assertArrayEquals(new int[] {1, 2}, t.get("c").shape());
        assertArrayEquals(new float[] {-42f}, t.get("d").data(), 0f);
        assertArrayEquals(new int[0], t.get("d").shape());
        assertArrayEquals(new float[] {123456f}, t.get("e").data(), 0f);
    }

    private void assertCorrupt(Path p, String fragment) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void corruptFilesGiveClearErrors() throws IOException {
        byte[] eight = new byte[8];
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertCorrupt(tiny, "shorter than the 8-byte header length");
        // Header length larger than the file (a truncated download).
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, sample(), null);
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(all, 20));
        assertCorrupt(cut, "does not fit in the file");
        // Truncated data section: offsets then run past the end.
        Path shortData = dir.resolve("short");
        Files.write(shortData, java.util.Arrays.copyOf(all, all.length - 4));
        assertCorrupt(shortData, "out of range");
        assertCorrupt(raw("json", "{\"a\":{\"dtype\":\"F32\",", eight), "not valid JSON");
        assertCorrupt(raw("notobj", "[1,2]", eight), "not a JSON object");
        assertCorrupt(raw("range", ok.replace("[0,8]", "[0,16]"), eight), "out of range");
        assertCorrupt(raw("backwards", ok.replace("[0,8]", "[8,0]"), eight), "out of range");
        assertCorrupt(raw("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight), "overlap");
        assertCorrupt(raw("dtype", ok.replace("F32", "C64"), eight), "unsupported dtype C64");
        assertCorrupt(raw("size", ok.replace("[2]", "[3]"), eight), "needs 12 bytes but data_offsets span 8");
        assertCorrupt(raw("shape", ok.replace("[2]", "[-2]"), eight), "shape has invalid entry");
        assertCorrupt(raw("noshape", ok.replace("\"shape\":[2],", ""), eight), "shape must be an array");
        assertCorrupt(raw("meta", "{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ value");
    }

    /** A small model with two submodules. */
    private static final class Net extends Module {
        Net(long seed, int hidden) {
            SplittableRandom rng = new SplittableRandom(seed);
            addModule("enc", new FcStack(3, hidden, 2, rng));
            addModule("out", new Dense(hidden, 2, rng));
        }
    }

    @Test
    void moduleSaveAndStrictLoad() throws IOException {
        Path f = dir.resolve("net.safetensors");
        Net a = new Net(1, 5);
        a.save(f);
        Net b = new Net(2, 5);
        b.load(f);
        for (String k : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(k).data(), b.namedParameters().get(k).data(), 0f, k);
        }
        Net wrongShape = new Net(3, 6);
        float before = wrongShape.namedParameters().get("out.b").data()[0] + 1f;
        wrongShape.namedParameters().get("out.b").data()[0] = before;  // out.b matches in shape: must stay untouched
        IOException e = assertThrows(IOException.class, () -> wrongShape.load(f));
        assertTrue(e.getMessage().contains("enc.0.dense.w (file [3, 5], module [3, 6])"), e.getMessage());
        assertEquals(before, wrongShape.namedParameters().get("out.b").data()[0]);  // nothing copied on error
        LinkedHashMap<String, Tensor> partial = new LinkedHashMap<>(a.namedParameters());
        partial.remove("out.b");
        partial.put("extra.x", Tensor.zeros(1));
        SafeTensors.write(f, partial, null);
        IOException e2 = assertThrows(IOException.class, () -> b.load(f));
        assertTrue(e2.getMessage().contains("missing [out.b]") && e2.getMessage().contains("unexpected [extra.x]"), e2.getMessage());
    }

    @Test
    void pythonCanReadOurFiles() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "numpy not installed");
        Path f = dir.resolve("py.safetensors");
        SafeTensors.write(f, sample(), Map.of("format", "ddsp4j"));
        // A minimal independent reader: struct + json + numpy.frombuffer, as the format spec describes.
        String script = String.join("\n",
                "import json, struct, sys, numpy as np",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "assert n % 8 == 0, n",
                "h = json.loads(b[8:8 + n].decode('utf-8'))",
                "data = b[8 + n:]",
                "meta = h.pop('__metadata__')",
                "out = [meta['format']]",
                "for k, v in h.items():",
                "    s, e = v['data_offsets']",
                "    a = np.frombuffer(data[s:e], dtype='<f4').reshape(v['shape'])",
                "    out.append('%s %s %s %r' % (k, v['dtype'], list(a.shape), float(a.sum(dtype=np.float64))))",
                "print(';'.join(out))");
        Process p = new ProcessBuilder(python.toString(), "-c", script, f.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), output);
        StringBuilder expected = new StringBuilder("ddsp4j");
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            double s = 0;
            for (float v : e.getValue().data()) s += v;
            expected.append(';').append(e.getKey()).append(" F32 ").append(shapeList(e.getValue().shape())).append(' ').append(pyRepr(s));
        }
        assertEquals(expected.toString(), output);
    }

    private static String shapeList(int[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
        return b.append(']').toString();
    }

    /** Python's repr of a float: shortest round-trip digits, like Java's Double.toString but 'e' style. */
    private static String pyRepr(double d) {
        String j = Double.toString(d);
        if (j.contains("E")) {
            String[] parts = j.split("E");
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exp = Integer.parseInt(parts[1]);
            if (exp >= -4 && exp < 16) return new java.math.BigDecimal(d).stripTrailingZeros().toPlainString();
            return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return j;
    }
}
