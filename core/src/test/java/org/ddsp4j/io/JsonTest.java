package org.ddsp4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, 0, -0.125E-1, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "e"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1.0, -2.5, 300.0, 0.0, -0.0125, true, false, null), m.get("a"));
        assertEquals(Map.of("c", "d"), m.get("b"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(9007199254740993.0, (Double) Json.parse("9007199254740993"), 2.0);
    }

    @Test
    void stringEscapesAndUnicode() {
        assertEquals("q\"b\\s/\b\f\n\r\t", Json.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é€", Json.parse("\"\\u00e9\\u20AC\""));
        assertEquals("\uD834\uDD1E", Json.parse("\"\\ud834\\udd1e\""));  // surrogate pair (G clef)
        assertEquals("raw ü 日本", Json.parse("\"raw ü 日本\""));
        String tricky = "a\"b\\c\n\u0001 ü \uD834\uDD1E";
        assertEquals(tricky, Json.parse(Json.write(tricky)));
        assertEquals("\"\\u0001\"", Json.write("\u0001"));
    }

    @Test
    void writesStableCompactAndPretty() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(1.5, 2.0, 3L));
        m.put("n", null);
        m.put("shape", new int[] {2, 3});
        assertEquals("{\"z\":1,\"a\":[1.5,2,3],\"n\":null,\"shape\":[2,3]}", Json.write(m));
        assertEquals("{\n  \"z\": 1,\n  \"a\": [1.5, 2, 3],\n  \"n\": null,\n  \"shape\": [2, 3]\n}", Json.write(m, true));
        HashMap<String, Object> h = new HashMap<>();
        for (String k : new String[] {"q", "b", "x", "a"}) h.put(k, true);
        assertEquals("{\"a\":true,\"b\":true,\"q\":true,\"x\":true}", Json.write(h));  // unordered maps get sorted
        assertEquals("[{\"k\":[]},{}]", Json.write(List.of(Map.of("k", List.of()), Map.of())));
        assertEquals("1.0E-5", Json.write(1e-5));
        assertEquals("0.1", Json.write(0.1f));
        assertEquals(1e-5, (Double) Json.parse(Json.write(1e-5)), 0);
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        Object round = Json.parse(Json.write(Json.parse("{\"x\":[1,{\"y\":\"z\"}],\"w\":-3.25}"), true));
        assertEquals(Json.parse("{\"x\":[1,{\"y\":\"z\"}],\"w\":-3.25}"), round);
    }

    private static void assertError(String text, int position, String fragment) {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(text), text);
        assertEquals(position, e.position(), "position for " + text + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void errorsNamePosition() {
        assertError("", 0, "end of input");
        assertError("{\"a\" 1}", 5, "expected ':'");
        assertError("[1, 2,]", 6, "expected a value");
        assertError("[1 2]", 3, "expected ',' or ']'");
        assertError("{\"a\":1,}", 7, "expected a string key");
        assertError("{\"a\":1, \"a\":2}", 8, "duplicate key");
        assertError("01", 1, "leading zeros");
        assertError("1.", 2, "after '.'");
        assertError("-", 1, "truncated number");
        assertError("1e+", 3, "exponent");
        assertError("\"abc", 0, "unterminated string");
        assertError("\"a\\x\"", 2, "invalid escape");
        assertError("\"\\u12g4\"", 5, "invalid hex digit");
        assertError("\"a\nb\"", 2, "control character");
        assertError("tru", 0, "expected 'true'");
        assertError("NaN", 0, "unexpected 'N'");
        assertError("{} x", 3, "after the value");
        assertError("[".repeat(600) + "]".repeat(600), 513, "nesting deeper");
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\n  \"a\": [1,\n  ]\n}"));
        assertTrue(e.getMessage().contains("line 3, column 3"), e.getMessage());
        assertThrows(Json.ParseException.class, () -> Json.parseObject("[1]"));
    }
}
