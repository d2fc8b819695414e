package org.ddsp4j.audio;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A mono signal read by position, block by block, so that a recording of any length is analysed and
 * played in memory that does not grow with it. Samples before 0 and from {@link #length()} on read as
 * zero (the convention of the resampler's and the analysis' padding), so a reader may ask for context
 * beyond either end.
 *
 * <p>Sources are {@link AudioFile#openMono}: a WAV file read in blocks, mixed to mono and resampled a
 * block at a time; {@link #of}: an array in memory. Reading the same positions gives the samples of the
 * whole-file path ({@link AudioFile#readMono}): the same code on the same numbers, bit for bit once the JIT
 * has compiled it (the interpreter's Vector API lane sums round differently, by an ulp). Not thread-safe:
 * one reader at a time.
 */
public interface MonoSource extends Closeable {
    /** Samples per second, Hz. */
    int sampleRate();

    /** Number of samples. */
    long length();

    /**
     * Reads samples {@code [from, from + n)} into {@code dst[off .. off + n)}; positions outside
     * {@code [0, length())} give 0.
     *
     * @throws IOException when the underlying file cannot be read (or has changed since it was opened)
     */
    void read(long from, float[] dst, int off, int n) throws IOException;

    /** Releases the file behind the source, if any. */
    @Override
    default void close() throws IOException {}

    /** Duration in seconds. */
    default double durationSeconds() {
        return length() / (double) sampleRate();
    }

    /** All samples, {@code [length()]}. */
    default float[] readAll() throws IOException {
        long n = length();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT, "%d samples (%.1f h at %d Hz) do not fit in "
                    + "one array; read this source in blocks", n, n / (double) sampleRate() / 3600, sampleRate()));
        }
        float[] out = new float[(int) n];
        read(0, out, 0, out.length);
        return out;
    }

    /**
     * This signal at another rate, resampled block by block as it is read (see {@link Resampler#over});
     * this source itself when the rates are equal. Closing the result closes this source.
     */
    default MonoSource resampledTo(int rate) {
        return Resampler.of(sampleRate(), rate).over(this);
    }

    /**
     * The first {@code n} samples of this signal, zero-padded when it is shorter (as
     * {@code Arrays.copyOf(signal, n)}). Closing the result closes this source.
     */
    default MonoSource trimmed(long n) {
        if (n < 0) throw new IllegalArgumentException("trimmed length must be >= 0, got " + n);
        MonoSource in = this;
        return new MonoSource() {
            @Override public int sampleRate() { return in.sampleRate(); }
            @Override public long length() { return n; }
            @Override public void close() throws IOException { in.close(); }

            @Override
            public void read(long from, float[] dst, int off, int count) throws IOException {
                Objects.checkFromIndexSize(off, count, dst.length);
                long end = from + count, inside = Math.max(from, Math.min(end, n));
                if (inside > from) in.read(from, dst, off, (int) (inside - from));
                Arrays.fill(dst, off + (int) (inside - from), off + count, 0f);
            }
        };
    }

    /** A signal in memory (not copied). */
    static MonoSource of(float[] samples, int sampleRate) {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be > 0 Hz, got " + sampleRate);
        return new MonoSource() {
            @Override public int sampleRate() { return sampleRate; }
            @Override public long length() { return samples.length; }

            @Override
            public void read(long from, float[] dst, int off, int n) {
                copy(samples, from, dst, off, n);
            }
        };
    }

    /**
     * Decoded audio mixed to mono as it is read: the samples of {@link Audio#mono()} (the same
     * arithmetic, bit for bit) without the copy of a multi-channel recording.
     */
    static MonoSource of(Audio audio) {
        if (audio.numChannels() == 1) return of(audio.channel(0), audio.sampleRate());
        float[][] ch = audio.channels();
        int nCh = ch.length, length = ch[0].length;
        float scale = 1f / nCh;
        return new MonoSource() {
            @Override public int sampleRate() { return audio.sampleRate(); }
            @Override public long length() { return length; }

            @Override
            public void read(long from, float[] dst, int off, int n) {
                Objects.checkFromIndexSize(off, n, dst.length);
                for (int i = 0; i < n; i++) {
                    long p = from + i;
                    if (p < 0 || p >= length) {
                        dst[off + i] = 0f;
                        continue;
                    }
                    float s = 0f;
                    for (int c = 0; c < nCh; c++) s += ch[c][(int) p];
                    dst[off + i] = s * scale;
                }
            }
        };
    }

    /** {@code src[from .. from + n)} into {@code dst[off ..]}, zeros outside {@code src}. */
    private static void copy(float[] src, long from, float[] dst, int off, int n) {
        Objects.checkFromIndexSize(off, n, dst.length);
        long a = Math.max(0, from), b = Math.min(src.length, from + n);
        if (b <= a) {
            Arrays.fill(dst, off, off + n, 0f);
            return;
        }
        Arrays.fill(dst, off, off + (int) (a - from), 0f);
        System.arraycopy(src, (int) a, dst, off + (int) (a - from), (int) (b - a));
        Arrays.fill(dst, off + (int) (b - from), off + n, 0f);
    }
}
