package org.ddsp4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.testing.Fuzzer;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#parse} on mutated documents: it returns a value or throws {@link Json.ParseException}
 * (with the position), nothing else; whatever it returns writes back and reads back equal.
 */
class JsonFuzzTest {
    static final List<String> SEEDS = List.of(
            """
            {
              "name": "tiny",
              "audio": { "sample_rate": 16000, "frame_rate": 250, "example_seconds": 4, "example_hop_seconds": 1 },
              "decoder": { "hidden": 256, "layers_per_stack": 1, "leaky_slope": 0.2, "layer_norm_eps": 0.001 },
              "loss": { "fft_sizes": [2048, 1024, 512, 256, 128, 64], "overlap": 0.75, "mag_weight": 1.0 },
              "train": { "learning_rate": 1e-3, "clip_norm": 3.0, "warmup_steps": 0, "seed": 1 },
              "encoder": { "type": "none", "flag": true, "off": false, "none": null }
            }""",
            "{\"__metadata__\":{\"step\":\"12\",\"note\":\"\\u00fc \\\"q\\\"\"},\"decoder.w\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                    + "\"data_offsets\":[0,24]},\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}}",
            "[-0.125E-1, 9007199254740993, \"esc \\\\ \\/ \\b\\f\\n\\r\\t \\ud834\\udd1e\", [[[]]], {}, \"\"]",
            "{\"loudness_db\": {\"mean\": -41.5, \"std\": 12.25, \"histogram\": [0, 3, 17, 42, 5]}, \"f0_hz\": {\"min\": 55.0}}");

    static Fuzzer fuzzer() {
        List<byte[]> seeds = new ArrayList<>();
        for (String s : SEEDS) seeds.add(s.getBytes(StandardCharsets.UTF_8));
        return Fuzzer.of("json", seeds).text()
                .dictionary("{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "true", "null", "-", "e+", ".",
                        "\u00ff", "\u0001", "{\"a\":", "[[[[[[[[[[[[[[[[")
                .expect(e -> e instanceof Json.ParseException);
    }

    /** What the parser returns is a value the writer accepts and that reads back the same. */
    static void parseAndRoundTrip(byte[] input) {
        Object v = Json.parse(new String(input, StandardCharsets.UTF_8));
        assertEquals(v, Json.parse(Json.write(v)), "round trip");
    }

    @Test
    void mutatedDocuments() {
        fuzzer().iterations(20000).run(JsonFuzzTest::parseAndRoundTrip);
    }

    /** Found by this fuzzer: a number too large for a double was read as Infinity, which the writer refuses. */
    @Test
    void outOfRangeNumberIsAParseError() {
        for (String doc : new String[] {"1e400", "[-1e400]", "{\"a\": 2e308}"}) {
            Throwable e = fuzzer().check(doc, doc.getBytes(StandardCharsets.UTF_8), JsonFuzzTest::parseAndRoundTrip);
            assertInstanceOf(Json.ParseException.class, e, doc);
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
        assertEquals(0.0, Json.parse("1e-400")); // underflow to zero is fine
    }

    /** Found by this fuzzer: -0 was written as 0, so it did not read back the same. */
    @Test
    void negativeZeroRoundTrips() {
        fuzzer().check("-0", "[-0, -0.0, 0]".getBytes(StandardCharsets.UTF_8), JsonFuzzTest::parseAndRoundTrip);
        assertEquals("[-0,0]", Json.write(List.of(-0.0, 0.0)));
    }

    /** Deep nesting stops at {@link Json#MAX_DEPTH} with a parse error, not a stack overflow. */
    @Test
    void deepNestingIsAParseError() {
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        assertInstanceOf(Json.ParseException.class, fuzzer().check("deep", deep, JsonFuzzTest::parseAndRoundTrip));
    }
}
