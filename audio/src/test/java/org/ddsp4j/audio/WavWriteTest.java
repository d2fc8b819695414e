package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV writing: round trips through the reader, clipping, dither statistics, atomic replacement. */
class WavWriteTest {
    @TempDir Path tmp;

    @Test
    void float32RoundTripIsExact() throws Exception {
        float[][] ch = {Signals.sine(1001, 440, 22050, 1.7, 0.3), Signals.sine(1001, 100, 22050, 0.2, 0)};
        Path f = tmp.resolve("f.wav");
        AudioFile.writeWav(f, ch, 22050, WavEncoding.FLOAT_32);
        Audio a = AudioFile.read(f);
        assertEquals(22050, a.sampleRate());
        assertArrayEquals(ch[0], a.channel(0)); // float is stored unchanged, no clipping
        assertArrayEquals(ch[1], a.channel(1));
        assertEquals(58 + 1001 * 8, Files.size(f)); // 18-byte fmt and a fact chunk for float
    }

    @Test
    void pcm16RoundTripWithinHalfLsb() throws Exception {
        float[] x = Signals.sine(5000, 1234.5, 48000, 0.9, 1.0);
        Path f = tmp.resolve("p.wav");
        AudioFile.writeWav(f, x, 48000, WavEncoding.PCM_16);
        Audio a = AudioFile.read(f);
        assertEquals(1, a.numChannels());
        assertTrue(Signals.maxAbsDiff(x, a.channel(0)) <= 0.5 / 32768 + 1e-9, "max diff " + Signals.maxAbsDiff(x, a.channel(0)));
        assertEquals(44 + 5000 * 2, Files.size(f));
    }

    @Test
    void pcm16Clips() throws Exception {
        float[] x = {1.5f, -2f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, 0.25f};
        Path f = tmp.resolve("c.wav");
        AudioFile.writeWav(f, x, 8000, WavEncoding.PCM_16);
        assertArrayEquals(new float[] {32767 / 32768f, -1f, 32767 / 32768f, -1f, 0f, 32767 / 32768f, 0.25f},
                AudioFile.read(f).channel(0));
    }

    @Test
    void manyChannelsUseExtensibleHeader() throws Exception {
        float[][] ch = new float[5][300];
        for (int c = 0; c < 5; c++) ch[c] = Signals.sine(300, 100 * (c + 1), 16000, 0.1 * (c + 1), c);
        Path f = tmp.resolve("m.wav");
        AudioFile.writeWav(f, ch, 16000, WavEncoding.PCM_16);
        byte[] head = Files.readAllBytes(f);
        assertEquals((byte) 0xFE, head[20]); // format tag 0xFFFE
        assertEquals((byte) 0xFF, head[21]);
        Audio a = AudioFile.read(f);
        assertEquals(5, a.numChannels());
        for (int c = 0; c < 5; c++) assertTrue(Signals.maxAbsDiff(ch[c], a.channel(c)) <= 0.5 / 32768 + 1e-9);
    }

    /**
     * A constant of 0.3 LSB rounds to 0 without dither; TPDF dither makes the quantiser unbiased,
     * so the mean of the written samples is 0.3 LSB, and the error stays within 1.5 LSB.
     */
    @Test
    void tpdfDitherRemovesQuantisationBias() throws Exception {
        int n = 200_000;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 0.3f / 32768);
        Path plain = tmp.resolve("plain.wav"), dith = tmp.resolve("dither.wav");
        AudioFile.writeWav(plain, new float[][] {x}, 16000, WavEncoding.PCM_16, false);
        AudioFile.writeWav(dith, new float[][] {x}, 16000, WavEncoding.PCM_16, true);
        for (float v : AudioFile.read(plain).channel(0)) assertEquals(0f, v);
        float[] y = AudioFile.read(dith).channel(0);
        double mean = 0, maxErr = 0;
        for (float v : y) { mean += v * 32768.0; maxErr = Math.max(maxErr, Math.abs(v * 32768.0 - 0.3)); }
        mean /= n;
        assertEquals(0.3, mean, 0.01); // standard error of the mean: ~0.6 LSB / sqrt(n) = 0.0013
        assertTrue(maxErr <= 1.5 + 1e-6, "max error " + maxErr + " LSB");
        // deterministic: the same input gives the same file
        Path again = tmp.resolve("again.wav");
        AudioFile.writeWav(again, new float[][] {x}, 16000, WavEncoding.PCM_16, true);
        assertArrayEquals(Files.readAllBytes(dith), Files.readAllBytes(again));
    }

    @Test
    void replacesAtomicallyLeavingNoTempFiles() throws Exception {
        Path f = tmp.resolve("r.wav");
        AudioFile.writeWav(f, new float[100], 8000, WavEncoding.PCM_16);
        AudioFile.writeWav(f, Signals.sine(50, 440, 8000, 0.5, 0), 8000, WavEncoding.FLOAT_32);
        assertEquals(50, AudioFile.read(f).numFrames());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void rejectsBadArguments() {
        Path f = tmp.resolve("bad.wav");
        var e = assertThrows(IllegalArgumentException.class,
                () -> AudioFile.writeWav(f, new float[][] {new float[10], new float[9]}, 8000, WavEncoding.PCM_16));
        assertTrue(e.getMessage().contains("channel 1 has 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AudioFile.writeWav(f, new float[10], 0, WavEncoding.PCM_16));
        assertThrows(IllegalArgumentException.class, () -> AudioFile.writeWav(f, new float[0][], 8000, WavEncoding.PCM_16));
        assertFalse(Files.exists(f));
    }

    @Test
    void monoAveragesChannels() {
        Audio a = new Audio(new float[][] {{1f, 0f, -1f}, {0f, 0.5f, 1f}}, 8000, "t", null);
        assertArrayEquals(new float[] {0.5f, 0.25f, 0f}, a.mono());
        assertEquals(3 / 8000.0, a.durationSeconds());
    }
}
