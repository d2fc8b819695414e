package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WAV decoding: sox-made fixtures (independent encoder; sox dithers when reducing bit depth, hence tolerances of about 2 LSB) and hand-built byte layouts. */
class WavReadTest {
    @TempDir Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(WavReadTest.class.getResource("/audio/" + name).toURI());
    }

    /** sox fixtures: 0.1 s at 8 kHz, channel c a sine of 440, 660, 880 Hz at amplitude 0.5. */
    @ParameterizedTest
    @CsvSource({
            "sine440_8k_u8.wav, 1, 0.016, PCM 8-bit",
            "sine440_8k_s24_stereo.wav, 2, 1e-5, PCM 24-bit",
            "sine440_8k_s32.wav, 1, 1e-5, PCM 32-bit",
            "sine440_8k_f64.wav, 1, 1e-5, float 64",
            "sine440_8k_alaw.wav, 1, 0.02, A-law",
            "sine440_8k_ulaw.wav, 1, 0.02, mu-law",
            "sine440_8k_s16_3ch.wav, 3, 1e-4, PCM 16-bit", // WAVE_FORMAT_EXTENSIBLE with a fact chunk
    })
    void readsSoxFixtures(String name, int channels, double tol, String formatPart) throws Exception {
        Audio a = AudioFile.read(fixture(name));
        assertEquals(8000, a.sampleRate());
        assertEquals(channels, a.numChannels());
        assertEquals(800, a.numFrames());
        assertTrue(a.format().contains(formatPart), a.format());
        double[] freqs = {440, 660, 880};
        for (int c = 0; c < channels; c++) {
            float[] x = a.channel(c);
            assertEquals(freqs[c], Signals.zeroCrossingHz(x, 0, 800, 8000), 0.5, "channel " + c);
            assertEquals(0.5, Signals.amplitudeAt(x, 0, 800, freqs[c], 8000), 0.5 * tol + 2e-3, "channel " + c);
            // sample by sample against the 64-bit float rendering of the same sox signal
            float[] ref = AudioFile.read(fixture("sine440_8k_f64.wav")).channel(0);
            if (c == 0) {
                assertTrue(Signals.maxAbsDiff(x, ref) <= tol, name + " max diff " + Signals.maxAbsDiff(x, ref));
            }
        }
    }

    // ---- hand-built layouts ------------------------------------------------------------------

    /** Builds a RIFF file from chunks; each chunk is {id, body}; odd bodies get a pad byte. */
    static byte[] riff(String form, Object... idBody) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < idBody.length; i += 2) {
            String id = (String) idBody[i];
            byte[] b = (byte[]) idBody[i + 1];
            body.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(le32(b.length));
            body.writeBytes(b);
            if ((b.length & 1) == 1) body.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(4 + body.size()));
        out.writeBytes(form.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int blockAlign = channels * bits / 8;
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag).putShort((short) channels)
                .putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits).array();
    }

    static byte[] pcm16(short... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) b.putShort(s);
        return b.array();
    }

    Audio readBytes(byte[] bytes) throws Exception {
        Path f = tmp.resolve("x.bin");
        Files.write(f, bytes);
        return AudioFile.read(f);
    }

    @Test
    void oddChunksAndListBeforeFmt() throws Exception {
        byte[] wav = riff("WAVE",
                "LIST", "INFOISFT\u0003\0\0\0ab\0".getBytes(StandardCharsets.ISO_8859_1), // 15 bytes: odd, padded
                "fmt ", fmt(1, 2, 22050, 16),
                "junk", new byte[] {1, 2, 3},
                "data", pcm16((short) 16384, (short) -16384, (short) 32767, (short) -32768),
                "LIST", new byte[] {9});
        Audio a = readBytes(wav);
        assertEquals(2, a.numChannels());
        assertEquals(2, a.numFrames());
        assertEquals(22050, a.sampleRate());
        assertArrayEquals(new float[] {0.5f, 32767 / 32768f}, a.channel(0));
        assertArrayEquals(new float[] {-0.5f, -1f}, a.channel(1));
        assertArrayEquals(new float[] {0f, (32767 - 32768) / 65536f}, a.mono(), 1e-7f);
    }

    @Test
    void streamedDataSizeMeansToEndOfFile() throws Exception {
        for (int declared : new int[] {0, -1}) {
            byte[] wav = riff("WAVE", "fmt ", fmt(1, 1, 8000, 16), "data", pcm16((short) 1000, (short) 2000, (short) 3000));
            // patch the data size field (after "data") to 0 or 0xFFFFFFFF and the RIFF size likewise
            int p = indexOf(wav, "data") + 4;
            ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(p, declared).putInt(4, declared);
            // a trailing odd byte must be ignored (partial frame)
            byte[] withTail = java.util.Arrays.copyOf(wav, wav.length - 1 + 2); // drop pad, add stray byte
            Audio a = readBytes(withTail);
            assertEquals(3, a.numFrames(), "declared " + declared);
            assertEquals(3000 / 32768f, a.channel(0)[2]);
        }
    }

    @Test
    void float32AndExtensibleFloat() throws Exception {
        ByteBuffer d = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f).putFloat(1e-3f);
        Audio a = readBytes(riff("WAVE", "fmt ", fmt(3, 1, 48000, 32), "fact", le32(3), "data", d.array()));
        assertArrayEquals(new float[] {0.25f, -1.5f, 1e-3f}, a.channel(0));
        // the same as WAVE_FORMAT_EXTENSIBLE with the float sub-format GUID
        ByteBuffer ext = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        ext.put(fmt(0xFFFE, 1, 48000, 32)).putShort((short) 22).putShort((short) 32).putInt(4).putShort((short) 3)
                .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        Audio b = readBytes(riff("WAVE", "fmt ", ext.array(), "data", d.array()));
        assertArrayEquals(a.channel(0), b.channel(0));
        assertTrue(b.format().contains("float 32"), b.format());
    }

    @Test
    void pcm24SignExtension() throws Exception {
        byte[] d = {0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        Audio a = readBytes(riff("WAVE", "fmt ", fmt(1, 1, 8000, 24), "data", d));
        assertArrayEquals(new float[] {-1f, 8388607 / 8388608f, 1 / 8388608f, -1 / 8388608f}, a.channel(0));
    }

    @Test
    void g711MatchesItuReferenceValues() {
        // ITU-T G.711 decoding: A-law 0xD5 -> +8, 0x55 -> -8, 0xAA -> +32256 (max); mu-law 0xFF -> 0, 0x00 -> -32124, 0x80 -> +32124
        assertEquals(8, WavCodec.alaw((byte) 0xD5));
        assertEquals(-8, WavCodec.alaw((byte) 0x55));
        assertEquals(32256, WavCodec.alaw((byte) 0xAA));
        assertEquals(0, WavCodec.mulaw((byte) 0xFF));
        assertEquals(-32124, WavCodec.mulaw((byte) 0x00));
        assertEquals(32124, WavCodec.mulaw((byte) 0x80));
    }

    static int indexOf(byte[] b, String s) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int j = 0; j < t.length; j++) if (b[i + j] != t[j]) continue outer;
            return i;
        }
        return -1;
    }
}
