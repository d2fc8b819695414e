package org.ddsp4j.audio;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MP3 (MPEG-1/2/2.5 Layer I/II/III) decoding through JLayer (pure Java).
 *
 * <p>JLayer decodes a Xing/Info header frame as 1152 samples of silence and never trims the
 * encoder delay and padding. This class finds the Xing/Info frame and its LAME extension itself,
 * drops the header frame's output and trims {@code encoderDelay + 529} samples at the start (529 =
 * delay of the standard MP3 synthesis filterbank) and the padding at the end, so a file written by
 * LAME (sox, ffmpeg) decodes to exactly its original length and alignment ("gapless"). Without a
 * LAME tag nothing is trimmed: the output then starts with the decoder and encoder delay (about
 * 1105 samples for LAME) and ends with up to a frame of padding.
 */
final class Mp3Codec {
    static final int DECODER_DELAY = 529;

    private Mp3Codec() {}

    private static final int[][] BITRATE_KBPS = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // MPEG-1 layer I
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // MPEG-1 layer II
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // MPEG-1 layer III
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // MPEG-2/2.5 layer I
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},          // MPEG-2/2.5 layer II/III
    };
    private static final int[][] RATES = {{11025, 12000, 8000}, null, {22050, 24000, 16000}, {44100, 48000, 32000}};

    /** A parsed MPEG audio frame header. */
    record FrameHeader(int version, int layer, int sampleRate, int channels, int frameBytes, int samplesPerFrame) {
        boolean mpeg1() { return version == 3; }
    }

    /** Parses the frame header at {@code p}, or returns null when the bytes there are not one. */
    static FrameHeader header(byte[] b, int p) {
        if (p + 4 > b.length) return null;
        int b1 = b[p + 1] & 0xFF, b2 = b[p + 2] & 0xFF, b3 = b[p + 3] & 0xFF;
        if ((b[p] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) return null;
        int version = (b1 >> 3) & 3, layerBits = (b1 >> 1) & 3;
        int brIdx = b2 >> 4, srIdx = (b2 >> 2) & 3, pad = (b2 >> 1) & 1;
        if (version == 1 || layerBits == 0 || brIdx == 0 || brIdx == 15 || srIdx == 3) return null;
        int layer = 4 - layerBits;
        int table = version == 3 ? layer - 1 : (layer == 1 ? 3 : 4);
        int bitrate = BITRATE_KBPS[table][brIdx] * 1000;
        int rate = RATES[version][srIdx];
        int channels = (b3 >> 6) == 3 ? 1 : 2;
        int bytes, spf;
        if (layer == 1) {
            bytes = (12 * bitrate / rate + pad) * 4;
            spf = 384;
        } else if (layer == 3 && version != 3) {
            bytes = 72 * bitrate / rate + pad;
            spf = 576;
        } else {
            bytes = 144 * bitrate / rate + pad;
            spf = 1152;
        }
        return new FrameHeader(version, layer, rate, channels, bytes, spf);
    }

    /**
     * True when a valid frame header sits at {@code off} and, if the file is long enough, another
     * one follows right after it (so random bytes starting with 0xFF are not taken for MP3).
     */
    static boolean isMp3(byte[] b, int off) {
        FrameHeader h = header(b, off);
        if (h == null) return false;
        int next = off + h.frameBytes();
        if (next + 4 > b.length) return true;
        return header(b, next) != null;
    }

    /** Gapless info from a Xing/Info frame: total frames (-1 unknown), encoder delay and padding (-1 unknown). */
    record Gapless(long frames, int delay, int padding) {}

    /** Reads the Xing/Info (and LAME) tag of the frame at {@code p}, or null when it is an audio frame. */
    static Gapless xing(byte[] b, int p, FrameHeader h) {
        int side = h.mpeg1() ? (h.channels() == 1 ? 17 : 32) : (h.channels() == 1 ? 9 : 17);
        int x = p + 4 + side;
        if (h.layer() != 3 || x + 8 > b.length || x + 8 > p + h.frameBytes()) return null;
        boolean xingTag = b[x] == 'X' && b[x + 1] == 'i' && b[x + 2] == 'n' && b[x + 3] == 'g';
        boolean infoTag = b[x] == 'I' && b[x + 1] == 'n' && b[x + 2] == 'f' && b[x + 3] == 'o';
        if (!xingTag && !infoTag) return null;
        int flags = be32(b, x + 4);
        int q = x + 8;
        long frames = -1;
        if ((flags & 1) != 0) { if (q + 4 > b.length) return new Gapless(-1, -1, -1); frames = be32(b, q) & 0xFFFFFFFFL; q += 4; }
        if ((flags & 2) != 0) q += 4;   // byte count
        if ((flags & 4) != 0) q += 100; // seek table
        if ((flags & 8) != 0) q += 4;   // quality
        // LAME extension: 9-byte encoder string, then 12 bytes, then 12-bit delay and 12-bit padding.
        int delay = -1, padding = -1;
        if (q + 24 <= b.length && q + 24 <= p + h.frameBytes() && isEncoderString(b, q)) {
            int d = q + 21;
            delay = (b[d] & 0xFF) << 4 | (b[d + 1] & 0xFF) >> 4;
            padding = (b[d + 1] & 0x0F) << 8 | (b[d + 2] & 0xFF);
        }
        return new Gapless(frames, delay, padding);
    }

    private static boolean isEncoderString(byte[] b, int q) {
        // "LAME3.100", "Lavc60.31" (ffmpeg), "Lavf..." all carry the LAME-format tag.
        return (b[q] == 'L' && (b[q + 1] == 'A' || b[q + 1] == 'a')) || (b[q] == 'G' && b[q + 1] == 'O');
    }

    private static int be32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    /** A file that ends inside a frame: the frame's offset and size, and how many complete frames precede it. */
    record Cut(int offset, int frameBytes, int completeFrames) {}

    /**
     * Walks the frames from {@code off} by their headers; returns where the file ends inside a frame
     * (JLayer pads a cut frame with zeros and says nothing), or null when the frames end cleanly or
     * are followed by something that is not a frame (an ID3v1 or APE tag).
     */
    static Cut cut(byte[] b, int off) {
        int p = off, count = 0;
        while (true) {
            int left = b.length - p;
            if (left < 4) { // at most a cut frame header, recognizable by its sync bits
                boolean sync = left > 0 && (b[p] & 0xFF) == 0xFF && (left < 2 || (b[p + 1] & 0xE0) == 0xE0);
                return sync ? new Cut(p, 4, count) : null;
            }
            FrameHeader h = header(b, p);
            if (h == null) return null;
            if (h.frameBytes() > left) return new Cut(p, h.frameBytes(), count);
            p += h.frameBytes();
            count++;
        }
    }

    /** Decodes the MP3 stream starting at {@code off} (after any ID3v2 tag). */
    static Audio read(byte[] bytes, int off, Path file) throws AudioFormatException {
        FrameHeader first = header(bytes, off);
        Gapless gap = xing(bytes, off, first);
        int channels = first.channels();
        int rate = first.sampleRate();
        Bitstream bs = new Bitstream(new ByteArrayInputStream(bytes, off, bytes.length - off));
        Decoder dec = new Decoder();
        float[][] pcm = new float[channels][1 << 16];
        int n = 0;
        long frames = 0;
        try {
            Header h;
            boolean skipFirst = gap != null;
            while ((h = bs.readFrame()) != null) {
                SampleBuffer sb = (SampleBuffer) dec.decodeFrame(h, bs);
                bs.closeFrame();
                if (skipFirst) { skipFirst = false; continue; } // the Xing/Info frame holds no audio
                frames++;
                int ch = sb.getChannelCount();
                if (ch != channels) {
                    throw new AudioFormatException(file, "MP3 switches from " + channels + " to " + ch
                            + " channels mid-stream; convert it to WAV first, e.g. `ffmpeg -i IN -ac 1 OUT.wav`");
                }
                short[] buf = sb.getBuffer();
                int len = sb.getBufferLength() / ch;
                if (n + len > pcm[0].length) {
                    int cap = Math.max(n + len, pcm[0].length * 2);
                    for (int c = 0; c < channels; c++) pcm[c] = java.util.Arrays.copyOf(pcm[c], cap);
                }
                for (int c = 0; c < channels; c++) {
                    float[] dst = pcm[c];
                    for (int i = 0, k = c; i < len; i++, k += ch) dst[n + i] = buf[k] * (1f / 32768);
                }
                n += len;
            }
            bs.close();
        } catch (AudioFormatException e) {
            throw e;
        } catch (Exception | Error e) {
            if (e instanceof OutOfMemoryError oom) throw oom;
            throw new AudioFormatException(file, "corrupt MP3 data after " + n + " samples (" + e + "); the file is "
                    + "damaged or cut short, fetch or re-encode it", e);
        }
        if (gap != null && gap.frames() > 0 && frames < gap.frames() - 1) {
            throw new AudioFormatException(file, "truncated MP3: decoded " + frames + " of the " + gap.frames()
                    + " frames its Xing/Info header declares; the file was cut short, fetch or export it again");
        }
        Cut cut = cut(bytes, off);
        if (cut != null) {
            int audioFrames = cut.completeFrames() - (gap != null ? 1 : 0);
            throw new AudioFormatException(file, String.format(java.util.Locale.ROOT, "truncated MP3: the file ends inside "
                    + "its last frame (at byte %d, %d of its %d bytes present), after %d complete audio frames (%.2f s); "
                    + "the file was cut short, fetch or export it again", cut.offset(), bytes.length - cut.offset(),
                    cut.frameBytes(), Math.max(0, audioFrames), Math.max(0, audioFrames) * (double) first.samplesPerFrame() / rate));
        }
        int start = 0, end = n;
        String desc = "MP3 MPEG-" + (first.version() == 3 ? "1" : first.version() == 2 ? "2" : "2.5")
                + " layer " + first.layer();
        if (gap != null && gap.delay() >= 0) {
            start = Math.min(n, gap.delay() + DECODER_DELAY);
            long expected = gap.frames() > 0 ? gap.frames() * first.samplesPerFrame() - gap.delay() - gap.padding() : -1;
            end = expected >= 0 ? (int) Math.min(n, start + expected) : Math.max(start, n - Math.max(0, gap.padding() - DECODER_DELAY));
            desc += ", gapless";
        }
        if (end - start <= 0) {
            throw new AudioFormatException(file, "MP3 file holds zero-length audio (" + frames + " audio frames); "
                    + "there is nothing to decode, record or export it again");
        }
        float[][] out = new float[channels][];
        for (int c = 0; c < channels; c++) out[c] = java.util.Arrays.copyOfRange(pcm[c], start, end);
        return new Audio(out, rate, desc + ", " + channels + " ch, " + rate + " Hz", file);
    }
}
