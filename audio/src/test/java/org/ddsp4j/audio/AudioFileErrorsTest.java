package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure names the file and the problem; formats are detected by content, not extension. */
class AudioFileErrorsTest {
    @TempDir Path tmp;

    AudioFormatException fails(Path f, String... parts) {
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(f, e.file());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        return e;
    }

    Path write(String name, byte[] b) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, b);
        return f;
    }

    static byte[] fixtureBytes(String name) throws Exception {
        return Files.readAllBytes(WavReadTest.fixture(name));
    }

    @Test
    void missingFile() {
        fails(tmp.resolve("nope.wav"), "no such file", "check the path");
    }

    @Test
    void directory() {
        fails(tmp, "is a directory");
    }

    @Test
    void emptyFile() throws Exception {
        fails(write("empty.wav", new byte[0]), "empty (0 bytes)");
    }

    @Test
    void notAudioShowsFirstBytes() throws Exception {
        fails(write("page.wav", "<!DOCTYPE html><html>".getBytes(StandardCharsets.US_ASCII)),
                "not a WAV/FLAC/MP3 file", "3c 21 44 4f 43 54 59 50 45 20 68 74", "\"<!DOCTYPE ht\"");
        fails(write("movie.wav", WavReadTest.riff("AVI ", "junk", new byte[4])), "not a WAV file", "'AVI '");
    }

    @Test
    void randomBytesStartingWithSyncAreNotMp3() throws Exception {
        byte[] b = new byte[4000];
        new java.util.Random(1).nextBytes(b);
        b[0] = (byte) 0xFF; b[1] = (byte) 0xFB; b[2] = (byte) 0x90; b[3] = 0x44; // plausible header, no second frame
        fails(write("noise.mp3", b), "not a WAV/FLAC/MP3 file");
    }

    @Test
    void detectsByContentNotExtension() throws Exception {
        Path f = write("actually_flac.wav", fixtureBytes("sine440_16k_s16.flac"));
        assertTrue(AudioFile.read(f).format().startsWith("FLAC"));
        Path g = write("actually_mp3.flac", fixtureBytes("sine440_16k_mono.mp3"));
        assertTrue(AudioFile.read(g).format().startsWith("MP3"));
        Path h = write("noext", fixtureBytes("sine440_8k_s32.wav"));
        assertTrue(AudioFile.read(h).format().startsWith("WAV"));
    }

    @Test
    void mp3AfterId3TagIsFound() throws Exception {
        byte[] mp3 = fixtureBytes("sine440_16k_mono.mp3");
        byte[] tag = new byte[10 + 300];
        tag[0] = 'I'; tag[1] = 'D'; tag[2] = '3'; tag[3] = 4;
        tag[8] = 300 >> 7; tag[9] = 300 & 127; // syncsafe size
        byte[] all = Arrays.copyOf(tag, tag.length + mp3.length);
        System.arraycopy(mp3, 0, all, tag.length, mp3.length);
        assertEquals(8000, AudioFile.read(write("tagged.mp3", all)).numFrames());
        // stray zero bytes between the tag and the first frame are skipped
        byte[] gap = new byte[tag.length + 37 + mp3.length];
        System.arraycopy(tag, 0, gap, 0, tag.length);
        System.arraycopy(mp3, 0, gap, tag.length + 37, mp3.length);
        assertEquals(8000, AudioFile.read(write("gap.mp3", gap)).numFrames());
        fails(write("tagonly.mp3", tag), "only an ID3 tag");
    }

    @Test
    void truncatedWavHeader() throws Exception {
        byte[] wav = fixtureBytes("sine440_8k_s32.wav");
        fails(write("t8.wav", Arrays.copyOf(wav, 8)), "truncated WAV header");
        fails(write("t20.wav", Arrays.copyOf(wav, 20)), "truncated WAV header", "'fmt '");
        fails(write("t30.wav", Arrays.copyOf(wav, 30)), "truncated WAV header");
    }

    @Test
    void truncatedWavData() throws Exception {
        byte[] wav = fixtureBytes("sine440_8k_s32.wav");
        fails(write("td.wav", Arrays.copyOf(wav, wav.length - 100)), "truncated WAV data", "3200 bytes", "3100 follow");
    }

    @Test
    void zeroLengthWav() throws Exception {
        byte[] wav = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(1, 1, 8000, 16), "data", new byte[0]);
        fails(write("zero.wav", wav), "zero-length audio");
        // 3 bytes of 16-bit stereo: less than one frame
        byte[] partial = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(1, 2, 8000, 16), "data", new byte[3]);
        fails(write("partial.wav", partial), "zero-length audio");
    }

    @Test
    void unsupportedWavEncoding() throws Exception {
        byte[] adpcm = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(0x11, 1, 8000, 4), "data", new byte[256]);
        fails(write("adpcm.wav", adpcm), "unsupported WAV encoding", "0x11", "IMA ADPCM", "sox");
        byte[] pcm12 = WavReadTest.riff("WAVE", "fmt ", WavReadTest.fmt(1, 1, 8000, 40), "data", new byte[50]);
        fails(write("pcm40.wav", pcm12), "unsupported WAV encoding", "40-bit");
    }

    @Test
    void flacErrors() throws Exception {
        byte[] flac = fixtureBytes("sine440_16k_s16.flac");
        fails(write("h.flac", Arrays.copyOf(flac, 20)), "truncated FLAC header");
        fails(write("d.flac", Arrays.copyOf(flac, flac.length / 2)), "FLAC", "cut short");
        // corrupt a byte inside the audio frames: CRC mismatch
        byte[] bad = flac.clone();
        bad[bad.length - 500] ^= 0x5A;
        fails(write("crc.flac", bad), "corrupt FLAC");
    }

    @Test
    void truncatedMp3WithTag() throws Exception {
        byte[] mp3 = fixtureBytes("sine440_44k_stereo.mp3");
        fails(write("t.mp3", Arrays.copyOf(mp3, mp3.length / 2)), "truncated MP3", "frames");
    }

    @Test
    void messagesSayHowToFix() throws Exception {
        AudioFormatException e = fails(write("e.wav", new byte[0]));
        assertTrue(e.getMessage().contains("again"), e.getMessage());
        assertInstanceOf(java.io.IOException.class, e);
    }

    @Test
    void rf64WithDs64Size() throws Exception {
        // RF64: RIFF size and data size 0xFFFFFFFF, real sizes in the ds64 chunk
        ByteBuffer ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(4).putLong(2).putInt(0);
        byte[] wav = WavReadTest.riff("WAVE", "ds64", ds64.array(), "fmt ", WavReadTest.fmt(1, 1, 8000, 16),
                "data", WavReadTest.pcm16((short) 100, (short) -100), "LIST", new byte[6]);
        wav[0] = 'R'; wav[1] = 'F'; wav[2] = '6'; wav[3] = '4';
        int p = WavReadTest.indexOf(wav, "data") + 4;
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(4, -1).putInt(p, -1);
        Audio a = AudioFile.read(write("rf64.wav", wav));
        assertArrayEquals(new float[] {100 / 32768f, -100 / 32768f}, a.channel(0));
    }
}
