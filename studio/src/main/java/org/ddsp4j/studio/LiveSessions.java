package org.ddsp4j.studio;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.LiveEngine;
import org.ddsp4j.inference.TransferRecipe;
import org.ddsp4j.io.Json;

/**
 * The live page's WebSocket: one {@link LiveEngine} per connection. Binary messages are blocks of microphone
 * audio ({@link LiveWire}); each is played through the engine at once and the same number of samples goes back.
 * Text messages are JSON controls ({@code pitch}, {@code loudness}, {@code auto}), handed to the engine's
 * setters, which reach its audio path through a queue. The server answers with a {@code hello} (rates and the
 * engine's latency) and a {@code status} a few times a second (the automatic shifts, what is played).
 *
 * <p>Jetty delivers one connection's messages one at a time, so each engine sees a single "audio thread". The
 * last connection's input and output (up to {@link #RECORD_SECONDS}) are kept when it closes: for listening
 * back, and for the tests, which check that the returned audio follows the sung melody.
 */
final class LiveSessions {
    static final double RECORD_SECONDS = 120;
    static final long STATUS_EVERY_MS = 250;
    static final String LAST_INPUT = "last-input.wav", LAST_OUTPUT = "last-output.wav";

    /**
     * A finished live session.
     *
     * @param input       {@code [n]} what the page sent, at {@code sampleRate}
     * @param output      {@code [n]} what went back: output sample {@code k + latencySamples} plays input sample {@code k}
     * @param octaveShift the automatic octave shift held at the end, semitones
     * @param blockStarts {@code [blocks]} the input sample each block started at
     * @param blockShifts {@code [blocks]} the pitch shift the engine applied at the end of each block, semitones (the
     *                    automatic octave when on, plus the manual shift): the octave is decided between notes, so it
     *                    can change during a session
     */
    record Recording(float[] input, float[] output, int sampleRate, int latencySamples, double octaveShift, int[] blockStarts,
                     float[] blockShifts) {
        /** The shift applied when input sample {@code sample} was played. */
        double shiftAt(int sample) {
            int i = java.util.Arrays.binarySearch(blockStarts, sample);
            return blockShifts[Math.max(0, i >= 0 ? i : -i - 2)];
        }
    }

    /** One connection's engine, buffers and recording. */
    private static final class Session {
        final LiveEngine engine;
        final float[] in = new float[LiveWire.MAX_SAMPLES], out = new float[LiveWire.MAX_SAMPLES];
        final double[] time = new double[1];
        final float[] recIn, recOut;
        int recorded, blocks;
        int[] blockStarts = new int[1024];
        float[] blockShifts = new float[1024];
        long lastStatus;

        Session(LiveEngine engine) {
            this.engine = engine;
            int cap = (int) (RECORD_SECONDS * engine.sampleRate());
            recIn = new float[cap];
            recOut = new float[cap];
        }

        /** Keeps a block's samples, in and out, and the shift applied, while there is room. */
        void record(int n) {
            int keep = Math.min(n, recIn.length - recorded);
            if (keep <= 0) return;
            System.arraycopy(in, 0, recIn, recorded, keep);
            System.arraycopy(out, 0, recOut, recorded, keep);
            if (blocks == blockStarts.length) {
                blockStarts = Arrays.copyOf(blockStarts, 2 * blocks);
                blockShifts = Arrays.copyOf(blockShifts, 2 * blocks);
            }
            TransferRecipe r = engine.recipe();
            blockStarts[blocks] = recorded;
            blockShifts[blocks++] = (float) ((r.auto() ? engine.octaveShiftSemitones() : 0) + r.pitchShift());
            recorded += keep;
        }

        Recording recording() {
            return new Recording(Arrays.copyOf(recIn, recorded), Arrays.copyOf(recOut, recorded), engine.sampleRate(),
                    engine.latencySamples(), engine.octaveShiftSemitones(), Arrays.copyOf(blockStarts, blocks),
                    Arrays.copyOf(blockShifts, blocks));
        }
    }

    private final Instruments instruments;
    private final Path dir;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile Recording last;

    LiveSessions(Instruments instruments, Path dir) throws IOException {
        this.instruments = instruments;
        this.dir = Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /** The last closed connection's recording, or null. */
    Recording last() {
        return last;
    }

    void configure(WsConfig ws) {
        ws.onConnect(this::open);
        ws.onBinaryMessage(ctx -> {
            Session s = sessions.get(ctx.sessionId());
            if (s != null) play(ctx, s, ctx.data());
        });
        ws.onMessage(ctx -> {
            Session s = sessions.get(ctx.sessionId());
            if (s != null) control(s, ctx.message());
        });
        ws.onClose(ctx -> close(ctx.sessionId()));
        ws.onError(ctx -> close(ctx.sessionId()));
    }

    private void open(WsContext ctx) {
        try {
            Instruments.Loaded l = instruments.get(ctx.queryParam("instrument"));
            Instrument ins = l.instrument();
            TransferRecipe recipe = TransferRecipe.defaults();
            LiveEngine engine = ins.live(recipe, !"0".equals(ctx.queryParam("reverb")));
            sessions.put(ctx.sessionId(), new Session(engine));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "hello");
            m.put("instrument", l.label());
            m.put("sampleRate", engine.sampleRate());
            m.put("latencySamples", engine.latencySamples());
            m.put("latencyMs", engine.latencyMs());
            m.put("lookAheadMs", 1000.0 * engine.lookAheadSamples() / engine.sampleRate());
            m.put("frameMs", 1000.0 * engine.hop() / engine.sampleRate());
            m.put("hasStatistics", ins.hasTrainingStatistics());
            ctx.send(Json.write(m));
        } catch (RuntimeException e) { // an unknown instrument, a model that cannot play live: say so and hang up
            ctx.send(Json.write(Map.of("type", "error", "message", e.getMessage() == null ? e.toString() : e.getMessage())));
            ctx.closeSession(1008, "cannot start");
        }
    }

    private static void play(WsContext ctx, Session s, java.nio.ByteBuffer data) {
        long t0 = System.nanoTime();
        int n;
        try {
            n = LiveWire.read(data, s.in, s.time);
        } catch (IllegalArgumentException e) {
            ctx.send(Json.write(Map.of("type", "error", "message", e.getMessage())));
            return;
        }
        s.engine.process(s.in, 0, s.out, 0, n);
        s.record(n);
        ctx.send(LiveWire.reply(s.time[0], (System.nanoTime() - t0) / 1e6, s.out, n));
        long now = System.nanoTime() / 1_000_000;
        if (now - s.lastStatus >= STATUS_EVERY_MS) {
            s.lastStatus = now;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "status");
            m.put("octaveShift", s.engine.octaveShiftSemitones());
            m.put("loudnessShift", s.engine.loudnessShiftDb());
            m.put("f0Hz", (double) s.engine.playedF0Hz());
            m.put("loudnessDb", (double) s.engine.playedLoudnessDb());
            m.put("seconds", s.engine.frames() * s.engine.hop() / (double) s.engine.sampleRate());
            ctx.send(Json.write(m));
        }
    }

    /** {@code {"pitch": st, "loudness": dB, "auto": bool}}, any subset. */
    private static void control(Session s, String message) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(message);
            TransferRecipe r = s.engine.recipe();
            double pitch = Http.number(m, "pitch", r.pitchShift(), -36, 36), loud = Http.number(m, "loudness", r.loudnessShift(), -40, 40);
            s.engine.setShifts(pitch, loud);
            if (m.containsKey("auto")) s.engine.setAuto(Http.bool(m, "auto", true));
        } catch (RuntimeException e) {
            // A malformed control changes nothing; the sound goes on.
        }
    }

    private void close(String id) {
        Session s = sessions.remove(id);
        if (s == null) return;
        Recording r = s.recording();
        last = r;
        try {
            AudioFile.writeWav(dir.resolve(LAST_INPUT), r.input(), r.sampleRate(), WavEncoding.FLOAT_32);
            AudioFile.writeWav(dir.resolve(LAST_OUTPUT), r.output(), r.sampleRate(), WavEncoding.FLOAT_32);
        } catch (IOException | RuntimeException e) {
            // Kept in memory all the same; the files are a convenience.
        }
    }
}
