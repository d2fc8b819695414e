package org.ddsp4j.model;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.dsp.PartitionedConvolution;

/**
 * Real-time, block-by-block rendering of a trained {@link Autoencoder} (without a z encoder): feed the
 * controls of the next {@code N >= 1} frames, get {@code N * hop} samples back. All state is carried
 * across calls: the decoder's GRU state, the harmonic phase (double), the last frames' controls for
 * interpolation, the noise generator and the noise filter's overlap, and the reverb tail
 * ({@link PartitionedConvolution}, bounded cost per block however long the IR).
 *
 * <p><b>Latency: exactly {@link #latencyFrames()} frames = {@link #latencySamples()} samples, nothing
 * else</b> (one frame, 64 samples = 4 ms, for every built-in configuration at 16 kHz / 250 frames/s);
 * the host's own block size (N frames buffered before calling) adds to it as usual. The output of the
 * call that delivers frame {@code m} ends with the audio of frame {@code m - latencyFrames}; the first
 * {@code latencySamples} samples of a stream are silence. Why one frame: linear interpolation of the
 * controls from frame {@code k} (at sample {@code k * hop}) to frame {@code k + 1} needs frame
 * {@code k + 1}, and the zero-phase noise filters ({@code w = 2 (nBands - 1)} taps, centred) reach
 * {@code w / 2} samples ahead ({@code latencyFrames = max(1, floor((hop - 1 + w/2) / hop))}).
 *
 * <p><b>Equivalence with offline rendering.</b> Streamed audio equals, sample for sample up to float
 * rounding, an offline render of the same controls with the same noise seed (delayed by
 * {@code latencySamples}) under one convention for the harmonic controls: frame {@code k} sits at sample
 * {@code k * hop} and controls are linear between frames ({@code Upsampling.Align.HOLD_LAST}, ddsp's own
 * {@code resample} convention). The filtered noise is {@code FilteredNoise.render} exactly (SAME padding,
 * the same uniform noise draws in order) and the reverb {@code Autoencoder.applyReverb} exactly.
 * {@link Autoencoder#forward}'s fused harmonic kernel instead stretches the interpolation over the whole
 * clip ({@code align_corners}: sample {@code t} reads frame {@code t (F-1) / (F hop - 1)}), which a stream
 * of unknown length cannot do; the two differ by a sub-frame time warp (at most one frame at the very
 * end of the clip), not by anything audible. The last frame a stream has received is not yet rendered
 * (its successor is needed); send one more frame (e.g. repeat the last) to flush it.
 *
 * <p>Cost per frame: one decoder step (matrix-vector products), {@code hop * nHarmonics} oscillator
 * updates, a {@code nBands x w} filter design and {@code hop * w} filter taps, and one partitioned
 * convolution block. Single-threaded; nothing is allocated per call by
 * {@link #process(float[], float[], int, int, float[], int)}. Not thread-safe: one stream per instance.
 */
public final class StreamingSynth {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final double TWO_PI = 2 * Math.PI;
    private static final float MIDI_PER_LN = (float) (12 / Math.log(2));

    private final StreamingDecoder decoder;
    private final int hop, nHarmonics, nBands, window, delay, latency, sampleRate;
    private final float noiseBias;
    private final long seed;
    private final float[] design;          // [nBands, window] magnitudes -> zero-phase windowed IR
    private final PartitionedConvolution reverb;
    // Per-frame controls of the last latency + 1 frames, a ring indexed by frame mod (latency + 1).
    private final float[] f0Ring, ampRing, distRing;
    // Scratch and state.
    private final float[] raw, mags, ir, noise, noiseAcc, dry, wet;
    private SplittableRandom rng;
    private double phase;
    private long frame;                    // frames received so far

    /** A stream with the model's reverb (if it has one) and noise seed 1 (what {@code Synthesis.render} callers use). */
    public StreamingSynth(Autoencoder model) {
        this(model, true, 1);
    }

    /**
     * @param model  a trained model without a z encoder; its weights are copied, so later changes
     *               to the model do not reach this stream
     * @param reverb apply the model's reverb ({@code reverb.type} learned or exp_decay); false for the dry signal
     * @param seed   noise seed, as in {@code Synthesis.render}
     */
    public StreamingSynth(Autoencoder model, boolean reverb, long seed) {
        ModelConfig cfg = model.config();
        if (model.needsAudio()) {
            throw new IllegalArgumentException("model '" + cfg.getString("name") + "' has a z encoder (encoder.type "
                    + cfg.getString("encoder.type") + "), whose MFCC-GRU reads whole windows of the input audio: "
                    + "streaming supports models with encoder.type none (f0 and loudness only)");
        }
        decoder = new StreamingDecoder(cfg, model.decoder());
        hop = cfg.hop();
        sampleRate = cfg.sampleRate();
        nHarmonics = cfg.getInt("harmonic.n_harmonics");
        nBands = cfg.getInt("noise.n_bands");
        noiseBias = cfg.getFloat("noise.initial_bias");
        if (nBands < 2) throw new IllegalArgumentException("noise.n_bands must be >= 2 for the noise filter, is " + nBands);
        if (decoder.outputs() != 1 + nHarmonics + nBands) {
            throw new IllegalArgumentException("decoder has " + decoder.outputs() + " outputs, the configuration needs 1 + "
                    + nHarmonics + " + " + nBands);
        }
        window = 2 * (nBands - 1);
        delay = window / 2;
        latency = Math.max(1, (hop - 1 + delay) / hop);
        this.seed = seed;
        design = designMatrix(nBands, window);
        float[] irRev = reverb ? model.impulseResponse() : null;
        this.reverb = irRev == null ? null : new PartitionedConvolution(irRev, hop);
        f0Ring = new float[latency + 1];
        ampRing = new float[latency + 1];
        distRing = new float[(latency + 1) * nHarmonics];
        raw = new float[decoder.outputs()];
        mags = new float[nBands];
        ir = new float[window];
        noise = new float[hop];
        noiseAcc = new float[(latency + 1) * hop + window];
        dry = new float[hop];
        wet = new float[hop];
        reset();
    }

    /** Samples per frame. */
    public int hop() {
        return hop;
    }

    /** Output sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Frames between a control frame going in and its audio coming out (1 for the built-in configurations). */
    public int latencyFrames() {
        return latency;
    }

    /** {@link #latencyFrames()} in samples. */
    public int latencySamples() {
        return latency * hop;
    }

    /** Starts a new stream: zero GRU state and phase, silence in the filters and reverb, the noise seed again. */
    public void reset() {
        decoder.reset();
        if (reverb != null) reverb.reset();
        java.util.Arrays.fill(noiseAcc, 0f);
        rng = new SplittableRandom(seed);
        phase = 0;
        frame = 0;
    }

    /**
     * Renders the next frames.
     *
     * @param f0Hz       {@code [N]} fundamental in Hz (0 where unvoiced), N >= 1
     * @param loudnessDb {@code [N]} A-weighted loudness in dB
     * @return {@code [N * hop]} samples (see the class doc for the latency)
     */
    public float[] process(float[] f0Hz, float[] loudnessDb) {
        if (f0Hz == null || loudnessDb == null || f0Hz.length != loudnessDb.length || f0Hz.length < 1) {
            throw new IllegalArgumentException("process needs f0Hz and loudnessDb of the same length >= 1, got "
                    + (f0Hz == null ? "null" : f0Hz.length) + " and " + (loudnessDb == null ? "null" : loudnessDb.length));
        }
        float[] out = new float[f0Hz.length * hop];
        process(f0Hz, loudnessDb, 0, f0Hz.length, out, 0);
        return out;
    }

    /**
     * Renders the next {@code nFrames} frames without allocating.
     *
     * @param f0Hz       frames {@code [from, from + nFrames)} are read, Hz
     * @param loudnessDb the same frames, dB
     * @param out        receives {@code nFrames * hop} samples at {@code outOff}
     */
    public void process(float[] f0Hz, float[] loudnessDb, int from, int nFrames, float[] out, int outOff) {
        if (nFrames < 1 || from < 0 || from + nFrames > Math.min(f0Hz.length, loudnessDb.length)) {
            throw new IllegalArgumentException("process: frames [" + from + ", " + (from + nFrames) + ") are not inside f0Hz ["
                    + f0Hz.length + "] and loudnessDb [" + loudnessDb.length + "]");
        }
        if (outOff < 0 || outOff + (long) nFrames * hop > out.length) {
            throw new IllegalArgumentException("process: out [" + out.length + "] has no room for " + nFrames + " x " + hop
                    + " samples at offset " + outOff);
        }
        for (int i = 0; i < nFrames; i++) {
            float f = f0Hz[from + i], l = loudnessDb[from + i];
            if (!Float.isFinite(f) || !Float.isFinite(l)) {
                throw new IllegalArgumentException("process: frame " + (from + i) + " has f0 " + f + " Hz, loudness " + l
                        + " dB; controls must be finite");
            }
            frame(f, l, out, outOff + i * hop);
        }
    }

    /** Takes one control frame and writes the audio of frame {@code frame - latency} (silence before the start). */
    private void frame(float f0, float loudnessDb, float[] out, int outOff) {
        int slot = (int) (frame % (latency + 1));
        controls(f0, loudnessDb, slot);
        addNoise();
        long k = frame - latency;
        if (k < 0) {
            java.util.Arrays.fill(out, outOff, outOff + hop, 0f);
        } else {
            int s0 = (int) (k % (latency + 1)), s1 = (int) ((k + 1) % (latency + 1));
            harmonic(s0, s1);
            for (int j = 0; j < hop; j++) dry[j] += noiseAcc[delay + j];
            if (reverb != null) {
                reverb.process(dry, 0, wet, 0);
                for (int j = 0; j < hop; j++) out[outOff + j] = dry[j] + wet[j];
            } else {
                System.arraycopy(dry, 0, out, outOff, hop);
            }
        }
        // The noise overlap moves on by one frame.
        System.arraycopy(noiseAcc, hop, noiseAcc, 0, noiseAcc.length - hop);
        java.util.Arrays.fill(noiseAcc, noiseAcc.length - hop, noiseAcc.length, 0f);
        frame++;
    }

    /** Decoder step and the processors' controls (ddsp's scaling), into ring slot {@code slot} and {@link #mags}. */
    private void controls(float f0, float loudnessDb, int slot) {
        float midi = f0 > 0 ? (float) Math.log(f0 / 440f) * MIDI_PER_LN + 69f : 0f;
        decoder.step(midi / 127f, loudnessDb / 80f + 1f, raw);
        f0Ring[slot] = f0;
        ampRing[slot] = expSigmoid(raw[0]);
        int o = slot * nHarmonics;
        float nyquist = sampleRate / 2f, sum = 0;
        for (int h = 0; h < nHarmonics; h++) {
            float d = (h + 1) * f0 < nyquist ? expSigmoid(raw[1 + h]) : 0f;
            distRing[o + h] = d;
            sum += d;
        }
        float inv = 1f / Math.max(sum, 1e-7f);
        for (int h = 0; h < nHarmonics; h++) distRing[o + h] *= inv;
        for (int b = 0; b < nBands; b++) mags[b] = expSigmoid(raw[1 + nHarmonics + b] + noiseBias);
    }

    /** ddsp's {@code exp_sigmoid}: {@code 2 sigmoid(x)^ln 10 + 1e-7}. */
    private static float expSigmoid(float x) {
        double y = -x;
        double softplus = y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
        return (float) (2 * Math.exp(-Math.log(10) * softplus) + 1e-7);
    }

    /** This frame's noise: uniform in [-1, 1) filtered by the frame's IR, overlap-added {@code latency} frames ahead. */
    private void addNoise() {
        java.util.Arrays.fill(ir, 0f);
        int vl = S.length(), bound = S.loopBound(window);
        for (int b = 0; b < nBands; b++) {
            FloatVector m = FloatVector.broadcast(S, mags[b]);
            int o = b * window, j = 0;
            for (; j < bound; j += vl) m.fma(FloatVector.fromArray(S, design, o + j), FloatVector.fromArray(S, ir, j)).intoArray(ir, j);
            for (; j < window; j++) ir[j] = Math.fma(mags[b], design[o + j], ir[j]);
        }
        for (int i = 0; i < hop; i++) noise[i] = (float) (rng.nextDouble() * 2 - 1);
        int base = latency * hop;
        for (int i = 0; i < hop; i++) {
            float x = noise[i];
            FloatVector xv = FloatVector.broadcast(S, x);
            int o = base + i, j = 0;
            for (; j < bound; j += vl) {
                xv.fma(FloatVector.fromArray(S, ir, j), FloatVector.fromArray(S, noiseAcc, o + j)).intoArray(noiseAcc, o + j);
            }
            for (; j < window; j++) noiseAcc[o + j] = Math.fma(x, ir[j], noiseAcc[o + j]);
        }
    }

    /**
     * Harmonic audio of one frame into {@link #dry}: controls linear from slot {@code s0} (at sample 0)
     * towards slot {@code s1} (at sample hop), phase accumulated in double, sines of the harmonics from
     * the Chebyshev recurrence {@code s_{k+1} = 2 cos(phi) s_k - s_{k-1}}, harmonic k silent where
     * {@code k |f0| >= sr / 2}.
     */
    private void harmonic(int s0, int s1) {
        double f0a = f0Ring[s0], f0b = f0Ring[s1], ampA = ampRing[s0], ampB = ampRing[s1];
        double inc = TWO_PI / sampleRate, nyquist = sampleRate / 2.0, ph = phase;
        int da = s0 * nHarmonics, db = s1 * nHarmonics, k = nHarmonics;
        for (int j = 0; j < hop; j++) {
            double w = (double) j / hop, f = (1 - w) * f0a + w * f0b;
            ph += inc * f;
            if (ph >= TWO_PI || ph < 0) ph -= TWO_PI * Math.floor(ph / TWO_PI);
            double s = Math.sin(ph), c2 = 2 * Math.cos(ph), af = Math.abs(f);
            double prev = 0, cur = s, sum = 0;
            for (int h = 0; h < k && (h + 1) * af < nyquist; h++) {
                sum += ((1 - w) * distRing[da + h] + w * distRing[db + h]) * cur;
                double next = c2 * cur - prev;
                prev = cur;
                cur = next;
            }
            dry[j] = (float) (((1 - w) * ampA + w * ampB) * sum);
        }
        phase = ph;
    }

    /**
     * Frequency-sampling FIR design as a matrix (the linear map of {@code Filters.frequencyImpulseResponse}
     * with the default window): row {@code k}, tap {@code j} is
     * {@code hann_j * (c_k / n) cos(2 pi k (j - n/2) / n)}, c = 1 at k = 0 and n/2, else 2.
     */
    private static float[] designMatrix(int bands, int n) {
        int half = n / 2;
        float[] m = new float[bands * n];
        for (int j = 0; j < n; j++) {
            int d = j - half;
            double win = 0.5 + 0.5 * Math.cos(2 * Math.PI * d / n);
            for (int k = 0; k < bands; k++) {
                double c = (k == 0 || k == bands - 1) ? 1.0 : 2.0;
                long kd = Math.floorMod((long) k * d, (long) n);
                m[k * n + j] = (float) (win * c / n * Math.cos(2 * Math.PI * kd / n));
            }
        }
        return m;
    }
}
