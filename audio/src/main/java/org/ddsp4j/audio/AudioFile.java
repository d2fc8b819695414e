package org.ddsp4j.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.ddsp4j.io.AtomicFiles;

/**
 * Reading and writing audio files. The format is detected from the first bytes, never from the
 * file name: WAV (RIFF/RF64), FLAC and MP3 (with or without an ID3v2 tag).
 */
public final class AudioFile {
    /** Files larger than this are rejected rather than half-read (a Java array holds at most 2^31 bytes). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    /** How far past an ID3 tag to look for the first MP3 frame. */
    private static final int MP3_RESYNC_BYTES = 1 << 16;

    private AudioFile() {}

    /**
     * Reads and decodes a whole audio file.
     *
     * @return all channels at the file's own sample rate, samples nominally in [-1, 1]
     * @throws AudioFormatException when the file is missing, empty, truncated, not audio, in an
     *     unsupported encoding or holds no samples; the message says which and how to fix it
     * @throws IOException on other read errors
     */
    public static Audio read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] bytes = readAllBytes(file);
        return decode(bytes, file);
    }

    /** Sample rates a file may declare; anything else is a damaged header, not audio. */
    public static final int MIN_SAMPLE_RATE = 1000, MAX_SAMPLE_RATE = 768_000;

    /** Samples per block that {@link #openMono(Path, int)} reads and resamples at once. */
    public static final int BLOCK_SAMPLES = 1 << 16;

    /**
     * Reads a file, averages its channels to mono and resamples to {@code targetSampleRate}.
     *
     * @return {@code [round(nFrames * targetSampleRate / fileRate)]} samples at {@code targetSampleRate} Hz
     */
    public static float[] readMono(Path file, int targetSampleRate) throws IOException {
        requireRate(targetSampleRate);
        Audio a = read(file);
        requireFileRate(file, a.sampleRate());
        long out = (long) Math.ceil(a.numFrames() * (double) targetSampleRate / a.sampleRate());
        if (out > Integer.MAX_VALUE - 8) {
            throw new AudioFormatException(file, String.format(java.util.Locale.ROOT,
                    "is %.1f hours long: more than one piece of audio holds at %d Hz; split it into parts",
                    a.numFrames() / (double) a.sampleRate() / 3600, targetSampleRate));
        }
        return Resampler.resample(a.mono(), a.sampleRate(), targetSampleRate);
    }

    /**
     * Opens a file as mono at {@code targetSampleRate} to be read block by block: the samples of
     * {@link #readMono} (see {@link MonoSource} on rounding) in memory that does not grow with the length. A WAV file is read
     * {@link #BLOCK_SAMPLES} frames at a time and resampled as it is read; FLAC and MP3 are decoded
     * whole (4 bytes per sample and channel at the file's rate; their decoders, jflac and JLayer, are
     * driven over a whole stream here, with the hardening the fuzzing asked for) and only mixed and
     * resampled block by block.
     *
     * @throws AudioFormatException as {@link #readMono} for a file that is missing, not audio or damaged
     */
    public static MonoSource openMono(Path file, int targetSampleRate) throws IOException {
        return openMono(file, targetSampleRate, BLOCK_SAMPLES);
    }

    /** {@link #openMono(Path, int)} reading and resampling {@code blockSamples} samples at a time. */
    public static MonoSource openMono(Path file, int targetSampleRate, int blockSamples) throws IOException {
        requireRate(targetSampleRate);
        if (blockSamples < 1) throw new IllegalArgumentException("blockSamples must be >= 1, got " + blockSamples);
        Objects.requireNonNull(file, "file");
        FileChannel ch = openChannel(file);
        MonoSource src = null;
        try {
            ByteBuffer head = ByteBuffer.allocate(16);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) { /* the first bytes tell the format */ }
            if (WavCodec.isWav(head.array(), head.position())) {
                src = WavSource.open(ch, file, blockSamples);
                requireFileRate(file, src.sampleRate());
                return Resampler.of(src.sampleRate(), targetSampleRate).over(src, blockSamples);
            }
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        ch.close();
        Audio a = read(file);
        requireFileRate(file, a.sampleRate());
        return Resampler.of(a.sampleRate(), targetSampleRate).over(MonoSource.of(a), blockSamples);
    }

    private static void requireRate(int targetSampleRate) {
        if (targetSampleRate <= 0) {
            throw new IllegalArgumentException("targetSampleRate must be > 0 Hz, got " + targetSampleRate);
        }
    }

    private static void requireFileRate(Path file, int rate) throws AudioFormatException {
        if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
            throw new AudioFormatException(file, "declares a sample rate of " + rate + " Hz, outside "
                    + MIN_SAMPLE_RATE + " .. " + MAX_SAMPLE_RATE + " Hz: its header is damaged or it is not audio; export it again");
        }
    }

    /** Decodes an audio file already in memory; {@code name} is used in error messages only. */
    static Audio decode(byte[] bytes, Path name) throws IOException {
        if (bytes.length == 0) {
            throw new AudioFormatException(name, "file is empty (0 bytes); it was not written completely or is a "
                    + "placeholder, export or download it again");
        }
        int n = Math.min(bytes.length, 16);
        if (WavCodec.isWav(bytes, n)) {
            return WavCodec.read(ByteBuffer.wrap(bytes), name);
        }
        int audioStart = Id3.skipTag(bytes);
        if (audioStart > bytes.length) {
            throw new AudioFormatException(name, "truncated file: its ID3 tag declares " + audioStart
                    + " bytes but the file has " + bytes.length + "; it was cut short, fetch it again");
        }
        if (FlacCodec.isFlac(bytes, audioStart)) {
            return FlacCodec.read(bytes, audioStart, name);
        }
        if (Mp3Codec.isMp3(bytes, audioStart)) {
            return Mp3Codec.read(bytes, audioStart, name);
        }
        if (audioStart > 0) {
            // Some taggers leave stray bytes between the ID3 tag and the first MPEG frame: resync,
            // but only after a tag (a file without one must start with a frame).
            int limit = Math.min(bytes.length - 4, audioStart + MP3_RESYNC_BYTES);
            for (int p = audioStart + 1; p < limit; p++) {
                if ((bytes[p] & 0xFF) == 0xFF && Mp3Codec.isMp3(bytes, p)) return Mp3Codec.read(bytes, p, name);
            }
        }
        if (audioStart > 0 && audioStart == bytes.length) {
            throw new AudioFormatException(name, "file holds only an ID3 tag and no audio frames; "
                    + "it was cut short or is a tag-only file, fetch or export it again");
        }
        if (n >= 4 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F') {
            if (n < 12) {
                throw new AudioFormatException(name, "truncated WAV header: the file is " + bytes.length
                        + " bytes, a RIFF header needs 12; it was cut short, fetch or export it again");
            }
            throw new AudioFormatException(name, "not a WAV file: a RIFF container of type '"
                    + new String(bytes, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
                    + "' instead of 'WAVE'; convert it to WAV, FLAC or MP3 (e.g. with ffmpeg)");
        }
        throw new AudioFormatException(name, "not a WAV/FLAC/MP3 file: starts with bytes " + hexHead(bytes, audioStart)
                + "; supported are WAV (RIFF/RF64), FLAC and MP3, detected by content not extension; "
                + "convert it, e.g. `ffmpeg -i IN OUT.wav`");
    }

    private static byte[] readAllBytes(Path file) throws IOException {
        try (FileChannel ch = openChannel(file)) {
            long size = ch.size();
            if (size > MAX_BYTES) {
                throw new AudioFormatException(file, "file is " + size + " bytes, over the 2 GiB this reader handles; "
                        + "split it into shorter files");
            }
            try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
                return in.readAllBytes();
            }
        }
    }

    /** Opens a file for reading; a folder, a missing file or one without permission is refused with how to fix it. */
    private static FileChannel openChannel(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new AudioFormatException(file, "is a directory, not an audio file; pass a .wav/.flac/.mp3 file inside it");
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            Path abs = file.toAbsolutePath();
            throw new AudioFormatException(file, "no such file (absolute path " + abs + "); check the path and the "
                    + "working directory " + Path.of("").toAbsolutePath(), e);
        } catch (AccessDeniedException e) {
            throw new AudioFormatException(file, "permission denied reading the file; check its permissions", e);
        }
    }

    /** Up to 12 bytes starting at {@code off} as hex, then as printable ASCII in quotes. */
    static String hexHead(byte[] b, int off) {
        StringBuilder hex = new StringBuilder(), txt = new StringBuilder();
        int end = Math.min(b.length, off + 12);
        for (int i = off; i < end; i++) {
            int v = b[i] & 0xFF;
            if (i > off) hex.append(' ');
            hex.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
            txt.append(v >= 32 && v < 127 ? (char) v : '.');
        }
        return hex + " (\"" + txt + "\")";
    }

    // ---------------------------------------------------------------------------------------
    // Writing

    /** Writes mono audio as a WAV file, atomically (see {@link AtomicFiles}). */
    public static void writeWav(Path file, float[] mono, int sampleRate, WavEncoding encoding) throws IOException {
        Objects.requireNonNull(mono, "mono");
        writeWav(file, new float[][] {mono}, sampleRate, encoding, false);
    }

    /** Writes multi-channel audio {@code [nChannels][nFrames]} as a WAV file, atomically, without dither. */
    public static void writeWav(Path file, float[][] channels, int sampleRate, WavEncoding encoding) throws IOException {
        writeWav(file, channels, sampleRate, encoding, false);
    }

    /** Writes {@code audio}'s channels at its sample rate. */
    public static void writeWav(Path file, Audio audio, WavEncoding encoding) throws IOException {
        writeWav(file, audio.channels(), audio.sampleRate(), encoding, false);
    }

    /**
     * Writes multi-channel audio as a WAV file, atomically.
     *
     * @param channels   {@code [nChannels][nFrames]}, samples nominally in [-1, 1]
     * @param sampleRate Hz, strictly positive
     * @param encoding   {@link WavEncoding#PCM_16} clips to [-1, 1); {@link WavEncoding#FLOAT_32} stores as is
     * @param dither     add TPDF dither of +-1 LSB before rounding to PCM (deterministic noise, fixed
     *                   seed, so the same input gives the same file); ignored for float
     */
    public static void writeWav(Path file, float[][] channels, int sampleRate, WavEncoding encoding, boolean dither)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(encoding, "encoding");
        if (channels.length == 0 || channels.length > 65535) {
            throw new IllegalArgumentException("a WAV file needs 1 to 65535 channels, got " + channels.length);
        }
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be > 0 Hz, got " + sampleRate);
        for (int c = 0; c < channels.length; c++) {
            if (channels[c] == null) throw new IllegalArgumentException("channel " + c + " is null");
            if (channels[c].length != channels[0].length) {
                throw new IllegalArgumentException("channel " + c + " has " + channels[c].length
                        + " samples but channel 0 has " + channels[0].length + "; all channels must be the same length");
            }
        }
        Long seed = dither ? 0x5EEDL : null;
        AtomicFiles.write(file, out -> WavCodec.write(out, channels, sampleRate, encoding, seed));
    }

    /** Receives the samples of a WAV file being written, in order, block by block. */
    @FunctionalInterface
    public interface SampleSink {
        /** Appends {@code samples[off .. off + n)}. */
        void write(float[] samples, int off, int n) throws IOException;
    }

    /** Makes the samples of a WAV file being written and hands them to the sink, block by block. */
    @FunctionalInterface
    public interface SampleProducer {
        void produce(SampleSink sink) throws IOException;
    }

    /**
     * Writes a mono WAV file whose samples are made while it is written, atomically (see
     * {@link AtomicFiles}: a temporary file beside the target, forced to disk, renamed over it): a
     * recording of any length in memory of one block. The header is written first, so the length is
     * given up front; the file is kept only if {@code producer} returns after writing exactly
     * {@code nSamples} samples (otherwise, or on an exception, the target is left as it was). The bytes
     * are those of {@link #writeWav(Path, float[], int, WavEncoding)} for the same samples.
     *
     * @param nSamples the number of samples {@code producer} writes
     */
    public static void writeWav(Path file, int sampleRate, long nSamples, WavEncoding encoding, SampleProducer producer)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(producer, "producer");
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be > 0 Hz, got " + sampleRate);
        if (nSamples < 0) throw new IllegalArgumentException("nSamples must be >= 0, got " + nSamples);
        AtomicFiles.write(file, out -> {
            WavCodec.MonoEncoder enc = new WavCodec.MonoEncoder(out, nSamples, sampleRate, encoding, null);
            producer.produce(enc);
            enc.finish();
        });
    }
}
