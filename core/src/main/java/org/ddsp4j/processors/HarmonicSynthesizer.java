package org.ddsp4j.processors;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.HarmonicSynth;
import org.ddsp4j.kernel.HarmonicKernel;
import org.ddsp4j.tensor.Tensor;

/**
 * Additive harmonic synthesizer (ddsp's {@code synths.Harmonic}). Raw outputs per frame
 * {@code [1 + K]}: overall amplitude, then the harmonic distribution. Controls {@code [1 + K]}:
 * <pre>
 *   amplitude = exp_sigmoid(raw[0] + amplitudeBias)
 *   dist_h    = [(h + 1) f0 &lt; sr / 2] exp_sigmoid(raw[1 + h]) / max(sum, 1e-7)     (h = 0 .. K-1)
 * </pre>
 * Signal: the fused {@link HarmonicKernel} (phase in double, per-sample Nyquist gate), offline on the
 * whole clip, streaming one frame interval at a time with the phase carried over.
 */
public final class HarmonicSynthesizer implements Synthesizer {
    private final int nHarmonics, hop;
    private final float sampleRate, amplitudeBias;

    /**
     * @param nHarmonics    K, >= 1
     * @param sampleRate    Hz
     * @param hop           samples per frame
     * @param amplitudeBias added to the raw amplitude before {@code exp_sigmoid} (0 in magenta/ddsp)
     */
    public HarmonicSynthesizer(int nHarmonics, int sampleRate, int hop, float amplitudeBias) {
        if (nHarmonics < 1 || sampleRate < 1 || hop < 1 || !Float.isFinite(amplitudeBias)) {
            throw new IllegalArgumentException("HarmonicSynthesizer: n_harmonics " + nHarmonics + ", sample rate " + sampleRate
                    + ", hop " + hop + " must be >= 1 and the amplitude bias finite (" + amplitudeBias + ")");
        }
        this.nHarmonics = nHarmonics;
        this.sampleRate = sampleRate;
        this.hop = hop;
        this.amplitudeBias = amplitudeBias;
    }

    /** {@code "harmonic": {"n_harmonics": K, "amplitude_bias": b}} (bias 0 by default). */
    public static final class Provider implements SynthesizerProvider {
        @Override
        public String name() {
            return "harmonic";
        }

        @Override
        public java.util.List<String> keys() {
            return java.util.List.of("n_harmonics", "amplitude_bias");
        }

        @Override
        public Synthesizer create(java.util.Map<String, Object> s, String source, int sampleRate, int hop) {
            int k = SynthesizerProvider.integer(s, "harmonic", "n_harmonics", null, source);
            if (k < 1) throw new IllegalArgumentException("configuration " + source + ": harmonic.n_harmonics must be >= 1, is " + k);
            return new HarmonicSynthesizer(k, sampleRate, hop, (float) SynthesizerProvider.number(s, "harmonic", "amplitude_bias", 0.0, source));
        }
    }

    @Override
    public String name() {
        return "harmonic";
    }

    @Override
    public int rawSize() {
        return 1 + nHarmonics;
    }

    @Override
    public int controlSize() {
        return 1 + nHarmonics;
    }

    @Override
    public int hop() {
        return hop;
    }

    public int nHarmonics() {
        return nHarmonics;
    }

    @Override
    public Tensor controls(Tensor raw, Tensor f0Hz) {
        Tensor rawAmp = raw.slice(2, 0, 1);
        if (amplitudeBias != 0) rawAmp = rawAmp.add(amplitudeBias);
        Tensor amplitude = Conversions.expSigmoid(rawAmp);
        Tensor dist = normalize(Conversions.expSigmoid(raw.slice(2, 1, 1 + nHarmonics)), f0Hz, sampleRate);
        return org.ddsp4j.tensor.ShapeOps.concat(2, amplitude, dist);
    }

    @Override
    public void controls(float[] raw, int rawOff, float f0Hz, float[] ctl, int ctlOff) {
        ctl[ctlOff] = Conversions.expSigmoid(amplitudeBias != 0 ? raw[rawOff] + amplitudeBias : raw[rawOff]);
        float nyquist = sampleRate / 2, sum = 0;
        for (int h = 0; h < nHarmonics; h++) {
            float d = (h + 1) * f0Hz < nyquist ? Conversions.expSigmoid(raw[rawOff + 1 + h]) : 0f;
            ctl[ctlOff + 1 + h] = d;
            sum += d;
        }
        float norm = Math.max(sum, 1e-7f);
        for (int h = 0; h < nHarmonics; h++) ctl[ctlOff + 1 + h] /= norm;
    }

    /**
     * ddsp's {@code normalize_harmonics}: zeroes harmonics {@code k f0 >= sampleRate / 2} and divides
     * by the sum over harmonics (floored at 1e-7, so an all-zero row stays zero).
     *
     * @param distribution {@code [B, F, K]} non-negative weights
     * @param f0Hz         {@code [B, F, 1]} Hz
     */
    public static Tensor normalize(Tensor distribution, Tensor f0Hz, float sampleRate) {
        int[] ds = distribution.shape();
        int k = ds[2];
        float[] f = f0Hz.data();
        if (f.length != ds[0] * ds[1]) {
            throw new IllegalArgumentException("normalize: f0Hz " + java.util.Arrays.toString(f0Hz.shape())
                    + " does not match distribution " + java.util.Arrays.toString(ds));
        }
        float[] mask = new float[f.length * k];
        for (int i = 0; i < f.length; i++)
            for (int h = 0; h < k; h++) mask[i * k + h] = (h + 1) * f[i] < sampleRate / 2 ? 1f : 0f;
        Tensor d = distribution.mul(Tensor.of(mask, ds));
        return d.div(d.sum(-1, true).maximum(Tensor.scalar(1e-7f)));
    }

    @Override
    public Tensor render(Tensor f0Hz, Tensor controls, SplittableRandom rng) {
        return HarmonicSynth.renderFrames(f0Hz, controls.slice(2, 0, 1), controls.slice(2, 1, 1 + nHarmonics), hop, sampleRate);
    }

    @Override
    public Voice newVoice(long seed) {
        return new HarmonicVoice();
    }

    /** Streaming: one {@link HarmonicKernel.BlockRenderer} call per frame interval. */
    private final class HarmonicVoice implements Voice {
        private final HarmonicKernel.BlockRenderer renderer = new HarmonicKernel.BlockRenderer(nHarmonics, hop, sampleRate);
        private final float[] f0 = new float[2], amp = new float[2], dist = new float[2 * nHarmonics];

        @Override
        public void reset() {
            renderer.reset();
        }

        @Override
        public void render(float f0k, float[] ctl, int ctlOff, float f0Next, float[] ctlNext, int nextOff, boolean last,
                           float[] out, int outOff) {
            f0[0] = f0k;
            f0[1] = f0Next;
            amp[0] = ctl[ctlOff];
            amp[1] = ctlNext[nextOff];
            System.arraycopy(ctl, ctlOff + 1, dist, 0, nHarmonics);
            System.arraycopy(ctlNext, nextOff + 1, dist, nHarmonics, nHarmonics);
            float[] y = renderer.render(f0, amp, dist);
            for (int j = 0; j < hop; j++) out[outOff + j] += y[j];
        }
    }
}
