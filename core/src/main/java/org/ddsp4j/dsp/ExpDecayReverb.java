package org.ddsp4j.dsp;

import org.ddsp4j.tensor.Shape;
import org.ddsp4j.tensor.Tensor;

/**
 * Exponentially decaying noise as a reverb IR (ddsp's {@code effects.ExpDecayReverb}):
 * {@code ir[i] = gain * exp(-decayRate * t_i) * noise[i]} with {@code t_i = i / (irSize - 1)} running
 * from 0 to 1 over the IR (so {@code decayRate} is in nepers per IR length: the tail ends
 * {@code 8.69 * decayRate} dB below the start).
 *
 * <p>Controls from raw trainable values, as ddsp parameterizes them: {@code gain = expSigmoid(rawGain)}
 * (initial raw value 2.0) and {@code decayRate = 2 + exp(rawDecay)} (initial raw 4.0), which keeps the
 * rate above 2 so the IR always decays.
 */
public final class ExpDecayReverb {
    /** ddsp's initial raw values. */
    public static final float INITIAL_RAW_GAIN = 2f, INITIAL_RAW_DECAY = 4f;

    private ExpDecayReverb() {}

    /** {@code expSigmoid(rawGain)}: linear gain, any shape. */
    public static Tensor gain(Tensor rawGain) {
        return Conversions.expSigmoid(rawGain);
    }

    /**
     * The raw value whose {@link #gain} is {@code gain}, in (0, 2): the inverse of ddsp's exp_sigmoid
     * ({@code 2 sigmoid(x)^ln 10 + 1e-7}).
     */
    public static float rawGainFor(double gain) {
        if (!(gain > 1e-7 && gain < 2)) throw new IllegalArgumentException("an exp-decay reverb's gain must be in (1e-7, 2), is " + gain);
        double s = Math.pow((gain - 1e-7) / 2, 1 / Math.log(10));
        return (float) Math.log(s / (1 - s));
    }

    /**
     * The raw decay whose IR falls 60 dB (in energy) in {@code t60} seconds: {@code rate = 3 ln(10) L / t60} nepers
     * per IR length {@code L = taps / sampleRate} s, {@code raw = ln(rate - 2)}.
     */
    public static float rawDecayFor(double t60, int taps, int sampleRate) {
        double rate = 3 * Math.log(10) * taps / (double) sampleRate / t60;
        if (!(t60 > 0 && rate > 2)) {
            throw new IllegalArgumentException("an exp-decay reverb's T60 must be in (0, " + longestT60(taps, sampleRate) + ") s, is " + t60);
        }
        return (float) Math.log(rate - 2);
    }

    /** The longest T60 an IR of {@code taps} samples can have, in seconds (the rate's floor of 2 nepers per IR length). */
    public static double longestT60(int taps, int sampleRate) {
        return 3 * Math.log(10) * taps / (double) sampleRate / 2;
    }

    /** {@code 2 + exp(rawDecay)}: decay rate in nepers per IR length, any shape. */
    public static Tensor decayRate(Tensor rawDecay) {
        return rawDecay.exp().add(2f);
    }

    /**
     * The impulse response.
     *
     * @param gain      {@code [batch or 1, 1]} linear gain
     * @param decayRate {@code [batch or 1, 1]} nepers per IR length (>= 0 for a decay)
     * @param noise     {@code [batch or 1, irSize]} noise (uniform in [-1, 1) in ddsp; use
     *                  {@link FilteredNoise#noise}); a constant, not differentiated
     * @return {@code [batch or 1, irSize]} (batch of the broadcast)
     */
    public static Tensor impulseResponse(Tensor gain, Tensor decayRate, Tensor noise) {
        if (noise.rank() != 2 || gain.rank() != 2 || decayRate.rank() != 2 || gain.dim(1) != 1 || decayRate.dim(1) != 1) {
            throw new IllegalArgumentException("ExpDecayReverb: need gain [batch or 1, 1], decayRate [batch or 1, 1], noise [batch or 1, irSize]; got "
                    + Shape.str(gain.shape()) + ", " + Shape.str(decayRate.shape()) + ", " + Shape.str(noise.shape()));
        }
        int n = noise.dim(1);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) t[i] = n == 1 ? 0f : (float) i / (n - 1);
        Tensor envelope = decayRate.mul(Tensor.of(t, 1, n)).neg().exp();  // [batch or 1, irSize]
        return envelope.mul(gain).mul(noise);
    }
}
