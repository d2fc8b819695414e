package org.ddsp4j.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A small JSON (RFC 8259) reader and writer for weight-file headers and model configs.
 *
 * <p>Parsing gives {@code Map<String, Object>} (a {@link LinkedHashMap} in document order),
 * {@code List<Object>}, {@code String}, {@code Double} (every number; integers are exact up to
 * 2^53), {@code Boolean} and {@code null}. Duplicate keys, trailing commas, comments, leading
 * zeros, NaN, numbers beyond the range of a double and text after the value are errors
 * ({@link ParseException}, with the character position, line and column).
 *
 * <p>Writing accepts maps with string keys (kept in order for {@link LinkedHashMap} and
 * {@link SortedMap}, sorted otherwise so output is stable), collections, {@code int[]},
 * {@code long[]}, {@code float[]}, {@code double[]}, strings, numbers, booleans and null. Integral
 * numbers below 2^53 are written without a fraction ({@code 3}, not {@code 3.0}); NaN and
 * infinities are rejected.
 */
public final class Json {
    /** Maximum nesting depth accepted by the parser (guards the stack against hostile input). */
    public static final int MAX_DEPTH = 512;

    /** Malformed JSON; {@link #position()} is the 0-based character offset of the problem. */
    public static final class ParseException extends IllegalArgumentException {
        private final int position;

        ParseException(String message, String text, int position) {
            super(message + " at " + where(text, position));
            this.position = position;
        }

        public int position() {
            return position;
        }

        private static String where(String text, int pos) {
            int line = 1, col = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return "position " + pos + " (line " + line + ", column " + col + ")";
        }
    }

    private Json() {}

    // ------------------------------------------------------------------------------------- parse

    /** Parses one JSON value filling the whole of {@code text} (surrounding whitespace allowed). */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos < text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "' after the value");
        return v;
    }

    /** Parses a JSON object (e.g. a config file); anything else is a {@link ParseException}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new ParseException("expected a JSON object, got " + typeName(v), text, 0);
        return (Map<String, Object>) v;
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v instanceof List ? "an array" : v instanceof String ? "a string"
                : v instanceof Double ? "a number" : v instanceof Boolean ? "a boolean" : "an object";
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        ParseException error(String msg) {
            return new ParseException(msg, s, pos);
        }

        void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            if (pos >= s.length()) throw error("unexpected end of input, expected a value");
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth);
                case '[': return array(depth);
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected '" + c + "', expected a value");
            }
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("invalid literal, expected '" + word + "'");
            pos += word.length();
            return v;
        }

        Map<String, Object> object(int depth) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("expected a string key");
                int keyPos = pos;
                String k = string();
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') throw error("expected ':' after key \"" + k + "\"");
                pos++;
                skipWs();
                Object v = value(depth + 1);
                if (m.containsKey(k)) throw new ParseException("duplicate key \"" + k + "\"", s, keyPos);
                m.put(k, v);
                skipWs();
                if (pos >= s.length()) throw error("unexpected end of input in an object, expected ',' or '}'");
                char c = s.charAt(pos++);
                if (c == '}') return m;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}' in an object, got '" + c + "'");
                }
            }
        }

        List<Object> array(int depth) {
            List<Object> a = new ArrayList<>();
            pos++;
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return a;
            }
            while (true) {
                skipWs();
                a.add(value(depth + 1));
                skipWs();
                if (pos >= s.length()) throw error("unexpected end of input in an array, expected ',' or ']'");
                char c = s.charAt(pos++);
                if (c == ']') return a;
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']' in an array, got '" + c + "'");
                }
            }
        }

        String string() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw new ParseException("unterminated string", s, start);
                char c = s.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c < 0x20) {
                    pos--;
                    throw error("control character U+" + String.format("%04X", (int) c) + " in a string must be escaped");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) throw new ParseException("unterminated string", s, start);
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("truncated \\u escape");
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                pos += i;
                                throw error("invalid hex digit '" + s.charAt(pos) + "' in \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        pos += 4;
                        sb.append((char) cp);  // surrogate pairs arrive as two escapes
                    }
                    default -> {
                        pos -= 2;
                        throw error("invalid escape '\\" + e + "'");
                    }
                }
            }
        }

        Double number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("truncated number");
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
                if (pos < s.length() && Character.isDigit(s.charAt(pos))) throw error("leading zeros are not allowed");
            } else if (c >= '1' && c <= '9') {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            } else {
                throw error("expected a digit");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit after '.'");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            double d = Double.parseDouble(s.substring(start, pos));
            if (Double.isInfinite(d)) {
                int end = pos;
                pos = start;
                throw error("number " + (end - start > 40 ? s.substring(start, start + 37) + "..." : s.substring(start, end))
                        + " is out of range of a double (magnitude above 1.8e308)");
            }
            return d;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    // ------------------------------------------------------------------------------------- write

    /** Compact JSON for {@code value}. */
    public static String write(Object value) {
        return write(value, false);
    }

    /** JSON for {@code value}; {@code pretty} puts members on their own lines, indented by two spaces. */
    public static String write(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, pretty, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, boolean pretty, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            quote(sb, str);
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Number n) {
            number(sb, n);
        } else if (v instanceof Map<?, ?> m) {
            Map<?, ?> ordered = m instanceof LinkedHashMap || m instanceof SortedMap ? m : sortedCopy(m);
            if (ordered.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ordered.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                if (!first) sb.append(',');
                first = false;
                newline(sb, pretty, indent + 1);
                quote(sb, k);
                sb.append(pretty ? ": " : ":");
                write(sb, e.getValue(), pretty, indent + 1);
            }
            newline(sb, pretty, indent);
            sb.append('}');
        } else {
            List<Object> items = asList(v);
            if (items == null) throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            // Arrays of numbers stay on one line even when pretty (shapes, offsets).
            boolean flat = !pretty || items.stream().allMatch(o -> o instanceof Number);
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) sb.append(flat && pretty ? ", " : ",");
                if (!flat) newline(sb, true, indent + 1);
                write(sb, items.get(i), pretty, indent + 1);
            }
            if (!flat) newline(sb, true, indent);
            sb.append(']');
        }
    }

    private static Map<?, ?> sortedCopy(Map<?, ?> m) {
        TreeMap<String, Object> t = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            t.put(k, e.getValue());
        }
        return t;
    }

    private static List<Object> asList(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof Collection<?> c) out.addAll(c);
        else if (v instanceof Object[] a) out.addAll(List.of(a));
        else if (v instanceof int[] a) for (int x : a) out.add(x);
        else if (v instanceof long[] a) for (long x : a) out.add(x);
        else if (v instanceof float[] a) for (float x : a) out.add(x);
        else if (v instanceof double[] a) for (double x : a) out.add(x);
        else return null;
        return out;
    }

    private static void newline(StringBuilder sb, boolean pretty, int indent) {
        if (!pretty) return;
        sb.append('\n');
        for (int i = 0; i < indent; i++) sb.append("  ");
    }

    private static void number(StringBuilder sb, Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            sb.append(n.longValue());
            return;
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot represent " + d);
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            sb.append("-0"); // keeps the sign, reads back as -0.0
        } else if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
            sb.append((long) d);
        } else if (n instanceof Float f) {
            sb.append(Float.toString(f));  // shortest digits that read back as the same float
        } else {
            sb.append(Double.toString(d));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
