package org.ddsp4j.audio;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * FLAC and MP3 decoding of sox/lame-made fixtures: a sine of 440 Hz at amplitude 0.5 (stereo: 440
 * Hz left, 660 Hz right). The MP3 files were encoded by lame 3.100 from the same sox signal as the
 * FLAC files, so the lossless decode is the reference for the lossy one.
 */
class CompressedReadTest {
    static Audio read(String name) throws Exception {
        return AudioFile.read(WavReadTest.fixture(name));
    }

    @Test
    void flac16MonoIsBitExactSine() throws Exception {
        Audio a = read("sine440_16k_s16.flac");
        assertEquals(16000, a.sampleRate());
        assertEquals(1, a.numChannels());
        assertEquals(8000, a.numFrames());
        assertTrue(a.format().startsWith("FLAC 16-bit"), a.format());
        float[] x = a.channel(0);
        assertEquals(440, Signals.zeroCrossingHz(x, 0, x.length, 16000), 0.2);
        assertEquals(0.5, Signals.amplitudeAt(x, 0, x.length, 440, 16000), 2e-3);
        // 16-bit samples land exactly on k / 32768
        for (float v : x) assertEquals(Math.rint(v * 32768.0), v * 32768.0, 0.0);
    }

    @Test
    void flac24Stereo() throws Exception {
        Audio a = read("sine440_44k_s24_stereo.flac");
        assertEquals(44100, a.sampleRate());
        assertEquals(2, a.numChannels());
        assertEquals(22050, a.numFrames());
        assertTrue(a.format().startsWith("FLAC 24-bit"), a.format());
        assertEquals(440, Signals.zeroCrossingHz(a.channel(0), 0, 22050, 44100), 0.2);
        assertEquals(660, Signals.zeroCrossingHz(a.channel(1), 0, 22050, 44100), 0.2);
        assertEquals(0.5, Signals.amplitudeAt(a.channel(0), 0, 22050, 440, 44100), 1e-3);
        assertEquals(0.5, Signals.amplitudeAt(a.channel(1), 0, 22050, 660, 44100), 1e-3);
        // 24-bit resolution: not all values on the 16-bit grid
        int off16 = 0;
        for (float v : a.channel(0)) if (Math.rint(v * 32768.0) != v * 32768.0) off16++;
        assertTrue(off16 > 20000, "only " + off16 + " samples use more than 16 bits");
    }

    @Test
    void mp3MonoMpeg2GaplessMatchesLosslessSource() throws Exception {
        Audio a = read("sine440_16k_mono.mp3");
        assertEquals(16000, a.sampleRate());
        assertEquals(1, a.numChannels());
        assertTrue(a.format().contains("MPEG-2 layer 3") && a.format().contains("gapless"), a.format());
        // the LAME tag gives the exact length: 0.5 s
        assertEquals(8000, a.numFrames());
        float[] ref = read("sine440_16k_s16.flac").channel(0);
        assertAligned(a.channel(0), ref, 440, 16000);
    }

    @Test
    void shortMonoMp3IsNotEmpty() throws Exception {
        Audio a = read("sine440_16k_mono_short.mp3");
        assertEquals(4800, a.numFrames());
        float[] ref = java.util.Arrays.copyOf(read("sine440_16k_s16.flac").channel(0), 4800);
        assertAligned(a.channel(0), ref, 440, 16000);
    }

    @Test
    void mp3StereoMpeg1Gapless() throws Exception {
        Audio a = read("sine440_44k_stereo.mp3");
        assertEquals(44100, a.sampleRate());
        assertEquals(2, a.numChannels());
        assertEquals(22050, a.numFrames());
        Audio ref = read("sine440_44k_s24_stereo.flac");
        assertAligned(a.channel(0), ref.channel(0), 440, 44100);
        assertAligned(a.channel(1), ref.channel(1), 660, 44100);
    }

    /** VBR (Xing header, lame -V 2) and MPEG-2.5 (8 kHz, 576-sample frames) also decode gaplessly. */
    @Test
    void mp3VbrAndMpeg25() throws Exception {
        Audio vbr = read("sine440_44k_stereo_vbr.mp3");
        assertEquals(22050, vbr.numFrames());
        Audio ref = read("sine440_44k_s24_stereo.flac");
        assertAligned(vbr.channel(0), ref.channel(0), 440, 44100);
        assertAligned(vbr.channel(1), ref.channel(1), 660, 44100);
        Audio m25 = read("sine440_8k_mono_mpeg25.mp3");
        assertTrue(m25.format().contains("MPEG-2.5"), m25.format());
        assertEquals(8000, m25.sampleRate());
        assertEquals(4000, m25.numFrames());
        // the same sox signal rendered directly at 8 kHz, first 0.1 s
        float[] ref8 = read("sine440_8k_f64.wav").channel(0);
        assertAligned(java.util.Arrays.copyOf(m25.channel(0), ref8.length), ref8, 440, 8000);
    }

    /** readMono: stereo 44.1 kHz (440 Hz left, 660 Hz right, 0.5 each) to 16 kHz mono: both tones at 0.25. */
    @Test
    void readMonoAveragesAndResamples() throws Exception {
        float[] x = AudioFile.readMono(WavReadTest.fixture("sine440_44k_s24_stereo.flac"), 16000);
        assertEquals(8000, x.length);
        int m = 400;
        assertEquals(0.25, Signals.amplitudeAt(x, m, 8000 - m, 440, 16000), 1e-3);
        assertEquals(0.25, Signals.amplitudeAt(x, m, 8000 - m, 660, 16000), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> AudioFile.readMono(WavReadTest.fixture("sine440_8k_s32.wav"), 0));
    }

    /**
     * Without a Xing/LAME tag ({@code lame -t}) nothing is trimmed: all 16 frames of 576 samples,
     * the signal starting after LAME's encoder delay (576) plus the decoder delay (529).
     */
    @Test
    void mp3WithoutTagKeepsDelay() throws Exception {
        Audio a = read("sine440_16k_mono_notag.mp3");
        assertFalse(a.format().contains("gapless"), a.format());
        assertEquals(16 * 576, a.numFrames());
        float[] x = a.channel(0);
        assertTrue(Signals.rms(x, 0, 1000) < 0.01, "the first samples are the codec's delay, silent");
        float[] shifted = java.util.Arrays.copyOfRange(x, 576 + Mp3Codec.DECODER_DELAY, 576 + Mp3Codec.DECODER_DELAY + 8000);
        assertAligned(shifted, read("sine440_16k_s16.flac").channel(0), 440, 16000);
    }

    /**
     * Same frequency and amplitude as the reference, and no time shift: the residual after the best
     * gain is small. (lame 3.100 at these bitrates lowers this sine by about 5%: its own decoder gives
     * a peak of 0.475 for the 0.5 input, as does JLayer.)
     */
    static void assertAligned(float[] x, float[] ref, double f, int sr) {
        assertEquals(ref.length, x.length);
        int n = x.length, from = n / 10, to = n - n / 10; // edges carry the codec's start-up transients
        assertEquals(f, Signals.zeroCrossingHz(x, from, to, sr), 0.5);
        assertEquals(0.5, Signals.amplitudeAt(x, from, to, f, sr), 0.04);
        double xr = 0, rr = 0;
        for (int i = from; i < to; i++) { xr += (double) x[i] * ref[i]; rr += (double) ref[i] * ref[i]; }
        double gain = xr / rr;
        assertEquals(1.0, gain, 0.07, "gain vs reference");
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (x[i] - gain * ref[i]);
        // A one-sample shift would leave a residual of about 0.5 * 2 pi f / sr / sqrt 2 = 0.06 (440 Hz, 16 kHz).
        double res = Signals.rms(d, from, to);
        assertTrue(res < 0.01, "residual rms " + res + " vs reference: misaligned or distorted");
    }
}
