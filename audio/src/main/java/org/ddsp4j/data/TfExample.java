package org.ddsp4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code tf.train.Example}: a map from feature names to lists of floats, 64-bit integers or byte
 * strings, encoded and decoded by hand in the protobuf wire format so no protobuf library is needed.
 *
 * <pre>
 * message Example   { Features features = 1; }
 * message Features  { map&lt;string, Feature&gt; feature = 1; }      // map entry: key = 1, value = 2
 * message Feature   { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
 * message BytesList { repeated bytes value = 1; }
 * message FloatList { repeated float value = 1 [packed = true]; }
 * message Int64List { repeated int64 value = 1 [packed = true]; }
 * </pre>
 *
 * <p>{@link #toBytes()} writes packed lists, features in insertion order. {@link #parse(byte[])} also
 * accepts unpacked floats and integers, repeated and split fields (concatenated, as protobuf merges
 * them), and skips unknown fields; a feature with no kind set reads as an empty list of any type.
 * Arrays passed in and returned are not copied: do not modify them while the example is in use.
 */
public final class TfExample {
    /** One feature value. */
    public sealed interface Feature permits FloatList, Int64List, BytesList, NoneList {
        /** Number of values. */
        int size();
    }

    /** {@code float_list}: 32-bit floats. */
    public record FloatList(float[] values) implements Feature {
        public FloatList {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /** {@code int64_list}: 64-bit signed integers. */
    public record Int64List(long[] values) implements Feature {
        public Int64List {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /** {@code bytes_list}: byte strings. */
    public record BytesList(List<byte[]> values) implements Feature {
        public BytesList {
            values = List.copyOf(values);
        }

        @Override
        public int size() {
            return values.size();
        }
    }

    /** A {@code Feature} message with no kind set: TensorFlow reads it as an empty list of any type. */
    public record NoneList() implements Feature {
        @Override
        public int size() {
            return 0;
        }
    }

    private final Map<String, Feature> features = new LinkedHashMap<>();

    /** Sets {@code key} to a float list (replacing any previous value). */
    public TfExample putFloats(String key, float[] values) {
        features.put(checkKey(key), new FloatList(values));
        return this;
    }

    /** Sets {@code key} to an int64 list. */
    public TfExample putInt64s(String key, long... values) {
        features.put(checkKey(key), new Int64List(values));
        return this;
    }

    /** Sets {@code key} to a bytes list. */
    public TfExample putBytes(String key, List<byte[]> values) {
        features.put(checkKey(key), new BytesList(values));
        return this;
    }

    /** Sets {@code key} to a bytes list. */
    public TfExample putBytes(String key, byte[]... values) {
        return putBytes(key, Arrays.asList(values));
    }

    /** Sets {@code key} to a bytes list of UTF-8 strings. */
    public TfExample putStrings(String key, String... values) {
        List<byte[]> b = new ArrayList<>(values.length);
        for (String s : values) b.add(s.getBytes(StandardCharsets.UTF_8));
        return putBytes(key, b);
    }

    /** The feature names, in insertion (or parse) order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(features.keySet());
    }

    public boolean has(String key) {
        return features.containsKey(key);
    }

    /** The raw feature, or {@code null} when absent. */
    public Feature get(String key) {
        return features.get(key);
    }

    /** The float list of {@code key}; throws if it is absent or of another kind. */
    public float[] getFloats(String key) {
        Feature f = require(key);
        if (f instanceof FloatList(float[] v)) return v;
        if (f instanceof NoneList) return new float[0];
        throw wrongKind(key, f, "float_list");
    }

    /** The int64 list of {@code key}; throws if it is absent or of another kind. */
    public long[] getInt64s(String key) {
        Feature f = require(key);
        if (f instanceof Int64List(long[] v)) return v;
        if (f instanceof NoneList) return new long[0];
        throw wrongKind(key, f, "int64_list");
    }

    /** The bytes list of {@code key}; throws if it is absent or of another kind. */
    public List<byte[]> getBytes(String key) {
        Feature f = require(key);
        if (f instanceof BytesList(List<byte[]> v)) return v;
        if (f instanceof NoneList) return List.of();
        throw wrongKind(key, f, "bytes_list");
    }

    private Feature require(String key) {
        Feature f = features.get(key);
        if (f == null) {
            throw new IllegalArgumentException("tf.train.Example has no feature '" + key + "' (it has " + features.keySet() + ")");
        }
        return f;
    }

    private static IllegalArgumentException wrongKind(String key, Feature f, String wanted) {
        String kind = switch (f) {
            case FloatList x -> "float_list";
            case Int64List x -> "int64_list";
            case BytesList x -> "bytes_list";
            case NoneList x -> "none";
        };
        return new IllegalArgumentException("feature '" + key + "' is a " + kind + " of " + f.size()
                + " values, not a " + wanted);
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        return key;
    }

    // ---------------------------------------------------------------- encoding

    /** Serializes this example in the protobuf wire format. */
    public byte[] toBytes() {
        List<byte[]> keyBytes = new ArrayList<>(features.size());
        int[] payload = new int[features.size()];
        int[] entry = new int[features.size()];
        int featuresSize = 0;
        int i = 0;
        for (Map.Entry<String, Feature> e : features.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            keyBytes.add(k);
            payload[i] = payloadSize(e.getValue());
            int featureSize = e.getValue() instanceof NoneList ? 0 : 1 + varintSize(payload[i]) + payload[i];
            entry[i] = 1 + varintSize(k.length) + k.length + 1 + varintSize(featureSize) + featureSize;
            featuresSize += 1 + varintSize(entry[i]) + entry[i];
            i++;
        }
        byte[] out = new byte[1 + varintSize(featuresSize) + featuresSize];
        int p = 0;
        out[p++] = 0x0A; // Example.features, LEN
        p = putVarint(out, p, featuresSize);
        i = 0;
        for (Map.Entry<String, Feature> e : features.entrySet()) {
            byte[] k = keyBytes.get(i);
            Feature f = e.getValue();
            out[p++] = 0x0A; // Features.feature map entry, LEN
            p = putVarint(out, p, entry[i]);
            out[p++] = 0x0A; // entry key
            p = putVarint(out, p, k.length);
            System.arraycopy(k, 0, out, p, k.length);
            p += k.length;
            int featureSize = f instanceof NoneList ? 0 : 1 + varintSize(payload[i]) + payload[i];
            out[p++] = 0x12; // entry value
            p = putVarint(out, p, featureSize);
            p = putFeature(out, p, f, payload[i]);
            i++;
        }
        if (p != out.length) throw new IllegalStateException("encoded " + p + " bytes, expected " + out.length);
        return out;
    }

    /** Size of the list message inside a Feature. */
    private static int payloadSize(Feature f) {
        return switch (f) {
            case FloatList(float[] v) -> v.length == 0 ? 0 : 1 + varintSize(4L * v.length) + 4 * v.length;
            case Int64List(long[] v) -> {
                if (v.length == 0) yield 0;
                int n = 0;
                for (long x : v) n += varintSize(x);
                yield 1 + varintSize(n) + n;
            }
            case BytesList(List<byte[]> v) -> {
                int n = 0;
                for (byte[] b : v) n += 1 + varintSize(b.length) + b.length;
                yield n;
            }
            case NoneList x -> 0;
        };
    }

    private static int putFeature(byte[] out, int p, Feature f, int payloadSize) {
        switch (f) {
            case BytesList(List<byte[]> v) -> {
                out[p++] = 0x0A; // Feature.bytes_list
                p = putVarint(out, p, payloadSize);
                for (byte[] b : v) {
                    out[p++] = 0x0A;
                    p = putVarint(out, p, b.length);
                    System.arraycopy(b, 0, out, p, b.length);
                    p += b.length;
                }
            }
            case FloatList(float[] v) -> {
                out[p++] = 0x12; // Feature.float_list
                p = putVarint(out, p, payloadSize);
                if (v.length > 0) {
                    out[p++] = 0x0A; // packed value
                    p = putVarint(out, p, 4L * v.length);
                    ByteBuffer.wrap(out, p, 4 * v.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
                    p += 4 * v.length;
                }
            }
            case Int64List(long[] v) -> {
                out[p++] = 0x1A; // Feature.int64_list
                p = putVarint(out, p, payloadSize);
                if (v.length > 0) {
                    int n = 0;
                    for (long x : v) n += varintSize(x);
                    out[p++] = 0x0A;
                    p = putVarint(out, p, n);
                    for (long x : v) p = putVarint(out, p, x);
                }
            }
            case NoneList x -> { }
        }
        return p;
    }

    static int varintSize(long v) {
        return v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
    }

    static int putVarint(byte[] out, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Parses a serialized {@code tf.train.Example}.
     *
     * @throws MalformedExampleException if the bytes are not well-formed (message names the offset)
     */
    public static TfExample parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        TfExample ex = new TfExample();
        ProtoReader r = new ProtoReader(bytes, 0, bytes.length);
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag("Example");
            if (tag >>> 3 == 1) {
                expectLen(tag, at, "Example.features");
                int end = r.readLengthEnd("Example.features");
                parseFeatures(new ProtoReader(bytes, r.pos, end), ex.features);
                r.pos = end;
            } else {
                r.skip(tag & 7, tag >>> 3, "Example");
            }
        }
        return ex;
    }

    private static void parseFeatures(ProtoReader r, Map<String, Feature> out) {
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag("Features");
            if (tag >>> 3 != 1) {
                r.skip(tag & 7, tag >>> 3, "Features");
                continue;
            }
            expectLen(tag, at, "Features.feature");
            int end = r.readLengthEnd("Features.feature entry");
            ProtoReader e = new ProtoReader(r.buf, r.pos, end);
            String key = "";
            Feature value = new NoneList();
            while (!e.atEnd()) {
                int eat = e.pos;
                int etag = e.readTag("feature map entry");
                int field = etag >>> 3;
                if (field == 1) {
                    expectLen(etag, eat, "feature map key");
                    int kend = e.readLengthEnd("feature map key");
                    key = new String(e.buf, e.pos, kend - e.pos, StandardCharsets.UTF_8);
                    e.pos = kend;
                } else if (field == 2) {
                    expectLen(etag, eat, "feature map value '" + key + "'");
                    int vend = e.readLengthEnd("feature map value");
                    value = parseFeature(new ProtoReader(e.buf, e.pos, vend), key);
                    e.pos = vend;
                } else {
                    e.skip(etag & 7, field, "feature map entry");
                }
            }
            out.put(key, value);
            r.pos = end;
        }
    }

    private static Feature parseFeature(ProtoReader r, String key) {
        Feature result = new NoneList();
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag("Feature '" + key + "'");
            int field = tag >>> 3;
            if (field < 1 || field > 3) {
                r.skip(tag & 7, field, "Feature '" + key + "'");
                continue;
            }
            String what = "Feature '" + key + "' " + (field == 1 ? "bytes_list" : field == 2 ? "float_list" : "int64_list");
            expectLen(tag, at, what);
            int end = r.readLengthEnd(what);
            ProtoReader list = new ProtoReader(r.buf, r.pos, end);
            // A oneof member seen again is merged into the previous one; a different member replaces it.
            result = switch (field) {
                case 1 -> parseBytes(list, what, result instanceof BytesList b ? b : null);
                case 2 -> parseFloats(list, what, result instanceof FloatList f ? f : null);
                default -> parseInt64s(list, what, result instanceof Int64List l ? l : null);
            };
            r.pos = end;
        }
        return result;
    }

    private static BytesList parseBytes(ProtoReader r, String what, BytesList prev) {
        List<byte[]> values = prev == null ? new ArrayList<>() : new ArrayList<>(prev.values());
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag(what);
            if (tag >>> 3 != 1) {
                r.skip(tag & 7, tag >>> 3, what);
                continue;
            }
            expectLen(tag, at, what + " value");
            int end = r.readLengthEnd(what + " value");
            values.add(Arrays.copyOfRange(r.buf, r.pos, end));
            r.pos = end;
        }
        return new BytesList(values);
    }

    private static FloatList parseFloats(ProtoReader r, String what, FloatList prev) {
        float[] v = prev == null ? new float[0] : prev.values();
        int n = v.length;
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag(what);
            int field = tag >>> 3, wire = tag & 7;
            if (field != 1) {
                r.skip(wire, field, what);
            } else if (wire == ProtoReader.LEN) { // packed
                int end = r.readLengthEnd(what + " packed values");
                int bytes = end - r.pos;
                if (bytes % 4 != 0) {
                    throw ProtoReader.error(at, what + ": packed float data of " + bytes + " bytes is not a multiple of 4");
                }
                v = grow(v, n + bytes / 4);
                ByteBuffer.wrap(r.buf, r.pos, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, n, bytes / 4);
                n += bytes / 4;
                r.pos = end;
            } else if (wire == ProtoReader.I32) { // unpacked
                r.advance(4, at, what);
                v = grow(v, n + 1);
                v[n++] = Float.intBitsToFloat(TFRecordReader.getIntLE(r.buf, r.pos - 4));
            } else {
                throw ProtoReader.error(at, what + ": value has wire type " + wire + ", expected 2 (packed) or 5 (float)");
            }
        }
        return new FloatList(n == v.length ? v : Arrays.copyOf(v, n));
    }

    private static Int64List parseInt64s(ProtoReader r, String what, Int64List prev) {
        long[] v = prev == null ? new long[0] : prev.values();
        int n = v.length;
        while (!r.atEnd()) {
            int at = r.pos;
            int tag = r.readTag(what);
            int field = tag >>> 3, wire = tag & 7;
            if (field != 1) {
                r.skip(wire, field, what);
            } else if (wire == ProtoReader.LEN) { // packed
                int end = r.readLengthEnd(what + " packed values");
                ProtoReader packed = new ProtoReader(r.buf, r.pos, end);
                while (!packed.atEnd()) {
                    v = grow(v, n + 1);
                    v[n++] = packed.readVarint(what + " packed value");
                }
                r.pos = end;
            } else if (wire == ProtoReader.VARINT) { // unpacked
                v = grow(v, n + 1);
                v[n++] = r.readVarint(what + " value");
            } else {
                throw ProtoReader.error(at, what + ": value has wire type " + wire + ", expected 2 (packed) or 0 (varint)");
            }
        }
        return new Int64List(n == v.length ? v : Arrays.copyOf(v, n));
    }

    private static void expectLen(int tag, int at, String what) {
        if ((tag & 7) != ProtoReader.LEN) {
            throw ProtoReader.error(at, what + " has wire type " + (tag & 7) + ", expected 2 (length-delimited)");
        }
    }

    private static float[] grow(float[] v, int need) {
        return need <= v.length ? v : Arrays.copyOf(v, Math.max(need, v.length * 2));
    }

    private static long[] grow(long[] v, int need) {
        return need <= v.length ? v : Arrays.copyOf(v, Math.max(need, v.length * 2));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TfExample other) || !features.keySet().equals(other.features.keySet())) return false;
        for (Map.Entry<String, Feature> e : features.entrySet()) {
            if (!sameFeature(e.getValue(), other.features.get(e.getKey()))) return false;
        }
        return true;
    }

    private static boolean sameFeature(Feature a, Feature b) {
        return switch (a) {
            case FloatList(float[] v) -> b instanceof FloatList(float[] w) && Arrays.equals(v, w);
            case Int64List(long[] v) -> b instanceof Int64List(long[] w) && Arrays.equals(v, w);
            case BytesList(List<byte[]> v) -> {
                if (!(b instanceof BytesList(List<byte[]> w)) || v.size() != w.size()) yield false;
                for (int i = 0; i < v.size(); i++) if (!Arrays.equals(v.get(i), w.get(i))) yield false;
                yield true;
            }
            case NoneList x -> b instanceof NoneList;
        };
    }

    @Override
    public int hashCode() {
        return features.keySet().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TfExample{");
        features.forEach((k, f) -> sb.append(k).append(": ").append(f.getClass().getSimpleName())
                .append('[').append(f.size()).append("] "));
        return sb.append('}').toString();
    }
}
