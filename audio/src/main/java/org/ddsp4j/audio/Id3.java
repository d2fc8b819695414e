package org.ddsp4j.audio;

/** ID3v2 tags, which may precede MP3 (and occasionally FLAC) audio. */
final class Id3 {
    private Id3() {}

    /**
     * Offset of the first byte after any ID3v2 tags at the start of {@code b} (0 when there is
     * none). May exceed {@code b.length} when a tag declares more bytes than the file has.
     */
    static int skipTag(byte[] b) {
        long pos = 0;
        // Some writers emit several tags back to back.
        while (pos + 10 <= b.length && b[(int) pos] == 'I' && b[(int) pos + 1] == 'D' && b[(int) pos + 2] == '3') {
            int p = (int) pos;
            int flags = b[p + 5] & 0xFF;
            long size = (b[p + 6] & 0x7FL) << 21 | (b[p + 7] & 0x7FL) << 14 | (b[p + 8] & 0x7FL) << 7 | (b[p + 9] & 0x7FL);
            pos += 10 + size + ((flags & 0x10) != 0 ? 10 : 0); // footer present
            if (pos > Integer.MAX_VALUE) return Integer.MAX_VALUE;
        }
        return (int) pos;
    }
}
