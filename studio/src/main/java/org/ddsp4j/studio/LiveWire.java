package org.ddsp4j.studio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The live page's binary WebSocket messages: mono float32 samples at the model's rate (the page's AudioContext
 * runs at that rate, so neither side resamples), little-endian, with the page's clock echoed back so the page
 * measures the round trip.
 * <ul>
 *   <li>page to server: {@code [f64 page time, ms][f32 x n]}</li>
 *   <li>server to page: {@code [f64 page time echoed, ms][f64 server processing time, ms][f32 x n]}</li>
 * </ul>
 */
final class LiveWire {
    static final int IN_HEADER = 8, OUT_HEADER = 16;
    /** The largest block accepted: 8192 samples (0.5 s at 16 kHz); the page sends 256. */
    static final int MAX_SAMPLES = 8192;

    private LiveWire() {}

    /**
     * Reads a page message: its time stamp, and its samples into {@code dst} (non-finite ones as 0).
     *
     * @return the number of samples
     * @throws IllegalArgumentException for a message of the wrong size
     */
    static int read(ByteBuffer msg, float[] dst, double[] time) {
        ByteBuffer b = msg.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int bytes = b.remaining() - IN_HEADER;
        if (bytes < 0 || bytes % 4 != 0 || bytes / 4 > Math.min(MAX_SAMPLES, dst.length)) {
            throw new IllegalArgumentException("a live block is an 8-byte time stamp and 1 to " + MAX_SAMPLES
                    + " float32 samples; got " + b.remaining() + " bytes");
        }
        time[0] = b.getDouble();
        int n = bytes / 4;
        for (int i = 0; i < n; i++) {
            float v = b.getFloat();
            dst[i] = Float.isFinite(v) ? v : 0f;
        }
        return n;
    }

    /** A server message: the time stamp echoed, the processing time, {@code n} samples of {@code src}; a new buffer (sends are asynchronous). */
    static ByteBuffer reply(double pageTimeMs, double processMs, float[] src, int n) {
        ByteBuffer b = ByteBuffer.allocate(OUT_HEADER + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(pageTimeMs).putDouble(processMs);
        for (int i = 0; i < n; i++) b.putFloat(src[i]);
        return b.flip();
    }
}
