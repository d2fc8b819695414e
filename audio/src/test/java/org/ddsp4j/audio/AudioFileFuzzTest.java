package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.testing.Fuzzer;
import org.junit.jupiter.api.Test;

/**
 * {@link AudioFile} on mutated WAV, FLAC and MP3 files: audio, or an {@link AudioFormatException}
 * naming the file; never another exception, a hang, an allocation beyond 64 MB or a line on stdout.
 * Seeds are the sox/lame fixtures plus a few layouts built here (RF64, extra FLAC metadata blocks,
 * ID3 tags). FLAC inputs of the seed's length get their frame CRCs recomputed half the time, so
 * mutations reach jflac's frame decoding instead of stopping at the CRC check.
 */
class AudioFileFuzzTest {
    static final Path NAME = Path.of("fuzz", "input.audio");

    static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(WavReadTest.fixture(name));
    }

    static Fuzzer fuzzer(String name, List<byte[]> seeds) {
        return Fuzzer.of(name, seeds).expect(e -> e instanceof AudioFormatException a && NAME.equals(a.file())
                && a.getMessage().contains(NAME.toString()));
    }

    static void decode(byte[] b) throws Exception {
        AudioFile.decode(b, NAME);
    }

    // ------------------------------------------------------------------------------ WAV

    static List<byte[]> wavSeeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : new String[] {"sine440_8k_u8.wav", "sine440_8k_alaw.wav", "sine440_8k_ulaw.wav", "sine440_8k_s32.wav",
                "sine440_8k_s24_stereo.wav", "sine440_8k_s16_3ch.wav", "sine440_8k_f64.wav"}) {
            seeds.add(fixture(f));
        }
        seeds.add(rf64());
        return seeds;
    }

    /** RF64 with RIFF and data sizes 0xFFFFFFFF and the real data size in the ds64 chunk. */
    static byte[] rf64() {
        ByteBuffer ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(8).putLong(4).putInt(0);
        byte[] wav = WavReadTest.riff("WAVE", "ds64", ds64.array(), "fmt ", WavReadTest.fmt(1, 1, 8000, 16),
                "data", WavReadTest.pcm16((short) 100, (short) -100, (short) 7, (short) 9), "LIST", new byte[6]);
        wav[0] = 'R';
        wav[1] = 'F';
        wav[2] = '6';
        wav[3] = '4';
        int p = WavReadTest.indexOf(wav, "data") + 4;
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1).putInt(p, -1);
        return wav;
    }

    @Test
    void mutatedWav() throws Exception {
        fuzzer("wav", wavSeeds()).dictionary("RIFF", "RF64", "WAVE", "fmt ", "data", "ds64", "LIST", "fact", "\u00fe\u00ff")
                .iterations(20000).run(AudioFileFuzzTest::decode);
    }

    // ------------------------------------------------------------------------------ FLAC

    static List<byte[]> flacSeeds() throws Exception {
        byte[] mono = fixture("sine440_16k_s16.flac");
        List<byte[]> seeds = new ArrayList<>(List.of(mono, fixture("sine440_44k_s24_stereo.flac")));
        seeds.add(withMetadataBlocks(mono));
        seeds.add(concat(id3Tag(4, 20), mono));
        return seeds;
    }

    /** An empty ID3v2 tag of the given major version with {@code size} (< 128) bytes of padding. */
    static byte[] id3Tag(int version, int size) {
        byte[] tag = new byte[10 + size];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = (byte) version;
        tag[9] = (byte) size;
        return tag;
    }

    /** {@code flac} with SEEKTABLE, APPLICATION, PICTURE and PADDING blocks after its own metadata. */
    static byte[] withMetadataBlocks(byte[] flac) {
        int p = 4, last;
        do {
            last = flac[p] & 0x80;
            p += 4 + ((flac[p + 1] & 0xFF) << 16 | (flac[p + 2] & 0xFF) << 8 | (flac[p + 3] & 0xFF));
        } while (last == 0);
        int framesAt = p;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(flac, 0, framesAt);
        byte[] copy = out.toByteArray();
        for (int q = 4; q < framesAt; q += 4 + ((copy[q + 1] & 0xFF) << 16 | (copy[q + 2] & 0xFF) << 8 | (copy[q + 3] & 0xFF))) {
            copy[q] &= 0x7F; // no longer the last block
        }
        out.reset();
        out.writeBytes(copy);
        ByteBuffer seek = ByteBuffer.allocate(36).putLong(0).putLong(0).putShort((short) 4096).putLong(4096).putLong(700)
                .putShort((short) 4096);
        block(out, 3, seek.array(), false);
        block(out, 2, "ddsp\u0001\u0002\u0003".getBytes(StandardCharsets.ISO_8859_1), false);
        ByteBuffer pic = ByteBuffer.allocate(32 + 9 + 4 + 4).putInt(3).putInt(9).put("image/png".getBytes(StandardCharsets.US_ASCII))
                .putInt(0).putInt(1).putInt(1).putInt(24).putInt(0).putInt(4).putInt(0x89504E47);
        block(out, 6, pic.array(), false);
        block(out, 1, new byte[16], true);
        out.write(flac, framesAt, flac.length - framesAt);
        return out.toByteArray();
    }

    private static void block(ByteArrayOutputStream out, int type, byte[] body, boolean last) {
        out.write((last ? 0x80 : 0) | type);
        out.write(body.length >> 16);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void mutatedFlacPrintsNothing() throws Exception {
        List<byte[]> seeds = flacSeeds();
        Fuzzer f = fuzzer("flac", seeds).dictionary("fLaC", "ID3", "\u00ff\u00f8").repair(new FlacCrcRepair(seeds)).iterations(5000);
        assertQuiet(() -> f.run(AudioFileFuzzTest::decode));
    }

    /** Runs {@code r} with stdout captured; fails if anything but the fuzzer's report line was printed. */
    static void assertQuiet(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        List<String> other = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            if (line.startsWith("fuzz ")) original.println(line);
            else if (!line.isEmpty()) other.add(line);
        }
        assertEquals(List.of(), other.subList(0, Math.min(other.size(), 5)), other.size() + " lines printed on stdout");
    }

    // ------------------------------------------------------------------------------ MP3

    static List<byte[]> mp3Seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : new String[] {"sine440_16k_mono.mp3", "sine440_16k_mono_notag.mp3", "sine440_16k_mono_short.mp3",
                "sine440_44k_stereo.mp3", "sine440_44k_stereo_vbr.mp3", "sine440_8k_mono_mpeg25.mp3"}) {
            seeds.add(fixture(f));
        }
        seeds.add(concat(id3Tag(3, 40), fixture("sine440_16k_mono_notag.mp3")));
        return seeds;
    }

    @Test
    void mutatedMp3() throws Exception {
        fuzzer("mp3", mp3Seeds()).dictionary("ID3", "Xing", "Info", "LAME", "TAG", "\u00ff\u00fb\u0090\u0044", "\u00ff\u00f3")
                .iterations(4000).run(AudioFileFuzzTest::decode);
    }

    // ------------------------------------------------------------------------------ regression cases

    static AudioFormatException refused(String label, byte[] input) {
        Throwable e = fuzzer(label, List.of(input)).check(label, input, AudioFileFuzzTest::decode);
        return assertInstanceOf(AudioFormatException.class, e, label + " was decoded");
    }

    static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    /** 7-bit samples were read as 8-bit; blockAlign 0 was silently replaced. Both are errors now. */
    @Test
    void wavWith7BitSamplesOrZeroBlockAlign() {
        byte[] pcm7 = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(1, 1, 8000, 7), "data", new byte[64]);
        ByteBuffer.wrap(pcm7).order(ByteOrder.LITTLE_ENDIAN).putShort(WavReadTest.indexOf(pcm7, "fmt ") + 8 + 12, (short) 1);
        assertMentions(refused("7-bit", pcm7), "unsupported WAV encoding", "7-bit samples");
        byte[] zero = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(1, 2, 8000, 16), "data", new byte[64]);
        ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).putShort(WavReadTest.indexOf(zero, "fmt ") + 8 + 12, (short) 0);
        assertMentions(refused("blockAlign 0", zero), "0 bytes per frame (blockAlign)", "2 channels of 16-bit");
    }

    /** STREAMINFO declaring 2^31 - 32 samples made the decoder allocate 8 GB up front, whatever the file held. */
    @Test
    void flacDeclaredLengthDoesNotSizeTheBuffer() throws Exception {
        byte[] flac = fixture("sine440_16k_s16.flac");
        long total = Integer.MAX_VALUE - 32;
        flac[21] = (byte) ((flac[21] & 0xF0) | (int) (total >>> 32));
        ByteBuffer.wrap(flac).putInt(22, (int) total);
        assertMentions(refused("total samples", flac), "truncated FLAC data", "decoded 8000 of the 2147483615 samples");
    }

    /**
     * jflac trusts the lengths inside metadata blocks (a VORBIS_COMMENT vendor string of 2 GB, a
     * comment count of 2^31) and the block lengths themselves; blocks other than STREAMINFO no longer
     * reach it, and every block must lie inside the file.
     */
    @Test
    void flacMetadataLengths() throws Exception {
        byte[] flac = fixture("sine440_16k_s16.flac"); // STREAMINFO, then VORBIS_COMMENT (68 bytes) at 42
        byte[] vendor = flac.clone();
        ByteBuffer.wrap(vendor).order(ByteOrder.LITTLE_ENDIAN).putInt(46, Integer.MAX_VALUE - 8);
        assertEquals(null, fuzzer("vendor", List.of(vendor)).check("vendor length", vendor, AudioFileFuzzTest::decode));
        byte[] pastEnd = flac.clone();
        pastEnd[43] = pastEnd[44] = pastEnd[45] = (byte) 0xFF;
        assertMentions(refused("block past the end", pastEnd), "truncated FLAC metadata", "declares 16777215 bytes");
        byte[] notFirst = flac.clone();
        notFirst[4] = 4;
        assertMentions(refused("no STREAMINFO", notFirst), "first metadata block is of type 4");
    }

    /** Found by the fuzzer: a damaged frame header after a good frame sent jflac's resync into an endless loop. */
    @Test
    void flacBadHeaderLoop() throws Exception {
        byte[] in = Files.readAllBytes(Path.of(AudioFileFuzzTest.class.getResource("/fuzz/flac-bad-header-loop.flac").toURI()));
        assertMentions(refused("bad header loop", in), "corrupt FLAC data after 4096 samples");
    }

    /** An escape-coded residual (legal FLAC) made jflac print "readResidual elsecase, pEsc = 15" on stdout. */
    @Test
    void flacEscapeCodedResidualDecodesQuietly() throws Exception {
        short[] x = {0, 1, -1, 32767, -32768, 1000, -1000, 12345, 7, -7, 256, -256, 3, 2, 1, 0};
        byte[] flac = escapeCodedFlac(x);
        Audio[] a = new Audio[1];
        assertQuiet(() -> {
            try {
                a[0] = AudioFile.decode(flac, NAME);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(x.length, a[0].numFrames());
        for (int i = 0; i < x.length; i++) assertEquals(x[i] / 32768f, a[0].channel(0)[i], "sample " + i);
    }

    /** One FLAC frame (8 kHz, mono, 16-bit) whose residual partition is escape-coded: the samples as raw 16-bit values. */
    static byte[] escapeCodedFlac(short[] samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("fLaC".getBytes(StandardCharsets.US_ASCII));
        int n = samples.length;
        Bits info = new Bits().put(n, 16).put(n, 16).put(0, 24).put(0, 24).put(8000, 20).put(0, 3).put(15, 5).put(n, 36);
        block(out, 0, concat(info.bytes(), new byte[16]), true); // MD5 0: not checked
        Bits f = new Bits().put(0xFFF8, 16).put(6, 4).put(4, 4).put(0, 4).put(4, 3).put(0, 1).put(0, 8).put(n - 1, 8);
        f.put(FlacCrcRepair.crc8(f.bytes(), 0, 6), 8);
        f.put(0, 1).put(8, 6).put(0, 1); // subframe FIXED, order 0, no wasted bits
        f.put(0, 2).put(0, 4).put(15, 4).put(16, 5); // Rice, one partition, escape code, 16-bit raw residuals
        for (short v : samples) f.put(v & 0xFFFF, 16);
        byte[] frame = f.bytes();
        int crc = FlacCrcRepair.crc16(frame, 0, frame.length);
        out.writeBytes(frame);
        out.write(crc >> 8);
        out.write(crc);
        return out.toByteArray();
    }

    /** Big-endian bit writer; {@link #bytes()} pads the last byte with zeros. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int nAcc;

        Bits put(long value, int nBits) {
            for (int i = nBits - 1; i >= 0; i--) {
                acc = acc << 1 | (value >>> i & 1);
                if (++nAcc == 8) {
                    out.write((int) acc);
                    acc = 0;
                    nAcc = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            byte[] b = out.toByteArray();
            return nAcc == 0 ? b : concat(b, new byte[] {(byte) (acc << (8 - nAcc))});
        }
    }

    /** JLayer decodes a frame cut short as if it were complete (zero-padded), so the cut went unnoticed. */
    @Test
    void mp3CutInsideAFrame() throws Exception {
        byte[] mp3 = fixture("sine440_16k_mono_notag.mp3"); // 16 frames of 144 bytes, no Xing tag
        AudioFormatException e = refused("cut mp3", java.util.Arrays.copyOf(mp3, mp3.length - 50));
        assertMentions(e, "truncated MP3", "at byte 2160, 94 of its 144 bytes present", "after 15 complete audio frames (0.54 s)");
        byte[] gapless = fixture("sine440_16k_mono.mp3"); // with a LAME tag: its frame count allows one frame less
        assertMentions(refused("cut gapless mp3", java.util.Arrays.copyOf(gapless, gapless.length - 10)), "truncated MP3");
        assertMentions(refused("cut header", java.util.Arrays.copyOf(mp3, 144 * 15 + 2)), "truncated MP3", "2 of its 4 bytes");
    }
}
