package org.ddsp4j.dsp;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Tensor;

/**
 * Unit conversions and the default control nonlinearity of DDSP, as differentiable tensor
 * functions (composites of tensor primitives, so their backward comes from the primitives) and as
 * float helpers. All tensor functions are elementwise and keep the input's shape.
 *
 * <p>Decibel conventions follow {@code ddsp.core}: {@code powerToDb(p) = max(10 log10(max(p, amin)) - refDb, -rangeDb)}
 * where the floor {@code amin} defaults to {@code 10^(-rangeDb/10)} (so the two clips agree) and
 * {@code ampToDb(a) = powerToDb(a^2)}.
 */
public final class Conversions {
    /** Default dynamic range in dB (ddsp's {@code DB_RANGE}). */
    public static final float DB_RANGE = 80f;
    private static final float LN10_OVER_10 = (float) (Math.log(10) / 10);
    private static final float TEN_OVER_LN10 = (float) (10 / Math.log(10));

    private Conversions() {}

    // ------------------------------------------------------------------------------- tensors

    /**
     * Power (linear, >= 0) to dB: {@code max(10 log10(max(power, amin)) - refDb, -rangeDb)}.
     *
     * @param power   any shape, linear power
     * @param amin    floor applied before the log (> 0), e.g. {@code 1e-8}
     * @param refDb   reference level in dB subtracted from the result (0 for dB re 1.0)
     * @param rangeDb dynamic range (> 0): results are clipped below at {@code -rangeDb}
     * @return dB, same shape; the gradient is zero where a clip is active
     */
    public static Tensor powerToDb(Tensor power, float amin, float refDb, float rangeDb) {
        checkDb(amin, rangeDb);
        Tensor floor = Tensor.scalar(amin);
        Tensor db = power.maximum(floor).log().mul(TEN_OVER_LN10).sub(refDb);
        return db.maximum(Tensor.scalar(-rangeDb));
    }

    /** {@link #powerToDb(Tensor, float, float, float)} with ddsp's defaults: floor {@code 1e-8}, ref 0 dB, range 80 dB. */
    public static Tensor powerToDb(Tensor power) {
        return powerToDb(power, defaultAmin(DB_RANGE), 0f, DB_RANGE);
    }

    /**
     * Amplitude (linear) to dB: {@code powerToDb(amplitude^2, amin, refDb, rangeDb)}; {@code amin} is
     * a floor on the power.
     */
    public static Tensor ampToDb(Tensor amplitude, float amin, float refDb, float rangeDb) {
        return powerToDb(amplitude.square(), amin, refDb, rangeDb);
    }

    /** {@link #ampToDb(Tensor, float, float, float)} with floor {@code 1e-8} (power), ref 0 dB, range 80 dB. */
    public static Tensor ampToDb(Tensor amplitude) {
        return ampToDb(amplitude, defaultAmin(DB_RANGE), 0f, DB_RANGE);
    }

    /** dB to power: {@code 10^(db/10)}. */
    public static Tensor dbToPower(Tensor db) {
        return db.mul(LN10_OVER_10).exp();
    }

    /** dB to amplitude: {@code 10^(db/20)}. */
    public static Tensor dbToAmp(Tensor db) {
        return db.mul(LN10_OVER_10 / 2).exp();
    }

    /**
     * Frequency in Hz to MIDI note number: {@code 12 log2(f / 440) + 69}; frequencies {@code <= 0}
     * map to 0 (as ddsp does) with zero gradient.
     */
    public static Tensor hzToMidi(Tensor hz) {
        Tensor safe = hz.maximum(Tensor.scalar(1e-30f));
        Tensor midi = safe.div(440f).log().mul((float) (12 / Math.log(2))).add(69f);
        Tensor positive = positiveMask(hz);
        return midi.where(positive, Tensor.scalar(0f));
    }

    /** MIDI note number to Hz: {@code 440 * 2^((midi - 69) / 12)}. */
    public static Tensor midiToHz(Tensor midi) {
        return midi.sub(69f).mul((float) (Math.log(2) / 12)).exp().mul(440f);
    }

    /**
     * DDSP's scaling of every synth control: {@code maxValue * sigmoid(x)^ln(exponent) + threshold},
     * output in {@code (threshold, maxValue + threshold)}.
     *
     * @param x        raw network output, any shape
     * @param exponent steepness (> 0; ddsp default 10)
     * @param maxValue upper limit (ddsp default 2)
     * @param threshold lower limit, keeps logs and divisions finite (ddsp default 1e-7)
     */
    public static Tensor expSigmoid(Tensor x, float exponent, float maxValue, float threshold) {
        if (!(exponent > 0)) throw new IllegalArgumentException("expSigmoid: exponent must be > 0, got " + exponent);
        // sigmoid(x)^p = exp(-p * softplus(-x)): finite gradient for very negative x, unlike pow(sigmoid).
        // One fused op (it scales every synth control of a training batch, millions of values):
        // with t = exp(-|x|), softplus(-x) = max(-x, 0) + log(1 + t) and sigmoid(-x) = t / (1 + t)
        // for x >= 0, 1 / (1 + t) otherwise; dy/dx = maxValue * e * p * sigmoid(-x), e = exp(-p softplus(-x)),
        // saved per element in forward.
        double p = Math.log(exponent);
        float[] xd = x.data(), y = new float[xd.length], dydx = new float[xd.length];
        Parallel.forRange(xd.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = xd[i], t = Math.exp(-Math.abs(v));
                double sp = Math.max(-v, 0) + Math.log(1 + t);
                double e = maxValue * Math.exp(-p * sp);
                y[i] = (float) (e + threshold);
                dydx[i] = (float) (e * p * (v >= 0 ? t / (1 + t) : 1 / (1 + t)));
            }
        });
        return Tensor.fromOp("exp_sigmoid", y, x.shape(), gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += gy[i] * dydx[i];
        }, x);
    }

    /** {@link #expSigmoid(Tensor, float, float, float)} with ddsp's defaults (10, 2, 1e-7). */
    public static Tensor expSigmoid(Tensor x) {
        return expSigmoid(x, 10f, 2f, 1e-7f);
    }

    // ------------------------------------------------------------------------------- floats

    /** Scalar {@link #powerToDb(Tensor, float, float, float)}. */
    public static float powerToDb(float power, float amin, float refDb, float rangeDb) {
        checkDb(amin, rangeDb);
        double db = 10 * Math.log10(Math.max(power, amin)) - refDb;
        return (float) Math.max(db, -rangeDb);
    }

    /** Scalar {@link #ampToDb(Tensor)} (floor 1e-8 on the power, ref 0 dB, range 80 dB). */
    public static float ampToDb(float amplitude) {
        return powerToDb(amplitude * amplitude, defaultAmin(DB_RANGE), 0f, DB_RANGE);
    }

    /** Scalar {@link #powerToDb(Tensor)}. */
    public static float powerToDb(float power) {
        return powerToDb(power, defaultAmin(DB_RANGE), 0f, DB_RANGE);
    }

    public static float dbToPower(float db) {
        return (float) Math.pow(10, db / 10.0);
    }

    public static float dbToAmp(float db) {
        return (float) Math.pow(10, db / 20.0);
    }

    /** Scalar {@link #hzToMidi(Tensor)}: 0 for {@code hz <= 0}. */
    public static float hzToMidi(float hz) {
        return (float) hzToMidi((double) hz);
    }

    /** Hz to MIDI note number in double, {@code 12 log2(hz / 440) + 69}; 0 for {@code hz <= 0}. The one Hz-to-MIDI of the project. */
    public static double hzToMidi(double hz) {
        return hz <= 0 ? 0 : 12 * (Math.log(hz / 440.0) / Math.log(2)) + 69;
    }

    /** MIDI note number to Hz in double, {@code 440 * 2^((midi - 69) / 12)}. */
    public static double midiToHz(double midi) {
        return 440 * Math.pow(2, (midi - 69) / 12.0);
    }

    public static float midiToHz(float midi) {
        return (float) (440 * Math.pow(2, (midi - 69) / 12.0));
    }

    /** Scalar {@link #expSigmoid(Tensor, float, float, float)}: the same double-precision formula, so the same floats. */
    public static float expSigmoid(float x, float exponent, float maxValue, float threshold) {
        double v = x, t = Math.exp(-Math.abs(v));
        double sp = Math.max(-v, 0) + Math.log(1 + t);
        return (float) (maxValue * Math.exp(-Math.log(exponent) * sp) + threshold);
    }

    /** Scalar {@link #expSigmoid(Tensor)} (ddsp's defaults 10, 2, 1e-7); equal to the tensor form element by element. */
    public static float expSigmoid(float x) {
        double v = x, t = Math.exp(-Math.abs(v));
        double sp = Math.max(-v, 0) + Math.log(1 + t);
        return (float) (2f * Math.exp(-Math.log(10f) * sp) + 1e-7f);
    }

    /** The floor ddsp uses for a range: {@code 10^(-rangeDb/10)} (1e-8 for 80 dB). */
    public static float defaultAmin(float rangeDb) {
        return (float) Math.pow(10, -rangeDb / 10.0);
    }

    private static Tensor positiveMask(Tensor hz) {
        float[] d = hz.data(), m = new float[d.length];
        for (int i = 0; i < d.length; i++) m[i] = d[i] > 0 ? 1f : 0f;
        return Tensor.of(m, hz.shape());
    }

    private static void checkDb(float amin, float rangeDb) {
        if (!(amin > 0)) throw new IllegalArgumentException("amin must be > 0 (a floor before the log), got " + amin);
        if (!(rangeDb > 0)) throw new IllegalArgumentException("rangeDb must be > 0, got " + rangeDb);
    }
}
