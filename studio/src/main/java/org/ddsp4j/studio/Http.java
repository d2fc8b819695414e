package org.ddsp4j.studio;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ddsp4j.io.Json;

/**
 * JSON in and out of requests with core's {@link Json} (the project's one JSON library; Javalin's
 * Jackson-based mapper is not used), and the typed, range-checked reading of request fields.
 */
final class Http {
    /** The largest JSON body read (the page's requests are a few hundred bytes). */
    static final int MAX_JSON_BYTES = 64 << 10;

    private Http() {}

    /** Answers {@code value} as JSON. */
    static void json(Context ctx, Object value) {
        ctx.contentType("application/json; charset=utf-8").result(Json.write(value));
    }

    /**
     * The request's JSON object. It must be sent as {@code application/json}: a page of another site can post a
     * form to this machine without asking, but not JSON (that needs a CORS preflight, which the studio never grants).
     */
    static Map<String, Object> body(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json")) throw new StudioException(415, "send the request as application/json");
        if (ctx.contentLength() > MAX_JSON_BYTES) throw new StudioException(413, "request of " + ctx.contentLength() + " bytes; at most " + MAX_JSON_BYTES);
        try {
            return Json.parseObject(ctx.body());
        } catch (Json.ParseException e) {
            throw StudioException.badRequest("the request is not valid JSON: " + e.getMessage());
        }
    }

    static String string(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof String s)) throw StudioException.badRequest(key + " must be a string");
        return s;
    }

    /** A number in {@code [lo, hi]}; {@code dflt} when absent. */
    static double number(Map<String, Object> m, String key, double dflt, double lo, double hi) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Number n)) throw StudioException.badRequest(key + " must be a number");
        double d = n.doubleValue();
        if (!(d >= lo && d <= hi)) throw StudioException.badRequest(key + " " + d + " is outside " + lo + " .. " + hi);
        return d;
    }

    static boolean bool(Map<String, Object> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b)) throw StudioException.badRequest(key + " must be true or false");
        return b;
    }

    /** A list of strings; empty when absent. */
    static List<String> strings(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> l)) throw StudioException.badRequest(key + " must be a list of strings");
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s)) throw StudioException.badRequest(key + " must be a list of strings");
            out.add(s);
        }
        return out;
    }
}
