package org.ddsp4j.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * Hand-written RIFF/RF64 WAVE reader and writer.
 *
 * <p>Reads PCM 8-bit unsigned and 16/24/32-bit signed integer, IEEE float 32/64, G.711 A-law and
 * mu-law, and WAVE_FORMAT_EXTENSIBLE wrapping any of them; any channel count; chunks in any order
 * with odd sizes padded to even; a data size of 0 or 0xFFFFFFFF (written by streaming tools that
 * could not seek back) means "to the end of the file".
 */
final class WavCodec {
    static final int TAG_PCM = 1, TAG_FLOAT = 3, TAG_ALAW = 6, TAG_MULAW = 7, TAG_EXTENSIBLE = 0xFFFE;

    private WavCodec() {}

    /** True when the first bytes are a RIFF or RF64 header with form type WAVE. */
    static boolean isWav(byte[] head, int n) {
        return n >= 12 && (ascii(head, 0, "RIFF") || ascii(head, 0, "RF64")) && ascii(head, 8, "WAVE");
    }

    /**
     * Where the samples of a WAV file lie and how they are encoded.
     *
     * @param tag            format tag of the samples (PCM, float, A-law, mu-law; an extensible header's sub-format)
     * @param containerBytes bytes per sample of one channel
     * @param dataStart      file offset of the first sample
     * @param nFrames        samples per channel, at least 1
     * @param description    e.g. "WAV PCM 16-bit, 2 ch, 44100 Hz"
     */
    record Layout(int tag, int channels, int sampleRate, int containerBytes, long dataStart, long nFrames, String description) {
        /** Bytes per frame (one sample of every channel). */
        int blockAlign() {
            return containerBytes * channels;
        }
    }

    /** Random access to a file's bytes while its header is parsed. */
    interface Bytes {
        /**
         * The {@code n} bytes at {@code pos} as a little-endian buffer (position 0, limit {@code n}); the caller
         * has checked that they lie inside the file.
         */
        ByteBuffer at(long pos, int n) throws IOException;
    }

    /**
     * Decodes a whole WAV file held in {@code buf} (position 0 = start of file).
     *
     * @throws AudioFormatException for truncated, malformed, unsupported or empty files
     */
    static Audio read(ByteBuffer buf, Path file) throws AudioFormatException {
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Layout l;
        try {
            l = layout((pos, n) -> le.slice((int) pos, n).order(ByteOrder.LITTLE_ENDIAN), le.limit(), file);
        } catch (AudioFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("a buffer in memory is always readable", e);
        }
        if (l.nFrames() > Integer.MAX_VALUE - 16) {
            throw new AudioFormatException(file, "WAV too long: " + l.nFrames() + " frames per channel exceeds a Java "
                    + "array; split the file into shorter pieces");
        }
        int nFrames = (int) l.nFrames();
        float[][] out = new float[l.channels()][nFrames];
        decode(le, (int) l.dataStart(), l, nFrames, out, 0);
        return new Audio(out, l.sampleRate(), l.description(), file);
    }

    /**
     * Parses a WAV header: walks the chunks up to the audio data. The whole-file reader and the
     * block reader ({@link WavSource}) share it, so both accept and refuse the same files.
     *
     * @param src      the file's bytes
     * @param fileSize the file's length in bytes
     * @throws AudioFormatException for truncated, malformed, unsupported or empty files
     */
    static Layout layout(Bytes src, long fileSize, Path file) throws IOException {
        if (fileSize < 12) throw truncated(file, "the 12-byte RIFF header", fileSize);
        ByteBuffer riff = src.at(0, 12);
        boolean rf64 = riff.get(0) == 'R' && riff.get(1) == 'F';
        long ds64DataSize = -1;

        int tag = -1, channels = 0, sampleRate = 0, blockAlign = 0, bits = 0, validBits = 0;
        long dataStart = -1, dataSize = -1;
        boolean fmtSeen = false;
        long pos = 12;
        while (pos + 8 <= fileSize) {
            ByteBuffer head = src.at(pos, 8);
            String id = fourcc(head, 0);
            long size = Integer.toUnsignedLong(head.getInt(4));
            long body = pos + 8;
            if (id.equals("ds64")) {
                if (body + 16 > fileSize) throw truncated(file, "the ds64 chunk", fileSize);
                ds64DataSize = src.at(body, 16).getLong(8);
            } else if (id.equals("fmt ")) {
                if (size < 16) {
                    throw new AudioFormatException(file, "malformed WAV: 'fmt ' chunk is " + size
                            + " bytes, needs at least 16; the file is damaged, re-export it");
                }
                if (body + 16 > fileSize) throw truncated(file, "the 'fmt ' chunk", fileSize);
                ByteBuffer fmt = src.at(body, (int) Math.min(40, fileSize - body));
                tag = Short.toUnsignedInt(fmt.getShort(0));
                channels = Short.toUnsignedInt(fmt.getShort(2));
                sampleRate = fmt.getInt(4);
                blockAlign = Short.toUnsignedInt(fmt.getShort(12));
                bits = Short.toUnsignedInt(fmt.getShort(14));
                validBits = bits;
                if (tag == TAG_EXTENSIBLE) {
                    if (size < 40 || body + 40 > fileSize) {
                        throw new AudioFormatException(file, "malformed WAV: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is "
                                + size + " bytes, needs 40; the file is damaged or truncated, re-export it");
                    }
                    int vb = Short.toUnsignedInt(fmt.getShort(18));
                    if (vb != 0) validBits = vb;
                    // The sub-format GUID starts with the ordinary 16-bit format tag.
                    tag = Short.toUnsignedInt(fmt.getShort(24));
                }
                fmtSeen = true;
            } else if (id.equals("data")) {
                dataStart = body;
                long remaining = fileSize - body;
                if (rf64 && size == 0xFFFFFFFFL && ds64DataSize >= 0) size = ds64DataSize;
                if (size == 0 || size == 0xFFFFFFFFL) {
                    dataSize = remaining; // streamed WAV: size unknown when the header was written
                } else if (size > remaining) {
                    throw new AudioFormatException(file, "truncated WAV data: the header declares " + size
                            + " bytes of audio but only " + remaining + " follow; the file was cut short "
                            + "(incomplete download or copy), fetch or export it again");
                } else {
                    dataSize = size;
                }
                if (fmtSeen) break;
                if (dataSize == remaining) break; // nothing can follow a to-end-of-file data chunk
            }
            pos = body + size + (size & 1); // chunks are padded to an even size
        }
        if (!fmtSeen) {
            if (fileSize < 44) throw truncated(file, "a 'fmt ' chunk (the file ends after " + fileSize + " bytes)", fileSize);
            throw new AudioFormatException(file, "malformed WAV: no 'fmt ' chunk before the audio data; "
                    + "the file is damaged, re-export it");
        }
        if (dataStart < 0) {
            throw new AudioFormatException(file, "truncated or malformed WAV: no 'data' chunk in " + fileSize
                    + " bytes; the file was cut short or holds no audio, export it again");
        }
        if (channels <= 0) {
            throw new AudioFormatException(file, "malformed WAV: channel count is 0; the header is damaged");
        }
        if (sampleRate <= 0) {
            throw new AudioFormatException(file, "malformed WAV: sample rate is " + Integer.toUnsignedString(sampleRate)
                    + " Hz; the header is damaged");
        }
        String desc = describe(tag, bits, validBits, file);
        if (blockAlign == 0) {
            throw new AudioFormatException(file, "malformed WAV: the 'fmt ' chunk gives 0 bytes per frame (blockAlign) for "
                    + channels + " channels of " + bits + "-bit samples; the header is damaged, re-export it");
        }
        // The sample size decides the layout: some writers leave a wrong (non-zero) blockAlign.
        int containerBytes = bits / 8;
        blockAlign = containerBytes * channels;
        long nFramesL = dataSize / blockAlign;
        if (nFramesL == 0) {
            throw new AudioFormatException(file, "WAV file holds zero-length audio (data chunk of " + dataSize
                    + " bytes, " + blockAlign + " bytes per frame); there is nothing to decode, record or export it again");
        }
        return new Layout(tag, channels, sampleRate, containerBytes, dataStart, nFramesL,
                desc + ", " + channels + " ch, " + sampleRate + " Hz");
    }

    /** Checks that {@code tag} with {@code bits}-bit samples is supported and describes it. */
    private static String describe(int tag, int bits, int validBits, Path file) throws AudioFormatException {
        switch (tag) {
            case TAG_PCM -> {
                if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                    throw unsupported(file, "PCM with " + bits + "-bit samples; only 8, 16, 24 and 32-bit PCM are supported");
                }
                if (validBits > bits) {
                    throw new AudioFormatException(file, "malformed WAV: " + validBits + " valid bits in " + bits
                            + "-bit samples; the header is damaged, re-export it");
                }
                return "WAV PCM " + (bits == 8 ? "8-bit unsigned" : validBits + "-bit");
            }
            case TAG_FLOAT -> {
                if (bits != 32 && bits != 64) {
                    throw unsupported(file, "IEEE float with " + bits + "-bit samples; only 32 and 64-bit float are supported");
                }
                return "WAV float " + bits + "-bit";
            }
            case TAG_ALAW, TAG_MULAW -> {
                if (bits != 8) {
                    throw unsupported(file, "G.711 with " + bits + "-bit samples; G.711 samples are 8-bit");
                }
                return tag == TAG_ALAW ? "WAV A-law" : "WAV mu-law";
            }
            default -> throw unsupported(file, "compressed encoding with format tag 0x" + Integer.toHexString(tag)
                    + " (" + tagName(tag) + "); supported are PCM, IEEE float, A-law and mu-law");
        }
    }

    /**
     * Decodes {@code nFrames} frames that start at byte {@code start} of {@code buf} (little-endian) into
     * {@code out[c][outOff ..]}, one array per channel.
     */
    static void decode(ByteBuffer buf, int start, Layout l, int nFrames, float[][] out, int outOff) {
        int tag = l.tag(), cb = l.containerBytes(), channels = l.channels();
        int stride = cb * channels, end = outOff + nFrames;
        for (int c = 0; c < channels; c++) {
            float[] dst = out[c];
            int p = start + c * cb;
            switch (tag) {
                case TAG_PCM -> {
                    switch (cb) {
                        case 1 -> { for (int i = outOff; i < end; i++, p += stride) dst[i] = ((buf.get(p) & 0xFF) - 128) * (1f / 128); }
                        case 2 -> { for (int i = outOff; i < end; i++, p += stride) dst[i] = buf.getShort(p) * (1f / 32768); }
                        case 3 -> {
                            for (int i = outOff; i < end; i++, p += stride) {
                                int v = (buf.get(p) & 0xFF) | (buf.get(p + 1) & 0xFF) << 8 | buf.get(p + 2) << 16;
                                dst[i] = v * (1f / 8388608);
                            }
                        }
                        default -> { for (int i = outOff; i < end; i++, p += stride) dst[i] = (float) (buf.getInt(p) * (1.0 / 2147483648.0)); }
                    }
                }
                case TAG_FLOAT -> {
                    if (cb == 4) { for (int i = outOff; i < end; i++, p += stride) dst[i] = buf.getFloat(p); }
                    else { for (int i = outOff; i < end; i++, p += stride) dst[i] = (float) buf.getDouble(p); }
                }
                case TAG_ALAW -> { for (int i = outOff; i < end; i++, p += stride) dst[i] = alaw(buf.get(p)) * (1f / 32768); }
                default -> { for (int i = outOff; i < end; i++, p += stride) dst[i] = mulaw(buf.get(p)) * (1f / 32768); }
            }
        }
    }

    /** G.711 A-law byte to 16-bit linear (ITU-T G.711 reference decoder). */
    static int alaw(byte b) {
        int a = (b & 0xFF) ^ 0x55;
        int seg = (a & 0x70) >> 4;
        int t = (a & 0x0F) << 4;
        t = seg == 0 ? t + 8 : (t + 0x108) << (seg - 1);
        return (a & 0x80) != 0 ? t : -t;
    }

    /** G.711 mu-law byte to 16-bit linear (ITU-T G.711 reference decoder). */
    static int mulaw(byte b) {
        int u = ~b & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /**
     * Writes a canonical 44-byte-header WAV (or 80-byte WAVE_FORMAT_EXTENSIBLE header when there are
     * more than two channels, as the format requires).
     *
     * @param channels {@code [nChannels][nFrames]}
     * @param ditherSeed TPDF dither for PCM when non-null (seed of the noise), none when null
     */
    static void write(OutputStream out, float[][] channels, int sampleRate, WavEncoding enc, Long ditherSeed)
            throws IOException {
        int nCh = channels.length;
        int nFrames = channels[0].length;
        int blockAlign = writeHeader(out, nCh, nFrames, sampleRate, enc);
        RandomGenerator rng = ditherSeed == null || enc != WavEncoding.PCM_16 ? null : seeded(ditherSeed);
        int framesPerBlock = Math.max(1, 65536 / blockAlign);
        ByteBuffer blk = ByteBuffer.allocate(framesPerBlock * blockAlign).order(ByteOrder.LITTLE_ENDIAN);
        for (int f0 = 0; f0 < nFrames; f0 += framesPerBlock) {
            int f1 = Math.min(nFrames, f0 + framesPerBlock);
            blk.clear();
            for (int i = f0; i < f1; i++) {
                for (int c = 0; c < nCh; c++) put(blk, channels[c][i], enc, rng);
            }
            out.write(blk.array(), 0, blk.position());
        }
    }

    /**
     * Writes the header of a WAV of {@code nFrames} frames of {@code nCh} channels (the sizes are
     * known before the samples follow).
     *
     * @return bytes per frame
     * @throws IllegalArgumentException over the 4 GiB a RIFF file holds
     */
    static int writeHeader(OutputStream out, int nCh, long nFrames, int sampleRate, WavEncoding enc) throws IOException {
        int bytesPer = enc.bitsPerSample / 8;
        int blockAlign = bytesPer * nCh;
        long dataBytes = nFrames * blockAlign;
        boolean extensible = nCh > 2;
        // Non-PCM formats need the extended fmt chunk (cbSize) and a fact chunk with the frame count.
        boolean nonPcm = extensible || enc != WavEncoding.PCM_16;
        int fmtSize = extensible ? 40 : nonPcm ? 18 : 16;
        int factSize = nonPcm ? 12 : 0;
        long riffSize = 4 + (8 + fmtSize) + factSize + (8 + dataBytes);
        if (riffSize > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("audio of " + nFrames + " frames x " + nCh + " channels is " + dataBytes
                    + " bytes, over the 4 GiB WAV limit; write shorter files");
        }
        ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtSize + factSize + 8).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(fmtSize);
        h.putShort((short) (extensible ? TAG_EXTENSIBLE : enc.formatTag)).putShort((short) nCh);
        h.putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) enc.bitsPerSample);
        if (extensible) {
            h.putShort((short) 22).putShort((short) enc.bitsPerSample).putInt(0); // cbSize, valid bits, no speaker mask
            h.putShort((short) enc.formatTag);
            h.put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        } else if (nonPcm) {
            h.putShort((short) 0); // cbSize
        }
        if (nonPcm) h.put(ascii("fact")).putInt(4).putInt((int) nFrames);
        h.put(ascii("data")).putInt((int) dataBytes);
        out.write(h.array(), 0, h.position());
        return blockAlign;
    }

    /** One sample in the file's encoding. */
    private static void put(ByteBuffer blk, float x, WavEncoding enc, RandomGenerator rng) {
        if (enc == WavEncoding.FLOAT_32) {
            blk.putFloat(x);
        } else {
            blk.putShort(toPcm16(x, rng));
        }
    }

    /**
     * The samples of a mono WAV, block by block, after {@link #writeHeader}: the bytes are those
     * {@link #write} gives for the whole signal at once (the dither noise continues across blocks).
     */
    static final class MonoEncoder implements AudioFile.SampleSink {
        private final OutputStream out;
        private final WavEncoding enc;
        private final RandomGenerator rng;
        private final long declared;
        private final ByteBuffer blk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        /** Writes the header of {@code nFrames} samples and encodes what follows. */
        MonoEncoder(OutputStream out, long nFrames, int sampleRate, WavEncoding enc, Long ditherSeed) throws IOException {
            writeHeader(out, 1, nFrames, sampleRate, enc);
            this.out = out;
            this.enc = enc;
            this.rng = ditherSeed == null || enc != WavEncoding.PCM_16 ? null : seeded(ditherSeed);
            this.declared = nFrames;
        }

        @Override
        public void write(float[] samples, int off, int n) throws IOException {
            java.util.Objects.checkFromIndexSize(off, n, samples.length);
            if (written + n > declared) {
                throw new IllegalStateException("WAV writer: " + (written + n) + " samples written into a file declared to hold "
                        + declared);
            }
            for (int i = off, end = off + n; i < end; i++) {
                if (blk.remaining() < 4) drain();
                put(blk, samples[i], enc, rng);
            }
            written += n;
        }

        /** Writes out what is buffered; refuses a file that got fewer samples than its header declares. */
        void finish() throws IOException {
            drain();
            if (written != declared) {
                throw new IllegalStateException("WAV writer: " + written + " samples written into a file declared to hold "
                        + declared + "; the file is not kept");
            }
        }

        private void drain() throws IOException {
            out.write(blk.array(), 0, blk.position());
            blk.clear();
        }
    }

    private static RandomGenerator seeded(long seed) {
        return java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /**
     * Float in [-1, 1] to 16-bit PCM: scale by 32768, optionally add triangular (TPDF) dither of
     * +-1 LSB, round, clip to [-32768, 32767]. NaN becomes 0.
     */
    static short toPcm16(float x, RandomGenerator rng) {
        if (x != x) return 0;
        double v = x * 32768.0;
        if (rng != null) v += rng.nextDouble() - rng.nextDouble();
        long r = Math.round(v);
        if (r > 32767) r = 32767;
        if (r < -32768) r = -32768;
        return (short) r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean ascii(byte[] b, int off, String s) {
        for (int i = 0; i < 4; i++) if (b[off + i] != s.charAt(i)) return false;
        return true;
    }

    static String fourcc(ByteBuffer buf, int p) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) c[i] = (char) (buf.get(p + i) & 0xFF);
        return new String(c);
    }

    private static String tagName(int tag) {
        return switch (tag) {
            case 2 -> "Microsoft ADPCM";
            case 0x11 -> "IMA ADPCM";
            case 0x31 -> "GSM 6.10";
            case 0x50 -> "MPEG";
            case 0x55 -> "MPEG Layer 3";
            case 0x161 -> "Windows Media Audio";
            default -> "unknown";
        };
    }

    private static AudioFormatException truncated(Path file, String what, long size) {
        return new AudioFormatException(file, "truncated WAV header: the file is " + size + " bytes and ends before "
                + what + "; it was cut short (incomplete download or copy), fetch or export it again");
    }

    private static AudioFormatException unsupported(Path file, String what) {
        return new AudioFormatException(file, "unsupported WAV encoding: " + what
                + "; convert it first, e.g. `sox IN -e signed-integer -b 16 OUT.wav` or `ffmpeg -i IN -c:a pcm_s16le OUT.wav`");
    }
}
