package org.ddsp4j.features;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.audio.MonoSource;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.spectral.Loudness;

/**
 * Frame-aligned control features of a mono signal: f0 with confidence and the tracker's voicing
 * decision, and A-weighted loudness. All arrays have {@code nSamples / hop + 1} frames with frame
 * {@code i} centred at sample {@code i * hop} ({@code hop = sampleRate / frameRate}), the
 * convention of {@link PitchTracker} and {@link Loudness}.
 *
 * @param f0Hz         [frames] Hz, continuous also on unvoiced frames
 * @param f0Confidence [frames] in [0, 1]
 * @param voiced       [frames] the tracker's decision
 * @param loudnessDb   [frames] dB (A-weighted, 0 dB reference, floor -80 dB)
 * @param frameRate    frames per second
 */
public record AudioFeatures(float[] f0Hz, float[] f0Confidence, boolean[] voiced, float[] loudnessDb, int frameRate) {
    /** The CSV header written by {@link #writeCsv}. */
    public static final String CSV_HEADER = "time,f0_hz,f0_confidence,voiced,loudness_db";

    public AudioFeatures {
        int n = f0Hz.length;
        if (f0Confidence.length != n || voiced.length != n || loudnessDb.length != n) {
            throw new IllegalArgumentException("feature arrays differ in length: f0 " + n + ", confidence " + f0Confidence.length
                    + ", voiced " + voiced.length + ", loudness " + loudnessDb.length);
        }
        if (frameRate <= 0) throw new IllegalArgumentException("frame rate must be positive, got " + frameRate);
    }

    /** Computes f0 (default {@link PitchTracker} settings) and loudness of {@code mono}. */
    public static AudioFeatures compute(float[] mono, int sampleRate, int frameRate) {
        return compute(mono, PitchTracker.builder(sampleRate).frameRate(frameRate).build());
    }

    /**
     * Signals longer than this are analysed in chunks of this many seconds (plus {@link #CHUNK_OVERLAP_SECONDS}
     * of context on each side, whose frames are dropped), so the analysis' working memory does not grow
     * with the length of the recording.
     */
    public static final double CHUNK_SECONDS = 120, CHUNK_OVERLAP_SECONDS = 4;

    /** Computes features with a configured tracker (its sample and frame rates apply); long signals in chunks. */
    public static AudioFeatures compute(float[] mono, PitchTracker tracker) {
        return compute(mono, tracker, CHUNK_SECONDS, CHUNK_OVERLAP_SECONDS);
    }

    /**
     * {@link #compute(float[], PitchTracker)} with a chosen chunk length and overlap. Loudness is local
     * and comes out the same as in one piece; the tracker's Viterbi path and onset relabelling see
     * {@code overlapSeconds} of context at each chunk edge, which agrees with one piece on nearly every
     * frame (tested).
     */
    public static AudioFeatures compute(float[] mono, PitchTracker tracker, double chunkSeconds, double overlapSeconds) {
        try {
            return compute(MonoSource.of(mono, tracker.sampleRate()), tracker, chunkSeconds, overlapSeconds);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("an array in memory cannot fail to read", e);
        }
    }

    /**
     * Features of a signal read chunk by chunk from {@code source} (a recording too long to hold, see
     * {@link org.ddsp4j.audio.AudioFile#openMono}): the chunks of {@link #compute(float[], PitchTracker,
     * double, double)}, each read with its context, so the working memory is one chunk whatever the
     * length, and the features those of the same signal in an array, value for value. The features
     * themselves (13 bytes a frame) are held.
     *
     * @param source mono at the tracker's sample rate
     */
    public static AudioFeatures compute(MonoSource source, PitchTracker tracker) throws IOException {
        return compute(source, tracker, CHUNK_SECONDS, CHUNK_OVERLAP_SECONDS);
    }

    /** {@link #compute(MonoSource, PitchTracker)} with a chosen chunk length and overlap. */
    public static AudioFeatures compute(MonoSource source, PitchTracker tracker, double chunkSeconds, double overlapSeconds)
            throws IOException {
        if (source.sampleRate() != tracker.sampleRate()) {
            throw new IllegalArgumentException("features: the signal is at " + source.sampleRate() + " Hz but the tracker at "
                    + tracker.sampleRate() + " Hz; resample it first");
        }
        long length = source.length();
        int hop = tracker.hop(), fr = tracker.frameRate();
        if (length / hop + 1 > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "features: %.1f hours at %d frames/s are more frames "
                    + "than one array holds; split the recording", length / (double) source.sampleRate() / 3600, fr));
        }
        int total = (int) (length / hop + 1);
        int chunk = Math.max(1, (int) Math.round(chunkSeconds * fr)), overlap = Math.max(0, (int) Math.round(overlapSeconds * fr));
        if (total <= chunk + 2L * overlap) return whole(source.readAll(), tracker);
        float[] f0 = new float[total], conf = new float[total], loud = new float[total];
        boolean[] voiced = new boolean[total];
        for (int c0 = 0; c0 < total; c0 += chunk) {
            int c1 = Math.min(total, c0 + chunk), a0 = Math.max(0, c0 - overlap), a1 = Math.min(total, c1 + overlap);
            long s0 = (long) a0 * hop, s1 = a1 == total ? length : Math.min(length, (long) a1 * hop);
            float[] piece = new float[(int) (s1 - s0)];
            source.read(s0, piece, 0, piece.length);
            AudioFeatures part = whole(piece, tracker);
            int n = c1 - c0, from = c0 - a0;
            System.arraycopy(part.f0Hz, from, f0, c0, n);
            System.arraycopy(part.f0Confidence, from, conf, c0, n);
            System.arraycopy(part.voiced, from, voiced, c0, n);
            System.arraycopy(part.loudnessDb, from, loud, c0, n);
        }
        return new AudioFeatures(f0, conf, voiced, loud, fr);
    }

    private static AudioFeatures whole(float[] mono, PitchTracker tracker) {
        PitchTrack p = tracker.track(mono);
        float[] loudness = Loudness.loudnessDb(mono, tracker.sampleRate(), tracker.frameRate());
        return new AudioFeatures(p.f0Hz(), p.confidence(), p.voiced(), loudness, tracker.frameRate());
    }

    public int nFrames() {
        return f0Hz.length;
    }

    /** Writes one row per frame: {@value #CSV_HEADER} (time of the frame centre in seconds). Atomic. */
    public void writeCsv(Path file) throws IOException {
        // Row by row through a buffer: the text of a long recording (~40 bytes a frame) is never held whole.
        AtomicFiles.write(file, out -> {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            java.util.Formatter fmt = new java.util.Formatter(w, Locale.ROOT);
            w.write(CSV_HEADER);
            w.write('\n');
            for (int i = 0; i < nFrames(); i++) {
                fmt.format("%.4f,%.3f,%.4f,%d,%.3f%n", i / (double) frameRate, f0Hz[i], f0Confidence[i], voiced[i] ? 1 : 0, loudnessDb[i]);
            }
            if (fmt.ioException() != null) throw fmt.ioException();
            w.flush();
        });
    }

    /**
     * Reads a CSV with the {@value #CSV_HEADER} columns (any order; {@code f0_confidence} and
     * {@code voiced} optional). The frame rate is taken from the time column's spacing.
     */
    public static AudioFeatures readCsv(Path file) throws IOException {
        List<String> lines = utf8(file, Files.readAllBytes(file)).lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new IOException(file + ": empty controls file; expected a header line " + CSV_HEADER);
        String[] head = lines.get(0).trim().split(",");
        int ti = col(head, "time"), fi = col(head, "f0_hz"), ci = col(head, "f0_confidence"), vi = col(head, "voiced"), li = col(head, "loudness_db");
        if (ti < 0 || fi < 0 || li < 0) {
            throw new IOException(file + ": header '" + lines.get(0) + "' lacks time, f0_hz or loudness_db; expected " + CSV_HEADER);
        }
        int n = lines.size() - 1;
        if (n < 2) throw new IOException(file + ": needs at least 2 frames, has " + n);
        float[] t = new float[n], f0 = new float[n], conf = new float[n], loud = new float[n];
        boolean[] voiced = new boolean[n];
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] c = lines.get(i + 1).split(",");
            try {
                t[i] = Float.parseFloat(c[ti].trim());
                f0[i] = Float.parseFloat(c[fi].trim());
                loud[i] = Float.parseFloat(c[li].trim());
                conf[i] = ci >= 0 ? Float.parseFloat(c[ci].trim()) : 1f;
                voiced[i] = vi >= 0 ? Float.parseFloat(c[vi].trim()) != 0 : f0[i] > 0;
            } catch (RuntimeException e) {
                bad.add("line " + (i + 2));
                if (bad.size() > 5) break;
                continue;
            }
            if (!Float.isFinite(t[i]) || !(f0[i] >= 0) || !Float.isFinite(loud[i])) {
                bad.add("line " + (i + 2) + " (time " + t[i] + ", f0 " + f0[i] + ", loudness " + loud[i] + ")");
                if (bad.size() > 5) break;
            }
        }
        if (!bad.isEmpty()) {
            throw new IOException(file + ": unreadable or invalid values at " + String.join(", ", bad)
                    + (bad.size() > 5 ? " and maybe more" : "") + "; expected numbers, time finite, f0_hz >= 0, loudness_db finite");
        }
        double dt = (t[n - 1] - t[0]) / (n - 1);
        int frameRate = (int) Math.round(1 / dt);
        if (!(dt > 0) || frameRate < 1 || !(Math.abs(frameRate * dt - 1) <= 0.01)) {
            throw new IOException(file + ": time column is not evenly spaced at a whole frame rate (mean step " + dt + " s)");
        }
        return new AudioFeatures(f0, conf, voiced, loud, frameRate);
    }

    /** {@code bytes} as UTF-8 text; an invalid byte is an error naming its offset (not an unchecked exception). */
    private static String utf8(Path file, byte[] bytes) throws IOException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        if (r.isError()) {
            throw new IOException(file + ": byte " + in.position() + " (0x" + Integer.toHexString(bytes[in.position()] & 0xFF)
                    + ") is not UTF-8 text; is this a controls CSV? save it as UTF-8 or ASCII");
        }
        return out.flip().toString();
    }

    private static int col(String[] head, String name) {
        for (int i = 0; i < head.length; i++) if (head[i].trim().equals(name)) return i;
        return -1;
    }

    /** The first {@code frames} frames (at most {@link #nFrames()}). */
    public AudioFeatures trim(int frames) {
        int n = Math.min(frames, nFrames());
        return new AudioFeatures(java.util.Arrays.copyOf(f0Hz, n), java.util.Arrays.copyOf(f0Confidence, n),
                java.util.Arrays.copyOf(voiced, n), java.util.Arrays.copyOf(loudnessDb, n), frameRate);
    }
}
