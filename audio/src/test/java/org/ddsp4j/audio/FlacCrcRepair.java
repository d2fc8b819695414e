package org.ddsp4j.audio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Recomputes the CRC-8 of every frame header and the CRC-16 of every frame of a mutated FLAC file,
 * at the frame positions of the seed it came from (recognized by its length, so only mutations that
 * keep the length are repaired), so the fuzzer's mutations reach jflac's frame decoding.
 */
final class FlacCrcRepair implements UnaryOperator<byte[]> {
    /** Seed length -> frame start offsets, then the file length. */
    private final Map<Integer, int[]> frames = new HashMap<>();

    FlacCrcRepair(List<byte[]> seeds) {
        for (byte[] s : seeds) frames.put(s.length, frameStarts(s));
    }

    @Override
    public byte[] apply(byte[] b) {
        int[] starts = frames.get(b.length);
        if (starts == null) return b;
        b = b.clone();
        for (int i = 0; i + 1 < starts.length; i++) {
            int s = starts[i], e = starts[i + 1];
            int h = headerLength(b, s);
            if (h < 0 || s + h + 3 > e) continue;
            b[s + h] = (byte) crc8(b, s, h);
            int crc = crc16(b, s, e - 2 - s);
            b[e - 2] = (byte) (crc >> 8);
            b[e - 1] = (byte) crc;
        }
        return b;
    }

    /** Frame starts (headers whose CRC-8 checks) after the metadata, then {@code b.length}. */
    private static int[] frameStarts(byte[] b) {
        int p = Id3.skipTag(b) + 4, last;
        do {
            last = b[p] & 0x80;
            p += 4 + ((b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF));
        } while (last == 0);
        List<Integer> out = new ArrayList<>();
        for (; p + 16 < b.length; p++) {
            int h = headerLength(b, p);
            if (h > 0 && (crc8(b, p, h) == (b[p + h] & 0xFF))) {
                out.add(p);
                p += h;
            }
        }
        out.add(b.length);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Bytes of the frame header at {@code p} before its CRC-8, or -1 when there is no frame sync there. */
    static int headerLength(byte[] b, int p) {
        if (p + 16 > b.length || (b[p] & 0xFF) != 0xFF || (b[p + 1] & 0xFE) != 0xF8) return -1;
        int blockCode = (b[p + 2] & 0xFF) >> 4, rateCode = b[p + 2] & 0x0F;
        int ones = Integer.numberOfLeadingZeros(~b[p + 4] & 0xFF) - 24; // leading 1 bits of the UTF-8-coded number
        if (ones == 1 || ones > 7) return -1;
        int n = 4 + Math.max(1, ones);
        if (blockCode == 6) n += 1;
        if (blockCode == 7) n += 2;
        if (rateCode == 12) n += 1;
        if (rateCode == 13 || rateCode == 14) n += 2;
        return n;
    }

    static int crc8(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x07) & 0xFF : crc << 1 & 0xFF;
        }
        return crc;
    }

    static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? (crc << 1 ^ 0x8005) & 0xFFFF : crc << 1 & 0xFFFF;
        }
        return crc;
    }
}
