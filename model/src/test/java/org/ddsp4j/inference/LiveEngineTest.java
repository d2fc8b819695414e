package org.ddsp4j.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ddsp4j.features.LiveTracker;
import org.ddsp4j.features.PitchTrack;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.StreamingSynth;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.spectral.Loudness;
import org.junit.jupiter.api.Test;

class LiveEngineTest {
    /** A small model with every weight moved off its initial value and an audible room. */
    static Autoencoder model() {
        Autoencoder m = new Autoencoder(TestConfigs.small());
        SplittableRandom rng = new SplittableRandom(3);
        for (var p : m.namedParameters().entrySet()) {
            float[] d = p.getValue().data();
            boolean ir = p.getKey().equals("reverb.ir");
            for (int i = 0; i < d.length; i++) d[i] += (float) ((rng.nextDouble() * 2 - 1) * (ir ? 0.2 * Math.exp(-i / 30.0) : 0.05));
        }
        return m;
    }

    /** Two notes (220 Hz, then 330 Hz after a 0.1 s gap), 0.4 s each, harmonics, at the model's rate. */
    static float[] voice(int sr) {
        int note = (int) (0.4 * sr), gap = sr / 10;
        float[] x = new float[2 * note + gap + sr / 10];
        double ph = 0;
        for (int i = 0; i < x.length; i++) {
            boolean first = i < note, second = i >= note + gap && i < 2 * note + gap;
            if (!first && !second) continue;
            ph += 2 * Math.PI * (first ? 220 : 330) / sr;
            x[i] = (float) (0.3 * (Math.sin(ph) + 0.4 * Math.sin(2 * ph) + 0.2 * Math.sin(3 * ph)));
        }
        return x;
    }

    /** The engine's output for {@code x} followed by {@code latency} samples of silence, in blocks of {@code block}. */
    static float[] run(LiveEngine e, float[] x, int block) {
        float[] in = Arrays.copyOf(x, x.length + e.latencySamples()), out = new float[in.length];
        for (int off = 0; off < in.length; off += block) e.process(in, off, out, off, Math.min(block, in.length - off));
        return out;
    }

    @Test
    void playsTheLiveTrackThroughTheRecipeAndTheStreamingModelLatencyBehind() {
        Autoencoder m = model();
        int sr = m.config().sampleRate(), hop = m.config().hop();
        Instrument inst = Instrument.of(m, 57 + 12, -25); // trained an octave above the voice's A3
        LiveEngine e = inst.live(TransferRecipe.defaults(), true);
        assertEquals(256 + hop - 1, e.latencySamples(), "16 ms look-ahead + one frame - 1 sample");
        assertTrue(e.latencyMs() <= 20.0, e.latencyMs() + " ms");
        float[] x = voice(sr), y = run(e, x, 64);
        assertEquals(12, e.octaveShiftSemitones(), 1e-9, "moved up an octave toward the training pitch");

        // The same steps done by hand: the whole live track, the causal recipe per frame, the stream frame by frame.
        PitchTrack t = new LiveTracker(sr).track(x);
        float[] loud = Loudness.loudnessDb(x, sr, m.config().frameRate());
        TransferRecipe.Live adj = new TransferRecipe.Live(57 + 12, -25, (int) (LiveEngine.ESTIMATE_SECONDS * m.config().frameRate()),
                (int) Math.round(LiveEngine.SETTLE_SECONDS * m.config().frameRate()));
        StreamingSynth s = m.stream(true, Instrument.SEED);
        int frames = x.length / hop;
        float[] ref = new float[(frames + 1) * hop], f = new float[1], l = new float[1];
        for (int k = 0; k < frames; k++) {
            adj.frame(TransferRecipe.defaults(), t.f0Hz()[k], t.confidence()[k], loud[k]);
            f[0] = adj.f0Hz();
            l[0] = adj.loudnessDb();
            s.process(f, l, 0, 1, ref, k * hop);
        }
        // ref holds frame k's audio at (k + 1) * hop: output sample n + latency plays input sample n.
        double peak = 0;
        for (int n = 0; n + hop < frames * hop; n++) peak = Math.max(peak, Math.abs(ref[n + hop]));
        for (int n = 0; n + hop < frames * hop; n++) { // the last frame is rendered once the next is in
            assertEquals(ref[n + hop], y[n + e.latencySamples()], 1e-5 * peak, "sample " + n);
        }
        for (int n = 0; n < e.latencySamples(); n++) assertEquals(0f, y[n], "before the latency: silence");
        assertTrue(peak > 1e-3, "audible: peak " + peak);
    }

    /**
     * Equal to float rounding: one run may use vector code the JIT has compiled and another the interpreted form of
     * the same code, which rounds differently in the last bit.
     */
    static void assertClose(float[] expect, float[] actual, String what) {
        assertEquals(expect.length, actual.length, what);
        double peak = 0, err = 0;
        for (int i = 0; i < expect.length; i++) {
            peak = Math.max(peak, Math.abs(expect[i]));
            err = Math.max(err, Math.abs(expect[i] - actual[i]));
        }
        assertTrue(peak > 0 && err <= 1e-5 * peak, what + ": differs by " + err + " (peak " + peak + ")");
    }

    @Test
    void theBlockSizeDoesNotChangeTheOutput() {
        Autoencoder m = model();
        Instrument inst = Instrument.of(m, 60, -30);
        float[] x = voice(m.config().sampleRate());
        float[] a = run(inst.live(TransferRecipe.defaults(), true), x, 64);
        for (int block : new int[] {1, 100, 333, 1024}) {
            assertClose(a, run(inst.live(TransferRecipe.defaults(), true), x, block), "block " + block);
        }
        LiveEngine e = inst.live(TransferRecipe.defaults(), true);
        run(e, x, 50);
        e.reset();
        assertClose(a, run(e, x, 64), "reset starts the same stream again");
    }

    @Test
    void shiftsSetFromAnotherThreadReachTheNextBlock() throws Exception {
        Autoencoder m = model();
        int sr = m.config().sampleRate();
        LiveEngine e = Instrument.of(m, Double.NaN, Double.NaN).live(TransferRecipe.defaults(), false);
        float[] x = voice(sr), out = new float[x.length];
        int half = sr / 5;
        e.process(x, 0, out, 0, half);
        float before = e.playedF0Hz();
        Thread control = new Thread(() -> e.setShifts(12, -6));
        control.start();
        control.join();
        e.process(x, half, out, half, 64);
        assertEquals(2 * before, e.playedF0Hz(), 0.02f * before, "an octave up from the next block on");
        assertEquals(12, e.recipe().pitchShift());
        assertEquals(-6, e.recipe().loudnessShift());
        e.setAuto(false);
        assertTrue(!e.recipe().auto() && e.recipe().pitchShift() == 12, "auto off, shifts kept");
    }

    @Test
    void theAudioLoopAllocatesNothingWhileTheControlThreadChangesTheRecipe() throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        Autoencoder m = new Autoencoder(ModelConfig.builtIn("tiny")); // the real size: 16,000-tap room
        LiveEngine e = Instrument.of(m, 60, -30).live(TransferRecipe.defaults(), true);
        float[] x = voice(m.config().sampleRate()), out = new float[64];
        long tid = Thread.currentThread().threadId(), bytes = -1;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread control = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                e.setShifts(i % 3, -(i % 5));
                Thread.onSpinWait();
            }
        });
        control.start();
        try {
            // The first passes compile the loop (interpreted Vector API code allocates); a later whole pass must not.
            for (int attempt = 0; attempt < 40 && bytes != 0; attempt++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int off = 0; off + 64 <= x.length; off += 64) e.process(x, off, out, 0, 64);
                bytes = mx.getThreadAllocatedBytes(tid) - before;
            }
        } finally {
            stop.set(true);
            control.join();
        }
        assertEquals(0, bytes, "bytes allocated by the audio thread over " + x.length + " samples in 64-sample blocks");
    }

    @Test
    void theOctaveChangesOnlyBetweenNotes() {
        TransferRecipe r = TransferRecipe.defaults();
        TransferRecipe.Live live = new TransferRecipe.Live(81, -20, 2500);
        for (int i = 0; i < 100; i++) live.frame(r, 440f, 1f, -30f); // MIDI 69: one octave up
        assertEquals(12, live.octaveShiftSemitones());
        assertEquals(880f, live.f0Hz(), 1e-2f);
        assertEquals(-20f, live.loudnessDb(), 1e-4f, "gain toward the training loudness");
        for (int i = 0; i < 500; i++) {
            live.frame(r, 110f, 1f, -30f); // MIDI 45, legato: no gap, no switch
            assertEquals(12, live.octaveShiftSemitones(), "frame " + i + " of the second note");
        }
        assertEquals(49, live.sourcePitchMidi(), 1e-6, "mean of 100 frames at 69 and 500 at 45");
        live.frame(r, 110f, 0f, -60f); // a gap: round((81 - 49) / 12) = 3 octaves
        assertEquals(36, live.octaveShiftSemitones());
        live.frame(r.withShifts(-1, 0), 110f, 1f, -30f);
        assertEquals(110 * Math.pow(2, 35 / 12.0), live.f0Hz(), 1e-2);
        live.frame(r.withAuto(false), 110f, 1f, -30f);
        assertEquals(110f, live.f0Hz(), 1e-4f, "auto off: the source's own pitch");
    }

    @Test
    void aWrongOnsetFrameDoesNotHoldTheFirstNotesOctave() {
        TransferRecipe r = TransferRecipe.defaults();
        TransferRecipe.Live live = new TransferRecipe.Live(71, -20, 2500, 25);
        for (int i = 0; i < 3; i++) live.frame(r, 293.7f, 1f, -30f);   // the onset read a fifth and an octave high (MIDI 62)
        assertEquals(12, live.octaveShiftSemitones(), "decided on the onset: round((71 - 62) / 12)");
        for (int i = 0; i < 500; i++) live.frame(r, 123.5f, 1f, -30f); // the note itself, MIDI 47, legato
        assertEquals(24, live.octaveShiftSemitones(), "re-decided while the first note settled: round((71 - 48.8) / 12)");
        assertEquals(123.5f * 4, live.f0Hz(), 0.05f);
        TransferRecipe.Live once = new TransferRecipe.Live(71, -20, 2500);
        for (int i = 0; i < 3; i++) once.frame(r, 293.7f, 1f, -30f);
        for (int i = 0; i < 500; i++) once.frame(r, 123.5f, 1f, -30f);
        assertEquals(12, once.octaveShiftSemitones(), "without settling the onset's octave holds to the first pause");
    }

    @Test
    void aModelWithLongerFramesGetsAShorterLookAheadWithinTwentyMilliseconds() {
        Autoencoder m = new Autoencoder(ModelConfig.builtIn("pytorch-default")); // 100 frames/s: 10 ms frames
        LiveEngine e = Instrument.of(m, 60, -30).live(TransferRecipe.defaults(), false);
        assertEquals(160, e.synthLatencySamples());
        assertEquals(161, e.lookAheadSamples());
        assertEquals(320, e.latencySamples());
        assertEquals(20.0, e.latencyMs(), 1e-9);
        float[] x = voice(16000), y = run(e, x, 160);
        assertEquals(x.length + 320, y.length);
    }

    @Test
    void aModelWithAZEncoderCannotPlayLive() {
        Instrument nsynth = Instrument.of(new Autoencoder(TestConfigs.smallNsynth()), 60, -30);
        var ex = assertThrows(IllegalArgumentException.class, () -> nsynth.live(TransferRecipe.defaults(), true));
        assertTrue(ex.getMessage().contains("z encoder"), ex.getMessage());
    }
}
