package org.ddsp4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;

/**
 * The safetensors weight format (huggingface/safetensors), so Python can open our weights:
 * <pre>
 *   u64 little-endian N | N bytes of UTF-8 JSON header | raw little-endian tensor data
 *   header: {"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [..],
 *            "data_offsets": [begin, end]}, ...}   (offsets relative to the data section)
 * </pre>
 * The header is padded with spaces so the data starts at a multiple of 8 bytes, as the reference
 * writer does. Writing produces F32, or F16 ({@link Precision#F16}: half the size, for shipped
 * models), tensors packed in the given order, atomically ({@link AtomicFiles}). Reading accepts F32, F64, F16, BF16, I64, I32, I16, I8 and U8, converted to
 * float, and validates everything: any problem is an {@link IOException} naming the file and what
 * is wrong.
 */
public final class SafeTensors {
    /** What a file holds: tensors in header order and the {@code __metadata__} strings. */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    private static final int ALIGN = 8;

    private SafeTensors() {}

    /** How tensors are stored when written. */
    public enum Precision {
        /** float32, exact. */
        F32,
        /**
         * IEEE half precision (11-bit significand, relative rounding error <= 2^-11), round to nearest even; a
         * tensor with a value beyond the half range (|v| > 65504) or a non-finite one stays F32, so nothing
         * overflows to infinity.
         */
        F16
    }

    /** The largest finite half-precision value. */
    private static final float HALF_MAX = 65504f;

    /** Writes {@code tensors} (as F32) and {@code metadata} (may be null or empty) to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, Precision.F32);
    }

    /** Writes {@code tensors} at {@code precision} and {@code metadata} (may be null or empty) to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Precision precision)
            throws IOException {
        LinkedHashMap<String, Object> header = new LinkedHashMap<>();
        List<Boolean> halves = new ArrayList<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new java.util.TreeMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            Tensor t = e.getValue();
            boolean half = precision == Precision.F16 && fitsHalf(t.data());
            halves.add(half);
            LinkedHashMap<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", half ? "F16" : "F32");
            entry.put("shape", t.shape());
            long end = offset + (half ? 2L : 4L) * t.size();
            entry.put("data_offsets", new long[] {offset, end});
            header.put(e.getKey(), entry);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGN - 1) / ALIGN * ALIGN;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            int k = 0;
            for (Tensor t : tensors.values()) {
                boolean half = halves.get(k++);
                for (float f : t.data()) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    if (half) buf.putShort(Float.floatToFloat16(f));
                    else buf.putFloat(f);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    private static boolean fitsHalf(float[] v) {
        for (float f : v) if (!(Math.abs(f) <= HALF_MAX)) return false;
        return true;
    }

    /** Reads every tensor of {@code file}, converted to float32. */
    public static Contents read(Path file) throws IOException {
        ByteBuffer bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            if (size > Integer.MAX_VALUE) throw bad(file, "file is " + size + " bytes; files over 2 GiB are not supported");
            bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining()) {
                if (ch.read(bytes) < 0) throw bad(file, "file ended while reading");
            }
            bytes.flip();
        }
        return parse(file, bytes.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static IOException bad(Path file, String problem) {
        return new IOException("corrupt safetensors file " + file + ": " + problem);
    }

    private static Contents parse(Path file, ByteBuffer b) throws IOException {
        long size = b.limit();
        long n = b.getLong(0);
        if (n < 2 || n > size - 8) {
            throw bad(file, "header length " + Long.toUnsignedString(n) + " does not fit in the file of " + size
                    + " bytes (truncated or not a safetensors file)");
        }
        int dataStart = 8 + (int) n;
        String text = new String(b.array(), 8, (int) n, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.ParseException e) {
            throw bad(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) throw bad(file, "header is not a JSON object");
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) throw bad(file, "__metadata__ must be an object of strings");
                for (Map.Entry<?, ?> me : meta.entrySet()) {
                    if (!(me.getValue() instanceof String sv)) throw bad(file, "__metadata__ value for \"" + me.getKey() + "\" is not a string");
                    metadata.put((String) me.getKey(), sv);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw bad(file, "entry \"" + name + "\" is not an object");
            String dtype = info.get("dtype") instanceof String s ? s : null;
            if (dtype == null) throw bad(file, "tensor \"" + name + "\" has no dtype");
            int width = width(dtype);
            if (width < 0) {
                throw bad(file, "tensor \"" + name + "\" has unsupported dtype " + dtype
                        + " (supported: F32, F64, F16, BF16, I64, I32, I16, I8, U8)");
            }
            int[] shape = intList(file, name, "shape", info.get("shape"), -1);
            long[] off = longPair(file, name, info.get("data_offsets"));
            if (off[0] > off[1] || off[1] > dataLen) {
                throw bad(file, "tensor \"" + name + "\" data_offsets [" + off[0] + ", " + off[1]
                        + "] out of range for a data section of " + dataLen + " bytes");
            }
            long numel = numel(shape);
            if (numel > Integer.MAX_VALUE) {
                throw bad(file, "tensor \"" + name + "\" shape " + Arrays.toString(shape)
                        + " has more than 2^31-1 elements, more than one array can hold");
            }
            if (numel * width != off[1] - off[0]) {
                throw bad(file, "tensor \"" + name + "\" shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                        + numel * width + " bytes but data_offsets span " + (off[1] - off[0]));
            }
            ranges.add(new long[] {off[0], off[1], tensors.size()});
            float[] data = decode(b, dataStart + (int) off[0], (int) numel, dtype);
            tensors.put(name, Tensor.of(data, shape));
        }
        ranges.sort((x, y) -> Long.compare(x[0], y[0]));
        List<String> names = new ArrayList<>(tensors.keySet());
        for (int i = 1; i < ranges.size(); i++) {
            long[] p = ranges.get(i - 1), q = ranges.get(i);
            if (q[0] < p[1]) {
                throw bad(file, "tensors \"" + names.get((int) p[2]) + "\" [" + p[0] + ", " + p[1] + ") and \""
                        + names.get((int) q[2]) + "\" [" + q[0] + ", " + q[1] + ") overlap");
            }
        }
        return new Contents(tensors, Collections.unmodifiableMap(metadata));
    }

    /** Elements of {@code shape} (entries >= 0), or {@code Long.MAX_VALUE} when over 2^31-1 (no overflow). */
    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) if (d == 0) return 0;
        for (int d : shape) {
            n *= d; // both factors < 2^31: no overflow
            if (n > Integer.MAX_VALUE) return Long.MAX_VALUE;
        }
        return n;
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "I8", "U8" -> 1;
            default -> -1;
        };
    }

    private static float[] decode(ByteBuffer b, int at, int n, String dtype) {
        float[] out = new float[n];
        switch (dtype) {
            case "F32" -> b.slice(at, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case "F64" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(at + 8 * i); }
            case "F16" -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(b.getShort(at + 2 * i)); }
            case "BF16" -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(at + 2 * i) & 0xffff) << 16); }
            case "I64" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getLong(at + 8 * i); }
            case "I32" -> { for (int i = 0; i < n; i++) out[i] = (float) b.getInt(at + 4 * i); }
            case "I16" -> { for (int i = 0; i < n; i++) out[i] = b.getShort(at + 2 * i); }
            case "I8" -> { for (int i = 0; i < n; i++) out[i] = b.get(at + i); }
            case "U8" -> { for (int i = 0; i < n; i++) out[i] = b.get(at + i) & 0xff; }
            default -> throw new IllegalStateException(dtype);
        }
        return out;
    }

    private static int[] intList(Path file, String name, String field, Object v, int expectLen) throws IOException {
        if (!(v instanceof List<?> l) || (expectLen >= 0 && l.size() != expectLen)) {
            throw bad(file, "tensor \"" + name + "\" " + field + " must be an array"
                    + (expectLen >= 0 ? " of " + expectLen + " integers" : " of integers") + ", got " + v);
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Double d) || d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
                throw bad(file, "tensor \"" + name + "\" " + field + " has invalid entry " + l.get(i));
            }
            out[i] = (int) (double) d;
        }
        return out;
    }

    private static long[] longPair(Path file, String name, Object v) throws IOException {
        if (!(v instanceof List<?> l) || l.size() != 2) {
            throw bad(file, "tensor \"" + name + "\" data_offsets must be [begin, end], got " + v);
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            if (!(l.get(i) instanceof Double d) || d != Math.rint(d) || d < 0 || d > 9.007199254740992E15) {
                throw bad(file, "tensor \"" + name + "\" data_offsets has invalid entry " + l.get(i));
            }
            out[i] = (long) (double) d;
        }
        return out;
    }
}
