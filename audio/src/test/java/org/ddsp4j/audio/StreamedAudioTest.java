package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Long inputs are read, resampled and written block by block; with small blocks forced, every path
 * gives the samples (and the bytes) of the whole-file path. Reading and writing are scalar code and
 * exact (tolerance 0). Resampling runs the same dot products on the same samples, bit for bit once the
 * JIT has compiled them; the interpreter's Vector API lane sum rounds differently from compiled code,
 * so a first call may differ by an ulp (measured 6e-8): tolerance 1e-6.
 */
class StreamedAudioTest {
    @TempDir Path tmp;

    /** Reads {@code src} in pieces of random length (1 .. maxPiece) from {@code start} up to {@code end}. */
    private static float[] readInPieces(MonoSource src, long start, long end, int maxPiece, long seed) throws Exception {
        float[] out = new float[(int) (end - start)];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < out.length; ) {
            int n = Math.min(out.length - i, 1 + r.nextInt(maxPiece));
            src.read(start + i, out, i, n);
            i += n;
        }
        return out;
    }

    /** {@code x[from .. to)} with zeros outside {@code x}. */
    private static float[] padded(float[] x, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) if (i >= 0 && i < x.length) out[i - from] = x[i];
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "sine440_8k_u8.wav, 1", "sine440_8k_s24_stereo.wav, 1", "sine440_8k_s32.wav, 7", "sine440_8k_f64.wav, 64",
            "sine440_8k_alaw.wav, 3", "sine440_8k_ulaw.wav, 100", "sine440_8k_s16_3ch.wav, 5", "sine440_8k_s16_3ch.wav, 1000"})
    void wavBlocksGiveTheWholeFileMonoMix(String name, int block) throws Exception {
        Path f = WavReadTest.fixture(name);
        float[] whole = AudioFile.read(f).mono();
        try (MonoSource s = AudioFile.openMono(f, 8000, block)) {
            assertEquals(8000, s.sampleRate());
            assertEquals(whole.length, s.length());
            assertArrayEquals(whole, s.readAll());
            // Any window, also reaching before the start and past the end (zeros there).
            assertArrayEquals(padded(whole, -37, whole.length + 50), readInPieces(s, -37, whole.length + 50, 23, 1));
        }
    }

    @ParameterizedTest
    @CsvSource({"44100, 16000, 1", "44100, 16000, 13", "16000, 44100, 4096", "48000, 16000, 7", "22050, 16000, 100000",
            "8000, 16000, 3", "44100, 44101, 50"})
    void resamplingInBlocksEqualsTheWholeSignal(int in, int out, int block) throws Exception {
        float[] x = new float[in / 3 + 17];
        SplittableRandom r = new SplittableRandom(in + out);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(i * 0.05) + 0.3 * (r.nextDouble() - 0.5));
        Resampler rs = Resampler.of(in, out);
        float[] whole = rs.process(x);
        MonoSource view = rs.over(MonoSource.of(x, in), block);
        assertEquals(out, view.sampleRate());
        assertEquals(whole.length, view.length());
        assertArrayEquals(whole, view.readAll(), 1e-6f);
        assertArrayEquals(padded(whole, -5, whole.length + 9), readInPieces(view, -5, whole.length + 9, 501, 2), 1e-6f);
    }

    @Test
    void openMonoGivesReadMonoForWavFlacAndMp3() throws Exception {
        // A 44.1 kHz stereo WAV written here, the sox fixtures in other formats (decoded whole, resampled in blocks).
        float[][] st = {Signals.sine(30_000, 440, 44100, 0.5, 0), Signals.sine(30_000, 660, 44100, 0.25, 1)};
        Path wav = tmp.resolve("st.wav");
        AudioFile.writeWav(wav, st, 44100, WavEncoding.PCM_16);
        for (Path f : new Path[] {wav, WavReadTest.fixture("sine440_44k_s24_stereo.flac"), WavReadTest.fixture("sine440_44k_stereo.mp3"),
                WavReadTest.fixture("sine440_8k_s24_stereo.wav")}) {
            for (int rate : new int[] {16000, 44100, 22050}) {
                float[] whole = AudioFile.readMono(f, rate);
                try (MonoSource s = AudioFile.openMono(f, rate, 999)) {
                    assertArrayEquals(whole, s.readAll(), 1e-6f, f + " at " + rate + " Hz");
                    assertArrayEquals(padded(whole, 100, 2000), readInPieces(s, 100, 2000, 333, 3), 1e-6f, f + " at " + rate + " Hz");
                }
            }
        }
    }

    @Test
    void decodedAudioMixesAsItIsReadLikeMono() throws Exception {
        float[][] ch = new float[3][500];
        for (int c = 0; c < 3; c++) ch[c] = Signals.sine(500, 100 * (c + 1), 8000, 0.3 * (c + 1), c);
        Audio a = new Audio(ch, 8000, "t", null);
        assertArrayEquals(a.mono(), MonoSource.of(a).readAll());
        assertArrayEquals(padded(a.mono(), -3, 510), readInPieces(MonoSource.of(a), -3, 510, 17, 5));
    }

    @Test
    void trimmedCutsAndPadsLikeCopyOf() throws Exception {
        float[] x = Signals.sine(100, 440, 8000, 0.5, 0);
        MonoSource s = MonoSource.of(x, 8000);
        assertArrayEquals(java.util.Arrays.copyOf(x, 60), s.trimmed(60).readAll());
        assertArrayEquals(java.util.Arrays.copyOf(x, 130), s.trimmed(130).readAll());
        assertArrayEquals(padded(java.util.Arrays.copyOf(x, 60), -4, 70), readInPieces(s.trimmed(60), -4, 70, 9, 4));
    }

    @Test
    void openMonoRefusesWhatReadMonoRefusesWithTheSameMessage() throws Exception {
        Path truncated = tmp.resolve("t.wav"), dir = tmp.resolve("d"), missing = tmp.resolve("missing.wav");
        AudioFile.writeWav(truncated, new float[1000], 8000, WavEncoding.PCM_16);
        byte[] b = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(b, 600));
        Files.createDirectories(dir);
        for (Path p : new Path[] {truncated, dir, missing}) {
            String whole = assertThrows(AudioFormatException.class, () -> AudioFile.readMono(p, 16000)).getMessage();
            String streamed = assertThrows(AudioFormatException.class, () -> AudioFile.openMono(p, 16000).close()).getMessage();
            assertEquals(whole, streamed);
        }
    }

    @ParameterizedTest
    @CsvSource({"PCM_16, 1", "PCM_16, 1000", "PCM_16, 70000", "FLOAT_32, 3"})
    void streamedWavWriterWritesTheBytesOfTheWholeWriter(WavEncoding enc, int block) throws Exception {
        float[] x = Signals.sine(100_003, 440, 16000, 1.2, 0.1); // clips, too
        x[5] = Float.NaN;
        Path whole = tmp.resolve("whole.wav"), streamed = tmp.resolve("streamed.wav");
        AudioFile.writeWav(whole, x, 16000, enc);
        AudioFile.writeWav(streamed, 16000, x.length, enc, sink -> {
            for (int i = 0; i < x.length; i += block) sink.write(x, i, Math.min(block, x.length - i));
        });
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed));
    }

    @Test
    void streamedWavWriterKeepsTheOldFileWhenTheCountIsWrong() throws Exception {
        Path f = tmp.resolve("o.wav");
        AudioFile.writeWav(f, new float[10], 8000, WavEncoding.PCM_16);
        byte[] before = Files.readAllBytes(f);
        var few = assertThrows(IllegalStateException.class,
                () -> AudioFile.writeWav(f, 8000, 100, WavEncoding.PCM_16, sink -> sink.write(new float[99], 0, 99)));
        assertTrue(few.getMessage().contains("99 samples written into a file declared to hold 100"), few.getMessage());
        assertThrows(IllegalStateException.class,
                () -> AudioFile.writeWav(f, 8000, 100, WavEncoding.PCM_16, sink -> sink.write(new float[101], 0, 101)));
        assertThrows(java.io.IOException.class, () -> AudioFile.writeWav(f, 8000, 100, WavEncoding.PCM_16, sink -> {
            sink.write(new float[50], 0, 50);
            throw new java.io.IOException("render failed");
        }));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
