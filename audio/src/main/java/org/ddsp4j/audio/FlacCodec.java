package org.ddsp4j.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.frame.Frame;
import org.jflac.metadata.Metadata;
import org.jflac.metadata.StreamInfo;

/** FLAC decoding through jflac-codec (pure Java). */
final class FlacCodec {
    private FlacCodec() {}

    static boolean isFlac(byte[] b, int off) {
        return off + 4 <= b.length && b[off] == 'f' && b[off + 1] == 'L' && b[off + 2] == 'a' && b[off + 3] == 'C';
    }

    /** STREAMINFO: 4-byte marker, 4-byte block header, 34-byte body. */
    private static final int STREAMINFO_END = 42;

    /** Decodes the FLAC stream starting at {@code off} (after any ID3 tag). */
    static Audio read(byte[] bytes, int off, Path file) throws AudioFormatException {
        if (bytes.length - off < STREAMINFO_END) {
            throw new AudioFormatException(file, "truncated FLAC header: " + (bytes.length - off)
                    + " bytes after the fLaC marker, STREAMINFO needs 42; the file was cut short, fetch or export it again");
        }
        int framesAt = framesStart(bytes, off, file);
        // jflac sees STREAMINFO (marked as the last block) and the frames only: it trusts the length
        // fields inside the other blocks (tags, pictures, cue sheets) and would allocate up to 16 GB
        // for a damaged one; none of them matters for decoding.
        byte[] head = java.util.Arrays.copyOfRange(bytes, off, off + STREAMINFO_END);
        head[4] |= (byte) 0x80;
        FLACDecoder dec = new FLACDecoder(new SequenceInputStream(new ByteArrayInputStream(head),
                new ByteArrayInputStream(bytes, framesAt, bytes.length - framesAt)));
        List<String> errors = new ArrayList<>();
        dec.addFrameListener(new FrameListener() {
            @Override public void processMetadata(Metadata metadata) {}
            @Override public void processFrame(Frame frame) {}
            @Override public void processError(String msg) {
                errors.add(msg);
                // Stop at the first bad frame: jflac would look for the next one, and on some damaged
                // frames it loops forever without consuming input.
                throw new BadFrame();
            }
        });
        // jflac prints lines such as "readResidual elsecase, pEsc = 15" for legal escape-coded residuals.
        return QuietStdout.call(() -> decode(dec, errors, bytes.length, file));
    }

    /**
     * Offset of the first frame: walks the metadata blocks after the marker at {@code off}, checking
     * that STREAMINFO comes first and that every block lies inside the file.
     */
    static int framesStart(byte[] b, int off, Path file) throws AudioFormatException {
        int p = off + 4;
        for (int index = 0; ; index++) {
            if (p + 4 > b.length) {
                throw new AudioFormatException(file, "truncated FLAC metadata: the file ends at byte " + b.length
                        + " inside the header of metadata block " + index + "; the file was cut short, fetch or export it again");
            }
            int type = b[p] & 0x7F;
            boolean last = (b[p] & 0x80) != 0;
            int len = (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
            if (index == 0 && (type != 0 || len != 34)) {
                throw new AudioFormatException(file, "malformed FLAC: the first metadata block is of type " + type + " and "
                        + len + " bytes, not STREAMINFO (type 0, 34 bytes); the file is damaged, re-encode it");
            }
            if (type == 127) {
                throw new AudioFormatException(file, "malformed FLAC: metadata block " + index + " at byte " + p
                        + " has the invalid type 127; the file is damaged, re-encode it");
            }
            if ((long) p + 4 + len > b.length) {
                throw new AudioFormatException(file, "truncated FLAC metadata: block " + index + " (type " + type + ") at byte "
                        + p + " declares " + len + " bytes but the file ends after " + (b.length - p - 4)
                        + "; the file was cut short or is damaged, fetch or export it again");
            }
            p += 4 + len;
            if (last) return p;
        }
    }

    /** Thrown from jflac's error callback to end decoding at the first bad frame. */
    private static final class BadFrame extends RuntimeException {
        BadFrame() {
            super(null, null, false, false);
        }
    }

    private static Audio decode(FLACDecoder dec, List<String> errors, int fileBytes, Path file) throws AudioFormatException {
        try {
            dec.readMetadata();
            StreamInfo info = dec.getStreamInfo();
            if (info == null) {
                throw new AudioFormatException(file, "malformed FLAC: no STREAMINFO block; the file is damaged, re-encode it");
            }
            int channels = info.getChannels(), bps = info.getBitsPerSample(), rate = info.getSampleRate();
            if (rate <= 0) {
                throw new AudioFormatException(file, "malformed FLAC: sample rate " + rate + " Hz in STREAMINFO; re-encode it");
            }
            long total = info.getTotalSamples(); // 0 = unknown
            if (total > Integer.MAX_VALUE - 16) {
                throw new AudioFormatException(file, "FLAC too long: " + total + " samples per channel exceeds a Java array; "
                        + "split the file into shorter pieces");
            }
            // The declared length sizes the buffer only up to the file's size (a damaged STREAMINFO
            // must not allocate gigabytes); highly compressed audio grows it as frames arrive.
            int cap = (int) Math.min(total > 0 ? total : 1 << 16, Math.max(1 << 16, fileBytes));
            int[][] pcm = new int[channels][cap];
            int n = 0;
            while (true) {
                Frame frame;
                try {
                    frame = dec.readNextFrame();
                } catch (BadFrame e) {
                    break; // reported below with the number of samples decoded
                }
                if (frame == null) break;
                int bs = frame.header.blockSize;
                if (frame.header.channels != channels) {
                    throw new AudioFormatException(file, "malformed FLAC: a frame has " + frame.header.channels
                            + " channels, STREAMINFO says " + channels + "; re-encode the file");
                }
                if (n + bs > cap) {
                    if ((long) n + bs > Integer.MAX_VALUE - 16) {
                        throw new AudioFormatException(file, "FLAC too long: over " + n + " samples per channel exceeds "
                                + "a Java array; split the file into shorter pieces");
                    }
                    cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(n + bs, 2L * cap));
                    for (int c = 0; c < channels; c++) pcm[c] = java.util.Arrays.copyOf(pcm[c], cap);
                }
                var data = dec.getChannelData();
                for (int c = 0; c < channels; c++) System.arraycopy(data[c].getOutput(), 0, pcm[c], n, bs);
                n += bs;
            }
            if (!errors.isEmpty() || dec.getBadFrames() > 0) {
                throw new AudioFormatException(file, "corrupt FLAC data after " + n + " samples ("
                        + (errors.isEmpty() ? dec.getBadFrames() + " bad frames" : errors.get(0))
                        + "); the file is damaged or cut short, fetch or re-encode it");
            }
            if (total > 0 && n < total) {
                throw new AudioFormatException(file, "truncated FLAC data: decoded " + n + " of the " + total
                        + " samples STREAMINFO declares; the file was cut short, fetch or export it again");
            }
            if (n == 0) {
                throw new AudioFormatException(file, "FLAC file holds zero-length audio (no frames); there is nothing "
                        + "to decode, record or export it again");
            }
            if (total > 0 && n > total) n = (int) total;
            double scale = 1.0 / (1L << (bps - 1));
            float[][] out = new float[channels][n];
            for (int c = 0; c < channels; c++) {
                int[] src = pcm[c];
                float[] dst = out[c];
                for (int i = 0; i < n; i++) dst[i] = (float) (src[i] * scale);
            }
            return new Audio(out, rate, "FLAC " + bps + "-bit, " + channels + " ch, " + rate + " Hz", file);
        } catch (AudioFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new AudioFormatException(file, "corrupt or truncated FLAC (" + e + "); the file is damaged or "
                    + "cut short, fetch or re-encode it", e);
        }
    }
}
