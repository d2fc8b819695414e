package org.ddsp4j.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A WAV file read in blocks by frame and mixed to mono as it is read: a {@link MonoSource} at the
 * file's own rate. The header is parsed by the same code as the whole-file reader ({@link WavCodec#layout}),
 * the samples decoded by the same code ({@link WavCodec#decode}) and mixed with the arithmetic of
 * {@link Audio#mono()}, so the samples are those of {@code AudioFile.read(file).mono()}, bit for bit.
 * Memory: one block of bytes and one of samples per channel, whatever the length of the file (which
 * may be past the 2 GiB the whole-file reader takes, e.g. RF64).
 */
final class WavSource implements MonoSource {
    /** Most samples (frames x channels) decoded at once. */
    private static final int MAX_BLOCK_SAMPLES = 1 << 20;

    private final FileChannel ch;
    private final Path file;
    private final WavCodec.Layout layout;
    private final int blockFrames;
    private final ByteBuffer bytes;
    private final float[][] planes;

    private WavSource(FileChannel ch, Path file, WavCodec.Layout layout, int blockFrames) {
        this.ch = ch;
        this.file = file;
        this.layout = layout;
        this.blockFrames = Math.max(1, Math.min(blockFrames, MAX_BLOCK_SAMPLES / layout.channels()));
        this.bytes = ByteBuffer.allocate(this.blockFrames * layout.blockAlign()).order(ByteOrder.LITTLE_ENDIAN);
        this.planes = new float[layout.channels()][this.blockFrames];
    }

    /**
     * Parses the header of the WAV open in {@code ch} (the source takes the channel and closes it).
     *
     * @param blockFrames frames read from the file at once, >= 1
     * @throws AudioFormatException as {@link AudioFile#read} for a truncated, malformed, unsupported or empty file
     */
    static WavSource open(FileChannel ch, Path file, int blockFrames) throws IOException {
        if (blockFrames < 1) throw new IllegalArgumentException("blockFrames must be >= 1, got " + blockFrames);
        long size = ch.size();
        WavCodec.Layout l = WavCodec.layout((pos, n) -> {
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pos, b, file);
            return b.flip();
        }, size, file);
        return new WavSource(ch, file, l, blockFrames);
    }

    /** What the file holds, e.g. "WAV PCM 16-bit, 2 ch, 44100 Hz". */
    String description() {
        return layout.description();
    }

    @Override
    public int sampleRate() {
        return layout.sampleRate();
    }

    @Override
    public long length() {
        return layout.nFrames();
    }

    @Override
    public void read(long from, float[] dst, int off, int n) throws IOException {
        Objects.checkFromIndexSize(off, n, dst.length);
        long total = layout.nFrames();
        long a = Math.max(from, 0), b = Math.min(from + n, total);
        if (b <= a) {
            Arrays.fill(dst, off, off + n, 0f);
            return;
        }
        Arrays.fill(dst, off, off + (int) (a - from), 0f);
        Arrays.fill(dst, off + (int) (b - from), off + n, 0f);
        int nCh = layout.channels(), align = layout.blockAlign();
        float scale = 1f / nCh;
        for (long f = a; f < b; f += blockFrames) {
            int m = (int) Math.min(blockFrames, b - f), o = off + (int) (f - from);
            bytes.clear().limit(m * align);
            readFully(ch, layout.dataStart() + f * align, bytes, file);
            if (nCh == 1) {
                WavCodec.decode(bytes, 0, layout, m, new float[][] {dst}, o);
                continue;
            }
            WavCodec.decode(bytes, 0, layout, m, planes, 0);
            // As Audio.mono(): the channels added in order from 0, then scaled.
            for (int i = 0; i < m; i++) {
                float s = 0f;
                for (int c = 0; c < nCh; c++) s += planes[c][i];
                dst[o + i] = s * scale;
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** Fills {@code buf} from byte {@code pos} of the file. */
    private static void readFully(FileChannel ch, long pos, ByteBuffer buf, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new AudioFormatException(file, "ended at byte " + pos + " while it was being read: the file was "
                        + "shortened meanwhile; read it again once it is complete");
            }
            pos += r;
        }
    }
}
