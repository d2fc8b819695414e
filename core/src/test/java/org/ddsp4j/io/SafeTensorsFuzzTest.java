package org.ddsp4j.io;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;
import org.ddsp4j.testing.Fuzzer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafeTensors#read} on mutated files: tensors, or an {@link IOException} naming the file;
 * never another exception, a hang or an allocation beyond what the file holds. Two runs: the whole
 * file (header length, JSON, data), and the JSON header alone with a correct length prefix.
 */
class SafeTensorsFuzzTest {
    @TempDir
    Path dir;
    Path file;

    /** 512 bytes of data (every dtype's values) that all header seeds point into. */
    static final byte[] DATA = new byte[512];

    static {
        for (int i = 0; i < DATA.length; i++) DATA[i] = (byte) (i * 37 + 11);
    }

    static final List<String> HEADERS = List.of(
            "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[4,8],\"data_offsets\":[0,128]},"
                    + "\"b\":{\"dtype\":\"F64\",\"shape\":[8],\"data_offsets\":[128,192]}}",
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2,4],\"data_offsets\":[0,32]},\"bf\":{\"dtype\":\"BF16\",\"shape\":[16],"
                    + "\"data_offsets\":[32,64]},\"i\":{\"dtype\":\"I64\",\"shape\":[1,4],\"data_offsets\":[64,96]}}",
            "{\"a\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]},\"s\":{\"dtype\":\"I16\",\"shape\":[],"
                    + "\"data_offsets\":[12,14]},\"u\":{\"dtype\":\"U8\",\"shape\":[0,5],\"data_offsets\":[14,14]},"
                    + "\"c\":{\"dtype\":\"I8\",\"shape\":[498],\"data_offsets\":[14,512]}}");

    @BeforeEach
    void setUp() {
        file = dir.resolve("weights.safetensors");
    }

    static byte[] withHeader(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    static List<byte[]> fileSeeds(Path dir) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String h : HEADERS) seeds.add(withHeader(h.getBytes(StandardCharsets.UTF_8), DATA));
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("decoder.w", Tensor.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}, 2, 3));
        t.put("scalar", Tensor.scalar(7.25f));
        t.put("empty", Tensor.zeros(0, 4));
        Path f = dir.resolve("seed.safetensors");
        SafeTensors.write(f, t, Map.of("step", "12"));
        seeds.add(Files.readAllBytes(f));
        return seeds;
    }

    Fuzzer fuzzer(String name, List<byte[]> seeds) {
        return Fuzzer.of(name, seeds)
                .expect(e -> e instanceof IOException && e.getMessage().contains(file.toString()));
    }

    void read(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        SafeTensors.read(file);
    }

    @Test
    void mutatedFiles() throws IOException {
        fuzzer("safetensors", fileSeeds(dir)).dictionary("\"F32\"", "\"BF16\"", "\"U8\"", "__metadata__", "data_offsets")
                .iterations(3000).run(this::read);
    }

    @Test
    void mutatedHeaders() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String h : HEADERS) seeds.add(h.getBytes(StandardCharsets.UTF_8));
        fuzzer("safetensors header", seeds).text()
                .dictionary("\"F32\"", "\"F64\"", "\"BF16\"", "\"I8\"", "\"C64\"", "[]", "[0]", "null", "{}", ",", "\"shape\"",
                        "\"dtype\"", "\"data_offsets\"", "\"__metadata__\"", "[2147483647,2147483647]")
                .iterations(3000).run(h -> read(withHeader(h, DATA)));
    }

    /**
     * Found by this fuzzer's regression set: a shape whose element count overflows a long (here
     * 2^30 * 2^30 * 16 = 2^64, i.e. 0) passed the size check with an empty data range.
     */
    @Test
    void shapeWhoseSizeOverflowsIsRefused() {
        String h = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824,16],\"data_offsets\":[0,0]}}";
        Throwable e = fuzzer("overflow", List.of(new byte[1]))
                .check("2^64 elements", withHeader(h.getBytes(StandardCharsets.UTF_8), DATA), this::read);
        assertInstanceOf(IOException.class, e);
        assertTrue(e.getMessage().contains("more than 2^31-1 elements"), e.getMessage());
    }
}
