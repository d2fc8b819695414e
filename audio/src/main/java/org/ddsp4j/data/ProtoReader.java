package org.ddsp4j.data;

/**
 * A cursor over protobuf wire-format bytes (https://protobuf.dev/programming-guides/encoding/):
 * tags, varints, fixed-width values and length-delimited ranges, with bounds checks that name the
 * offset. Package-private: only {@link TfExample} needs it.
 */
final class ProtoReader {
    static final int VARINT = 0, I64 = 1, LEN = 2, SGROUP = 3, EGROUP = 4, I32 = 5;

    final byte[] buf;
    int pos;
    final int limit;

    ProtoReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    boolean atEnd() {
        return pos >= limit;
    }

    /** Reads a tag; returns {@code fieldNumber << 3 | wireType}. */
    int readTag(String message) {
        int at = pos;
        long tag = readVarint(message);
        if (tag >>> 3 == 0 || tag > 0xFFFF_FFFFL) {
            throw error(at, message + ": invalid tag " + tag + " (field number 0 or out of range)");
        }
        return (int) tag;
    }

    long readVarint(String message) {
        int at = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) throw error(at, message + ": varint runs past the end of its enclosing message");
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw error(at, message + ": varint longer than 10 bytes");
    }

    /** Reads a length prefix and returns the end offset of the range it announces (pos is its start). */
    int readLengthEnd(String message) {
        int at = pos;
        long len = readVarint(message);
        if (len < 0 || len > limit - pos) {
            throw error(at, message + ": length " + len + " runs past the end of its enclosing message ("
                    + (limit - pos) + " bytes left)");
        }
        return pos + (int) len;
    }

    /** Skips a field of the given wire type (unknown fields are allowed by protobuf and ignored here). */
    void skip(int wireType, int field, String message) {
        int at = pos;
        switch (wireType) {
            case VARINT -> readVarint(message);
            case I64 -> advance(8, at, message);
            case I32 -> advance(4, at, message);
            case LEN -> pos = readLengthEnd(message);
            default -> throw error(at, message + ": field " + field + " has wire type " + wireType
                    + (wireType == SGROUP || wireType == EGROUP ? " (groups are not supported)" : " (invalid)"));
        }
    }

    void advance(int n, int at, String message) {
        if (n > limit - pos) throw error(at, message + ": " + n + "-byte value runs past the end of its enclosing message");
        pos += n;
    }

    static MalformedExampleException error(int offset, String what) {
        return new MalformedExampleException("malformed tf.train.Example at byte " + offset + ": " + what);
    }
}
