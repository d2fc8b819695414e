package org.ddsp4j.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ddsp4j.audio.AudioFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio over HTTP, without a browser: upload and render, bad input, limits, what it serves and to whom. */
class StudioApiTest {
    static final int SR = 16000;
    static final double MAX_SECONDS = 12;
    static final long MAX_BYTES = 1 << 20;
    /** The melody of the upload tests: near the model's training pitch. */
    static final double[] NOTES = {57, 60, 62, 64, 62};

    @TempDir
    static Path tmp;
    static StudioServer server;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        TestModels.model();
        server = StudioServer.start(StudioOptions.defaults().withPort(0).withModels(tmp.resolve("models"))
                .withWork(tmp.resolve("work")).withLimits(MAX_BYTES, MAX_SECONDS));
        client = new Client(server.uri());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String uploadMelody(double seconds) throws Exception {
        Path f = Melody.write(tmp.resolve("melody-" + seconds + ".wav"), Melody.of(NOTES, 0.5, 0.2, SR, seconds), SR);
        Client.Response r = client.upload(f);
        assertEquals(200, r.status(), r.text());
        return (String) r.json().get("id");
    }

    static Map<String, Object> render(String upload, double pitch, double loudness, double reverb) throws Exception {
        Client.Response r = client.postJson("/api/render", Map.of("upload", upload, "instrument", TestModels.NAME, "pitch", pitch,
                "loudness", loudness, "reverb", reverb, "auto", true));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    static float[] fetchWav(String url) throws Exception {
        Client.Response r = client.get(url);
        assertEquals(200, r.status(), url);
        Path f = Files.createTempFile(tmp, "get", ".wav");
        Files.write(f, r.body());
        return AudioFile.readMono(f, SR);
    }

    @Test
    void listensOnLoopbackByDefault() throws Exception {
        assertEquals("127.0.0.1", StudioOptions.defaults().host());
        assertEquals(8300, StudioOptions.defaults().port());
        assertEquals("127.0.0.1", server.uri().getHost());
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            assertTrue(s.isConnected());
        }
        // Not reachable on this machine's other addresses.
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, server.port()), 1000);
                    throw new AssertionError("the studio answers on " + a + ", not only on 127.0.0.1");
                } catch (java.io.IOException expected) {
                    // refused: good
                }
            }
        }
    }

    @Test
    void rendersAnUploadAndReRendersOnlyWhatASliderChanges() throws Exception {
        String id = uploadMelody(10);
        Map<String, Object> first = render(id, 0, 0, 1);
        assertTrue(((Number) first.get("analysisMs")).doubleValue() > 0, "the first render analyses: " + first);
        float[] in = AudioFile.readMono(tmp.resolve("melody-10.0.wav"), SR);
        float[] out0 = fetchWav((String) first.get("output"));
        assertEquals(10.0, out0.length / (double) SR, 0.01);
        double octave = ((Number) first.get("octaveShift")).doubleValue();
        assertEquals(0, octave, "the melody sits at the training pitch: no octave shift");
        PitchCheck.Result kept = PitchCheck.compare(in, SR, out0, SR, 0, octave, 50);
        assertTrue(kept.fraction() >= 0.95, "pitch kept: " + kept);

        Map<String, Object> up = render(id, 12, 0, 1);
        assertEquals(0.0, ((Number) up.get("analysisMs")).doubleValue(), "the analysis is cached: " + up);
        float[] out12 = fetchWav((String) up.get("output"));
        PitchCheck.Result shifted = PitchCheck.compare(out0, SR, out12, SR, 0, 12, 50);
        assertEquals(12, shifted.medianShift(), 0.5, "+12 semitones: " + shifted);
        assertTrue(shifted.fraction() >= 0.95, shifted.toString());

        Map<String, Object> quieter = render(id, 12, -6, 1);
        float[] outQuiet = fetchWav((String) quieter.get("output"));
        double change = PitchCheck.meanLoudnessDb(outQuiet, SR, in, SR) - PitchCheck.meanLoudnessDb(out12, SR, in, SR);
        assertEquals(-6, change, 1.5, "a -6 dB loudness shift comes out about 6 dB quieter");

        Map<String, Object> dry = render(id, 12, -6, 0);
        assertEquals(Boolean.TRUE, dry.get("remixOnly"), "a reverb move only re-mixes: " + dry);
        float[] outDry = fetchWav((String) dry.get("output"));
        assertNotEquals(0, rmsDifference(outDry, outQuiet), "the room was taken out");
        System.out.printf("studio render of a 10 s clip (test model): first %s ms (analysis %s), +12 st %s ms, remix %s ms%n",
                first.get("totalMs"), first.get("analysisMs"), up.get("totalMs"), dry.get("totalMs"));

        // The figures are PNGs.
        for (String k : List.of("inputSpectrogram", "outputSpectrogram", "decomposition")) {
            Client.Response png = client.get((String) dry.get(k));
            assertEquals(200, png.status(), k);
            assertEquals("\u0089PNG", new String(png.body(), 0, 4, StandardCharsets.ISO_8859_1), k);
        }
    }

    static double rmsDifference(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s / Math.min(a.length, b.length));
    }

    @Test
    void badInputGetsAClearMessageAndLosesNothing() throws Exception {
        String good = uploadMelody(2);
        render(good, 0, 0, 1);

        Client.Response notAudio = client.upload("just some text, not audio\n".getBytes(StandardCharsets.UTF_8), "notes.txt");
        assertEquals(415, notAudio.status());
        assertTrue(notAudio.error().contains("'notes.txt' could not be read") && notAudio.error().contains("not a WAV/FLAC/MP3"),
                notAudio.error());
        assertFalse(notAudio.error().contains(tmp.toString()), "no server path in messages: " + notAudio.error());

        byte[] wav = Files.readAllBytes(tmp.resolve("melody-2.0.wav"));
        byte[] corrupt = java.util.Arrays.copyOf(wav, 40); // the header cut in the middle
        Client.Response broken = client.upload(corrupt, "broken.wav");
        assertEquals(415, broken.status());
        assertTrue(broken.error().startsWith("'broken.wav' could not be read"), broken.error());

        byte[] garbage = wav.clone();
        for (int i = 12; i < 40; i++) garbage[i] = (byte) 0xff; // the format chunk destroyed
        Client.Response bad = client.upload(garbage, "garbage.wav");
        assertEquals(415, bad.status(), bad.text());

        Path longFile = Melody.write(tmp.resolve("long.wav"), Melody.of(NOTES, 0.5, 0.2, 8000, 13), 8000);
        Client.Response tooLong = client.upload(longFile);
        assertEquals(413, tooLong.status());
        assertTrue(tooLong.error().contains("13.0 s long") && tooLong.error().contains("up to 12 s"), tooLong.error());

        Client.Response tooBig = client.upload(new byte[(int) MAX_BYTES + 1000], "huge.wav");
        assertEquals(413, tooBig.status());
        assertTrue(tooBig.error().contains("upload limit"), tooBig.error());

        Path noise = Melody.write(tmp.resolve("noise.wav"), Melody.noise(2, 0.3, SR, 3), SR);
        String noiseId = (String) client.upload(noise).json().get("id");
        Client.Response noPitch = client.postJson("/api/render", Map.of("upload", noiseId, "instrument", TestModels.NAME));
        assertEquals(422, noPitch.status());
        assertTrue(noPitch.error().startsWith("no pitch found in 'noise.wav'"), noPitch.error());

        Client.Response badSlider = client.postJson("/api/render", Map.of("upload", good, "instrument", TestModels.NAME, "pitch", 99));
        assertEquals(400, badSlider.status());
        assertTrue(badSlider.error().contains("pitch 99.0 is outside"), badSlider.error());

        Client.Response noInstrument = client.postJson("/api/render", Map.of("upload", good, "instrument", "no-such-instrument"));
        assertEquals(400, noInstrument.status());
        assertTrue(noInstrument.error().contains("no instrument 'no-such-instrument'") && noInstrument.error().contains(TestModels.NAME),
                noInstrument.error());

        // Nothing else was lost: the good upload still renders.
        assertEquals(200, client.postJson("/api/render", Map.of("upload", good, "instrument", TestModels.NAME)).status());
    }

    @Test
    void servesNothingOutsideItsFolders() throws Exception {
        String id = uploadMelody(1);
        render(id, 0, 0, 1);
        Path secret = server.work().resolve("secret.txt");
        Files.writeString(secret, "SECRET-CONTENT");
        Files.writeString(tmp.resolve("outside.txt"), "SECRET-CONTENT");
        Path uploadDir = server.uploadDir(id);
        Files.createSymbolicLink(uploadDir.resolve("link.wav"), secret);
        List<String> attempts = List.of(
                "/files/" + id + "/../secret.txt",
                "/files/" + id + "/..%2fsecret.txt",
                "/files/" + id + "/%2e%2e%2fsecret.txt",
                "/files/" + id + "/%2e%2e/%2e%2e/outside.txt",
                "/files/" + id + "/..%5c..%5csecret.txt",
                "/files/" + id + "/link.wav",
                "/files/" + id + "/source.wav",
                "/files/" + id + "/upload.bin",
                "/files/..%2f..%2fwork/secret.txt",
                "/files/../secret.txt",
                "/files/" + id.toUpperCase() + "/input.wav",
                "/files/" + "0".repeat(32) + "/input.wav",
                "/static/../../secret.txt",
                "/static/%2e%2e%2fStudioServer.class",
                "/static/..%2f..%2fStudioServer.class",
                "/static/StudioServer.class",
                "/live-files/..%2fsecret.txt",
                "/live-files/%2e%2e%2f%2e%2e%2fsecret.txt");
        for (String path : attempts) {
            Client.Response r = Client.raw(server.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nConnection: close\r\n\r\n");
            assertTrue(r.status() >= 400, path + " answered " + r.status());
            assertFalse(r.text().contains("SECRET-CONTENT"), path + " leaked the file");
        }
        assertEquals(200, client.get("/files/" + id + "/input.wav").status(), "its own files are served");
        Client.Response dirAsInstrument = client.postJson("/api/render", Map.of("upload", id, "instrument", "../../etc"));
        assertEquals(400, dirAsInstrument.status());
        Client.Response badId = client.postJson("/api/render", Map.of("upload", "../" + id, "instrument", TestModels.NAME));
        assertEquals(404, badId.status());
        Client.Response badModel = client.postJson("/api/train", Map.of("model", "../escape", "uploads", List.of(id)));
        assertEquals(400, badModel.status());
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void refusesOtherSitesAndOtherHostNames() throws Exception {
        int port = server.port();
        Client.Response rebound = Client.raw(port, "GET / HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
        assertEquals(403, rebound.status());
        String body = "{\"model\":\"x\",\"folder\":\"/tmp\"}";
        Client.Response crossSite = Client.raw(port, "POST /api/train HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertEquals(403, crossSite.status());
        Client.Response form = Client.raw(port, "POST /api/train HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertEquals(415, form.status(), "a form post (no preflight) is not taken as JSON");
        Client.Response page = client.get("/");
        assertEquals(200, page.status());
        assertTrue(page.text().contains("ddsp4j studio"));
        assertTrue(client.get("/static/studio.js").text().contains("render"));
    }

    @Test
    void trainsOnUploadsAndStreamsItsProgress() throws Exception {
        String id = uploadMelody(2);
        Client.Response badSetting = client.postJson("/api/train", Map.of("model", "x", "uploads", List.of(id), "settings",
                List.of("decoder.gru_unitz=16")));
        assertEquals(400, badSetting.status());
        assertTrue(badSetting.error().contains("gru_unitz"), badSetting.error());
        Client.Response started = client.postJson("/api/train", Map.of("model", "from-uploads", "uploads", List.of(id), "steps", 2,
                "config", "tiny", "settings", TestModels.SETTINGS));
        assertEquals(200, started.status(), started.text());
        String job = (String) started.json().get("id");
        Client.Response busy = client.postJson("/api/train", Map.of("model", "second", "uploads", List.of(id)));
        assertEquals(409, busy.status(), "one run at a time: " + busy.text());
        // The event stream: progress events until the run ends.
        java.net.http.HttpResponse<java.util.stream.Stream<String>> events = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.uri().resolve("/api/train/" + job + "/events"))
                        .header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        List<String> data = events.body().filter(l -> l.startsWith("data:")).toList();
        assertFalse(data.isEmpty());
        Map<String, Object> last = org.ddsp4j.io.Json.parseObject(data.getLast().substring(5).trim());
        assertEquals("done", last.get("state"), last.toString());
        int points = 0;
        for (String d : data) points += ((List<?>) org.ddsp4j.io.Json.parseObject(d.substring(5).trim()).get("points")).size();
        assertEquals(2, points, "every step's loss arrives once");
        // The model is listed and plays.
        assertTrue(client.get("/api/instruments").text().contains("from-uploads"));
        Client.Response r = client.postJson("/api/render", Map.of("upload", id, "instrument", "from-uploads"));
        assertEquals(200, r.status(), r.text());
        Client.Response taken = client.postJson("/api/train", Map.of("model", "from-uploads", "uploads", List.of(id)));
        assertEquals(409, taken.status(), "an existing model is not overwritten");
    }

    @Test
    void liveWebSocketEchoesTheClockAndPlaysEachBlock() throws Exception {
        var messages = new java.util.concurrent.LinkedBlockingQueue<Object>();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
            private final StringBuilder text = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                binary.writeBytes(b);
                if (last) {
                    messages.add(java.nio.ByteBuffer.wrap(binary.toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN));
                    binary.reset();
                }
                ws.request(1);
                return null;
            }
        };
        URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/api/live?instrument=" + TestModels.NAME);
        java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, listener)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        Map<String, Object> hello = org.ddsp4j.io.Json.parseObject((String) messages.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("hello", hello.get("type"));
        assertEquals(16000, ((Number) hello.get("sampleRate")).intValue());
        assertEquals(19.94, ((Number) hello.get("latencyMs")).doubleValue(), 0.01);
        java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(8 + 4 * 128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        block.putDouble(1234.5);
        for (int i = 0; i < 128; i++) block.putFloat((float) Math.sin(i * 0.1));
        socket.sendBinary(block.flip(), true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        Object reply = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        while (reply instanceof String) reply = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS); // a status
        java.nio.ByteBuffer r = (java.nio.ByteBuffer) reply;
        assertEquals(16 + 4 * 128, r.remaining(), "the clock, the server's time and as many samples as were sent");
        assertEquals(1234.5, r.getDouble());
        assertTrue(r.getDouble() >= 0);
        socket.sendText("{\"pitch\": 3, \"auto\": false}", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);

        // Another site's page may not open it.
        var refused = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(ws, listener);
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> refused.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(String.valueOf(e.getCause()).contains("403") || e.getCause() instanceof java.net.http.WebSocketHandshakeException,
                String.valueOf(e.getCause()));
    }
}
