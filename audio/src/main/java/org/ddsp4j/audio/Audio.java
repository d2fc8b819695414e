package org.ddsp4j.audio;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Decoded audio: one float array per channel, samples nominally in [-1, 1].
 *
 * @param channels   {@code [nChannels][nFrames]}, every channel the same length; not copied
 * @param sampleRate samples per second per channel (Hz), strictly positive
 * @param format     human-readable description of the source encoding, e.g. "WAV PCM 16-bit"
 * @param source     the file the audio came from, or null when it was made in memory
 */
public record Audio(float[][] channels, int sampleRate, String format, Path source) {
    public Audio {
        Objects.requireNonNull(channels, "channels");
        if (channels.length == 0) throw new IllegalArgumentException("audio needs at least one channel, got 0");
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be > 0 Hz, got " + sampleRate);
        int n = channels[0].length;
        for (int c = 1; c < channels.length; c++) {
            if (channels[c].length != n) {
                throw new IllegalArgumentException("channel " + c + " has " + channels[c].length
                        + " samples but channel 0 has " + n + "; all channels must be the same length");
            }
        }
        if (format == null) format = "unknown";
    }

    /** Mono audio made in memory. */
    public static Audio ofMono(float[] samples, int sampleRate) {
        return new Audio(new float[][] {samples}, sampleRate, "in-memory", null);
    }

    /** Number of channels (1 = mono). */
    public int numChannels() {
        return channels.length;
    }

    /** Number of samples per channel. */
    public int numFrames() {
        return channels[0].length;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return numFrames() / (double) sampleRate;
    }

    /** One channel's samples, {@code [nFrames]} (not copied). */
    public float[] channel(int c) {
        if (c < 0 || c >= channels.length) {
            throw new IllegalArgumentException("channel " + c + " out of range, audio has " + channels.length);
        }
        return channels[c];
    }

    /**
     * The average of all channels, {@code [nFrames]}. For mono audio this is the channel itself
     * (not copied).
     */
    public float[] mono() {
        if (channels.length == 1) return channels[0];
        int n = numFrames();
        float[] out = new float[n];
        for (float[] ch : channels) {
            for (int i = 0; i < n; i++) out[i] += ch[i];
        }
        float scale = 1f / channels.length;
        for (int i = 0; i < n; i++) out[i] *= scale;
        return out;
    }

    @Override
    public String toString() {
        return "Audio[" + numChannels() + " ch, " + numFrames() + " frames, " + sampleRate + " Hz, "
                + format + (source == null ? "" : ", " + source) + "]";
    }
}
