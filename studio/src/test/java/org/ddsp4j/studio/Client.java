package org.ddsp4j.studio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ddsp4j.io.Json;

/** HTTP to a studio in tests, as a page would send it (JSON, file bytes), and raw requests that no client tidies up. */
final class Client {
    /** A response: status and body. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Map<String, Object> json() {
            return Json.parseObject(text());
        }

        /** The error message of a refused request. */
        String error() {
            return (String) json().get("error");
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    Client(URI base) {
        this.base = base;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    Response postJson(String path, Map<String, Object> body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build());
    }

    Response upload(byte[] bytes, String name) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve("/api/uploads?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    Response upload(Path file) throws IOException, InterruptedException {
        return upload(Files.readAllBytes(file), file.getFileName().toString());
    }

    Response send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(res.statusCode(), res.body());
    }

    /** Sends {@code request} (a request line and headers, CRLF-separated) byte for byte; returns the status code and all. */
    static Response raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String head = new String(all, 0, Math.min(all.length, 64), StandardCharsets.ISO_8859_1);
            int status = head.startsWith("HTTP/") ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Response(status, all);
        }
    }
}
