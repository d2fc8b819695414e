package org.ddsp4j.studio;

import java.nio.file.Path;

/**
 * How a studio runs.
 *
 * @param host           the address to listen on; {@code 127.0.0.1} (the default) keeps it to this machine
 * @param port           TCP port; 0 picks a free one (tests)
 * @param models         where trained models are written and looked up by name (created on the first training run)
 * @param work           the session's working folder (uploads, renders, training data); null: a fresh temporary
 *                       folder, deleted when the studio stops
 * @param maxUploadBytes the largest upload accepted, bytes
 * @param maxSeconds     the longest recording accepted, seconds (a 10 s clip re-renders in well under a second;
 *                       this bounds the wait and the memory of one upload)
 */
public record StudioOptions(String host, int port, Path models, Path work, long maxUploadBytes, double maxSeconds) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8300;
    /** 64 MiB: a 60 s recording at 96 kHz in 32-bit stereo is 46 MB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 20;
    public static final double DEFAULT_MAX_SECONDS = 60;

    public StudioOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (models == null) throw new IllegalArgumentException("models folder must be given");
        if (maxUploadBytes < 1) throw new IllegalArgumentException("maxUploadBytes must be >= 1, got " + maxUploadBytes);
        if (!(maxSeconds > 0)) throw new IllegalArgumentException("maxSeconds must be > 0, got " + maxSeconds);
    }

    /** 127.0.0.1:8300, models in {@code ./studio-models}, a temporary work folder, 64 MiB and 60 s per upload. */
    public static StudioOptions defaults() {
        return new StudioOptions(DEFAULT_HOST, DEFAULT_PORT, Path.of("studio-models"), null, DEFAULT_MAX_UPLOAD_BYTES,
                DEFAULT_MAX_SECONDS);
    }

    public StudioOptions withHost(String h) {
        return new StudioOptions(h, port, models, work, maxUploadBytes, maxSeconds);
    }

    public StudioOptions withPort(int p) {
        return new StudioOptions(host, p, models, work, maxUploadBytes, maxSeconds);
    }

    public StudioOptions withModels(Path m) {
        return new StudioOptions(host, port, m, work, maxUploadBytes, maxSeconds);
    }

    public StudioOptions withWork(Path w) {
        return new StudioOptions(host, port, models, w, maxUploadBytes, maxSeconds);
    }

    public StudioOptions withLimits(long bytes, double seconds) {
        return new StudioOptions(host, port, models, work, bytes, seconds);
    }

    /** Whether {@link #host} is a loopback address, reachable from this machine only. */
    public boolean loopback() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
