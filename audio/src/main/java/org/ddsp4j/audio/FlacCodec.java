package org.ddsp4j.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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

    /** Decodes the FLAC stream starting at {@code off} (after any ID3 tag). */
    static Audio read(byte[] bytes, int off, Path file) throws AudioFormatException {
        // STREAMINFO is the first metadata block: 4-byte magic + 4-byte block header + 34 bytes.
        if (bytes.length - off < 42) {
            throw new AudioFormatException(file, "truncated FLAC header: " + (bytes.length - off)
                    + " bytes after the fLaC marker, STREAMINFO needs 42; the file was cut short, fetch or export it again");
        }
        FLACDecoder dec = new FLACDecoder(new ByteArrayInputStream(bytes, off, bytes.length - off));
        List<String> errors = new ArrayList<>();
        dec.addFrameListener(new FrameListener() {
            @Override public void processMetadata(Metadata metadata) {}
            @Override public void processFrame(Frame frame) {}
            @Override public void processError(String msg) { errors.add(msg); }
        });
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
            int cap = total > 0 ? (int) total : 1 << 16;
            int[][] pcm = new int[channels][cap];
            int n = 0;
            Frame frame;
            while ((frame = dec.readNextFrame()) != null) {
                if (!errors.isEmpty()) break;
                int bs = frame.header.blockSize;
                if (frame.header.channels != channels) {
                    throw new AudioFormatException(file, "malformed FLAC: a frame has " + frame.header.channels
                            + " channels, STREAMINFO says " + channels + "; re-encode the file");
                }
                if (n + bs > cap) {
                    cap = Math.max(n + bs, cap * 2);
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
