package org.ddsp4j.data;

import static org.ddsp4j.data.TFRecordTest.ascii;
import static org.ddsp4j.data.TFRecordTest.concat;
import static org.ddsp4j.data.TFRecordTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** tf.train.Example encoding and decoding against bytes written out by hand from the protobuf spec. */
class TfExampleTest {
    /**
     * Example{features{feature{key:"f" value{float_list{value:[1.0, -2.5]}}}}}, written out by hand:
     * floats 1.0 = 0x3F800000, -2.5 = 0xC0200000, little-endian, packed (tag 0x0A, length 8).
     */
    private static final byte[] FLOATS_PACKED = hex(
            "0a 13"          // Example.features (field 1, LEN), 19 bytes
            + " 0a 11"       // Features.feature map entry (field 1, LEN), 17 bytes
            + " 0a 01 66"    // entry.key = "f"
            + " 12 0c"       // entry.value (field 2, LEN), 12 bytes
            + " 12 0a"       // Feature.float_list (field 2, LEN), 10 bytes
            + " 0a 08 00 00 80 3f 00 00 20 c0"); // FloatList.value packed: 8 bytes

    @Test
    void encodesFloatListExactlyAsTheSpecSays() {
        byte[] enc = new TfExample().putFloats("f", new float[] {1.0f, -2.5f}).toBytes();
        assertArrayEquals(FLOATS_PACKED, enc);
    }

    @Test
    void decodesHandEncodedPackedFloats() {
        assertArrayEquals(new float[] {1.0f, -2.5f}, TfExample.parse(FLOATS_PACKED).getFloats("f"));
    }

    @Test
    void decodesUnpackedFloatsAndInts() {
        // float_list with two unpacked values (tag 0x0D = field 1, wire type 5 each).
        // 3 floats x 5 bytes = 15-byte list; feature = 2 + 15 = 17; entry = 3 + 2 + 17 = 22; features = 24.
        byte[] floats = hex("0a 18 0a 16 0a 01 66 12 11 12 0f 0d 00 00 80 3f 0d 00 00 20 c0 0d 00 00 00 00");
        assertArrayEquals(new float[] {1.0f, -2.5f, 0f}, TfExample.parse(floats).getFloats("f"));

        // int64_list with unpacked varints 1, 300 (0xAC 0x02) and -1 (ten bytes).
        byte[] ints = hex("0a 19 0a 17 0a 01 69 12 12 1a 10 08 01 08 ac 02 08 ff ff ff ff ff ff ff ff ff 01");
        assertArrayEquals(new long[] {1, 300, -1}, TfExample.parse(ints).getInt64s("i"));
    }

    @Test
    void encodesInt64AndBytesLists() {
        TfExample ex = new TfExample().putInt64s("i", 1, 300, -1).putStrings("s", "ab", "");
        byte[] expected = hex("0a 27"
                + " 0a 16 0a 01 69 12 11 1a 0f 0a 0d 01 ac 02 ff ff ff ff ff ff ff ff ff 01" // i: packed varints
                + " 0a 0d 0a 01 73 12 08 0a 06 0a 02 61 62 0a 00");                       // s: bytes "ab", ""
        assertArrayEquals(expected, ex.toBytes());
        TfExample back = TfExample.parse(expected);
        assertArrayEquals(new long[] {1, 300, -1}, back.getInt64s("i"));
        assertEquals(2, back.getBytes("s").size());
        assertArrayEquals(ascii("ab"), back.getBytes("s").get(0));
        assertArrayEquals(new byte[0], back.getBytes("s").get(1));
    }

    @Test
    void roundTripsRandomExamples() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            TfExample ex = new TfExample();
            float[] f = new float[rnd.nextInt(3000)];
            for (int i = 0; i < f.length; i++) f[i] = (float) rnd.nextGaussian() * 100;
            long[] l = new long[rnd.nextInt(50)];
            for (int i = 0; i < l.length; i++) l[i] = rnd.nextLong() >> rnd.nextInt(64);
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            ex.putFloats("audio", f).putInt64s("ids", l).putBytes("blob", b, new byte[0]).putFloats("empty", new float[0]);
            ex.putStrings("name", "ünïcode ✓");
            TfExample back = TfExample.parse(ex.toBytes());
            assertEquals(ex, back);
            assertEquals(List.of("audio", "ids", "blob", "empty", "name"), List.copyOf(back.keys()));
            assertEquals("ünïcode ✓", new String(back.getBytes("name").getFirst(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void nanAndInfinitySurviveBitExactly() {
        float[] v = {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
        float[] back = TfExample.parse(new TfExample().putFloats("x", v).toBytes()).getFloats("x");
        for (int i = 0; i < v.length; i++) assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
    }

    @Test
    void skipsUnknownFieldsAtEveryLevel() {
        byte[] unknowns = concat(
                hex("10 96 01"),                 // Example field 2 varint 150
                hex("0a 28"),                    // Example.features, 40 bytes
                hex("15 01 02 03 04"),           // Features field 2, fixed32
                hex("0a 21"),                    // map entry, 33 bytes
                hex("19 01 02 03 04 05 06 07 08"), // entry field 3, fixed64
                hex("0a 01 66"),                 // key "f"
                hex("12 13"),                    // value, 19 bytes
                hex("22 03 61 62 63"),           // Feature field 4, LEN "abc"
                hex("12 0c"),                    // float_list, 12 bytes
                hex("10 05"),                    // FloatList field 2, varint
                hex("0a 08 00 00 80 3f 00 00 20 c0"), // packed floats
                hex("1a 00"));                   // Example field 3, empty LEN
        TfExample ex = TfExample.parse(unknowns);
        assertEquals(List.of("f"), List.copyOf(ex.keys()));
        assertArrayEquals(new float[] {1.0f, -2.5f}, ex.getFloats("f"));
    }

    @Test
    void repeatedFieldsMergeAsProtobufDoes() {
        // The same feature's float_list appears twice (concatenated), and features appears twice (merged map).
        byte[] twoLists = hex("0a 17 0a 15 0a 01 66 12 10 12 06 0a 04 00 00 80 3f 12 06 0a 04 00 00 20 c0"
                + " 0a 0c 0a 0a 0a 01 67 12 05 1a 03 0a 01 07");
        TfExample ex = TfExample.parse(twoLists);
        assertArrayEquals(new float[] {1.0f, -2.5f}, ex.getFloats("f"));
        assertArrayEquals(new long[] {7}, ex.getInt64s("g"));
    }

    @Test
    void malformedBytesGiveClearErrors() {
        assertMalformed(hex("0a 20 0a 01"), "runs past the end");                       // length beyond the buffer
        assertMalformed(hex("0a 05 0a 03 0a 01"), "runs past the end");                 // nested length beyond parent
        assertMalformed(hex("0a 0b 0a 09 0a 01 66 12 04 12 02 0a 03"), "runs past the end");
        assertMalformed(hex("0a 0c 0a 0a 0a 01 66 12 05 12 03 0a 01 00"), "not a multiple of 4");
        assertMalformed(hex("10 ff ff ff ff ff ff ff ff ff ff 01"), "longer than 10 bytes");
        assertMalformed(hex("00"), "invalid tag");
        assertMalformed(hex("13"), "groups are not supported");
        assertMalformed(hex("10"), "varint runs past the end");
        assertMalformed(hex("15 00 00"), "runs past the end");
        assertMalformed(hex("10 01 19"), "runs past the end");
        assertMalformed(hex("0a 05 0a 03 18 01 00"), "invalid tag");
        assertMalformed(hex("0a 02 08 01"), "wire type 0, expected 2");
    }

    @Test
    void wrongKindAndMissingKeyAreClear() {
        TfExample ex = new TfExample().putInt64s("n", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.getFloats("n"));
        assertTrue(e.getMessage().contains("'n' is a int64_list"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.getFloats("audio"));
        assertTrue(e.getMessage().contains("no feature 'audio'"), e.getMessage());
    }

    private static void assertMalformed(byte[] bytes, String fragment) {
        MalformedExampleException e = assertThrows(MalformedExampleException.class, () -> TfExample.parse(bytes));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith("malformed tf.train.Example at byte "), e.getMessage());
    }
}
