package org.ddsp4j.processors;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.tensor.Tensor;

/**
 * Filtered-noise synthesizer (ddsp's {@code synths.FilteredNoise}). Raw outputs and controls per frame
 * {@code [nBands]}: {@code magnitude_b = exp_sigmoid(raw_b + initialBias)}, bands uniform from 0 Hz to
 * Nyquist. Signal: uniform noise in {@code [-1, 1)}, frame {@code k}'s {@code hop} samples filtered by
 * that frame's zero-phase FIR ({@code w = 2 (nBands - 1)} taps, frequency sampling with a Hann window),
 * overlap-added centred (SAME padding). Offline this is {@link FilteredNoise#render} (FFT
 * convolution); streaming uses the same filter as a {@code [nBands, w]} design matrix and direct
 * convolution, drawing the same noise in the same order, so the samples agree.
 *
 * <p>A frame's filter reaches {@code w / 2} samples back into the previous frame, so a stream renders
 * frame {@code k} once frame {@code k + 1} is known (one frame of latency, which the harmonic
 * interpolation needs anyway); {@code w / 2 <= hop} is required.
 */
public final class NoiseSynthesizer implements Synthesizer {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final int nBands, hop, window;
    private final float initialBias;

    /**
     * @param nBands      filter bands, >= 2, with {@code nBands - 1 <= hop}
     * @param hop         samples per frame
     * @param initialBias added to the raw outputs (ddsp: -5, so training starts quiet)
     */
    public NoiseSynthesizer(int nBands, int hop, float initialBias) {
        if (nBands < 2 || hop < 1 || nBands - 1 > hop || !Float.isFinite(initialBias)) {
            throw new IllegalArgumentException("NoiseSynthesizer: noise.n_bands " + nBands + " must be >= 2 and at most hop + 1 = "
                    + (hop + 1) + " (its filter reaches n_bands - 1 samples back), initial bias finite (" + initialBias + ")");
        }
        this.nBands = nBands;
        this.hop = hop;
        this.window = 2 * (nBands - 1);
        this.initialBias = initialBias;
    }

    /** {@code "noise": {"n_bands": B, "initial_bias": b}}. */
    public static final class Provider implements SynthesizerProvider {
        @Override
        public String name() {
            return "noise";
        }

        @Override
        public java.util.List<String> keys() {
            return java.util.List.of("n_bands", "initial_bias");
        }

        @Override
        public Synthesizer create(java.util.Map<String, Object> s, String source, int sampleRate, int hop) {
            int bands = SynthesizerProvider.integer(s, "noise", "n_bands", null, source);
            return new NoiseSynthesizer(bands, hop, (float) SynthesizerProvider.number(s, "noise", "initial_bias", null, source));
        }
    }

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public int rawSize() {
        return nBands;
    }

    @Override
    public int controlSize() {
        return nBands;
    }

    @Override
    public int hop() {
        return hop;
    }

    @Override
    public Tensor controls(Tensor raw, Tensor f0Hz) {
        return Conversions.expSigmoid(initialBias != 0 ? raw.add(initialBias) : raw);
    }

    @Override
    public void controls(float[] raw, int rawOff, float f0Hz, float[] ctl, int ctlOff) {
        for (int b = 0; b < nBands; b++) {
            ctl[ctlOff + b] = Conversions.expSigmoid(initialBias != 0 ? raw[rawOff + b] + initialBias : raw[rawOff + b]);
        }
    }

    @Override
    public Tensor render(Tensor f0Hz, Tensor controls, SplittableRandom rng) {
        return FilteredNoise.render(controls, controls.dim(1) * hop, window, rng);
    }

    @Override
    public Voice newVoice(long seed) {
        return new NoiseVoice(seed);
    }

    /**
     * Frequency-sampling FIR design as a matrix (the linear map of {@code Filters.frequencyImpulseResponse}
     * with its default window): row {@code k}, tap {@code j} is
     * {@code hann_j * (c_k / n) cos(2 pi k (j - n/2) / n)}, c = 1 at k = 0 and n/2, else 2.
     */
    static float[] designMatrix(int bands, int n) {
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

    /**
     * Streaming state: {@code acc[i]} holds output sample {@code k * hop - w/2 + i} while frame
     * {@code k} is rendered; frame {@code k + 1} is filtered in before frame {@code k} is read out.
     */
    private final class NoiseVoice implements Voice {
        private final long seed;
        private final float[] design = designMatrix(nBands, window);
        private final float[] ir = new float[window], acc = new float[2 * hop + window];
        private SplittableRandom rng;
        private boolean started;

        NoiseVoice(long seed) {
            this.seed = seed;
            reset();
        }

        @Override
        public void reset() {
            rng = new SplittableRandom(seed);
            java.util.Arrays.fill(acc, 0f);
            started = false;
        }

        @Override
        public void render(float f0, float[] ctl, int ctlOff, float f0Next, float[] ctlNext, int nextOff, boolean last,
                           float[] out, int outOff) {
            if (!started) {
                filterFrame(ctl, ctlOff, 0);
                started = true;
            }
            if (!last) filterFrame(ctlNext, nextOff, hop);
            int delay = window / 2;
            for (int j = 0; j < hop; j++) out[outOff + j] += acc[delay + j];
            System.arraycopy(acc, hop, acc, 0, acc.length - hop);
            java.util.Arrays.fill(acc, acc.length - hop, acc.length, 0f);
        }

        /** Draws one frame of noise, filters it with the frame's IR and adds it at {@code acc[at ..]}. */
        private void filterFrame(float[] mags, int off, int at) {
            java.util.Arrays.fill(ir, 0f);
            int vl = S.length(), bound = S.loopBound(window);
            for (int b = 0; b < nBands; b++) {
                float mb = mags[off + b];
                FloatVector m = FloatVector.broadcast(S, mb);
                int o = b * window, j = 0;
                for (; j < bound; j += vl) m.fma(FloatVector.fromArray(S, design, o + j), FloatVector.fromArray(S, ir, j)).intoArray(ir, j);
                for (; j < window; j++) ir[j] = Math.fma(mb, design[o + j], ir[j]);
            }
            for (int i = 0; i < hop; i++) {
                float x = (float) (rng.nextDouble() * 2 - 1);
                FloatVector xv = FloatVector.broadcast(S, x);
                int o = at + i, j = 0;
                for (; j < bound; j += vl) {
                    xv.fma(FloatVector.fromArray(S, ir, j), FloatVector.fromArray(S, acc, o + j)).intoArray(acc, o + j);
                }
                for (; j < window; j++) acc[o + j] = Math.fma(x, ir[j], acc[o + j]);
            }
        }
    }
}
