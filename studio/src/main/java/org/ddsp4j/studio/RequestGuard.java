package org.ddsp4j.studio;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps other web sites out of a studio on this machine, checked before every request:
 * <ul>
 *   <li>On a loopback address the {@code Host} header must name this machine ({@code 127.0.0.1}, {@code localhost},
 *       {@code [::1]}): a site whose domain is re-pointed at 127.0.0.1 (DNS rebinding) is refused.</li>
 *   <li>A request that changes something (anything but GET and HEAD) and the live WebSocket must come from the
 *       studio's own pages: a browser's {@code Origin}, when sent, must be this server's.</li>
 * </ul>
 * Requests without an {@code Origin} (command-line clients, not browsers) pass. The answers also forbid framing,
 * content sniffing and scripts or connections to anywhere else ({@code Content-Security-Policy}).
 */
final class RequestGuard {
    static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
            + "script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final boolean loopback;

    RequestGuard(boolean loopback) {
        this.loopback = loopback;
    }

    /** Checks an HTTP request (and the WebSocket upgrade, with {@code changes} true); sets the protective headers. */
    void check(Context ctx, boolean changes) {
        String host = ctx.header("Host");
        if (host == null) throw new StudioException(400, "the request has no Host header");
        if (loopback && !LOOPBACK_NAMES.contains(hostName(host))) {
            throw new StudioException(403, "this studio answers only to http://127.0.0.1 (or localhost), not to '"
                    + SafeNames.shown(host) + "'");
        }
        String origin = ctx.header("Origin");
        if (changes && origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            throw new StudioException(403, "requests from other sites (" + SafeNames.shown(origin) + ") are refused");
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CSP);
    }

    /** Whether a request changes something (everything but GET and HEAD). */
    static boolean changes(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD;
    }

    /** {@code 127.0.0.1} of {@code 127.0.0.1:8300}, {@code [::1]} of {@code [::1]:8300}, lower case. */
    static String hostName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
