package org.ddsp4j.processors;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.ExpDecayReverb;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.dsp.PartitionedConvolution;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.nn.Module;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * The model's room: a convolution reverb {@code y = x + conv(x, ir)} with tap 0 of the IR zeroed (the
 * dry path is added separately), cut to the input's length. Parameters (named as in saved models):
 * {@code ir [1, taps]} for {@link Type#LEARNED} (magenta/ddsp's trainable IR, initialized
 * {@code N(0, 1e-6)}: the model starts dry), or {@code raw_gain, raw_decay [1, 1]} for
 * {@link Type#EXP_DECAY} (an exponentially decaying seeded noise IR, {@link ExpDecayReverb}), and also
 * {@code raw_late_gain, raw_late_decay [1, 1]} for {@link Type#DOUBLE_SLOPE} (a second, slower decay over the same noise).
 * Offline it is one FFT convolution ({@link #apply}); a stream uses a {@link PartitionedConvolution}
 * of the same IR ({@link #newStream}), bounded cost per block however long the IR.
 */
public final class ReverbEffect extends Module {
    /**
     * How the impulse response is parameterized: a free IR, one exponential decay, or two ({@code DOUBLE_SLOPE}: an
     * early and a late decay over the same noise, the shape of a real or a Schroeder/freeverb room, which falls fast
     * at first and slowly later).
     */
    public enum Type { LEARNED, EXP_DECAY, DOUBLE_SLOPE }

    /** A double-slope room's late part at the start: this fraction of the early gain, with half the early decay rate. */
    public static final double INITIAL_LATE_GAIN = 0.3;

    private final Type type;
    private final Tensor ir, rawGain, rawDecay, rawLateGain, rawLateDecay, noise;

    /**
     * @param taps IR length in samples, >= 2
     * @param rng  initialization of a learned IR
     * @param seed the fixed noise of an exp-decay IR
     * @param initialGain an exp-decay IR's linear gain at the start, in (0, 2); 0 for ddsp's initial raw value
     * @param initialDecay an exp-decay IR's raw decay at the start ({@link ExpDecayReverb#rawDecayFor}); NaN for ddsp's
     */
    public ReverbEffect(Type type, int taps, SplittableRandom rng, long seed, double initialGain, float initialDecay) {
        if (taps < 2) throw new IllegalArgumentException("reverb.taps must be >= 2, is " + taps);
        this.type = type;
        if (type == Type.LEARNED) {
            ir = addParameter("ir", Tensor.randn(rng, 1e-6f, 1, taps));
            rawGain = rawDecay = rawLateGain = rawLateDecay = noise = null;
        } else {
            ir = null;
            float raw = initialGain > 0 ? ExpDecayReverb.rawGainFor(initialGain) : ExpDecayReverb.INITIAL_RAW_GAIN;
            float decay = Float.isNaN(initialDecay) ? ExpDecayReverb.INITIAL_RAW_DECAY : initialDecay;
            rawGain = addParameter("raw_gain", Tensor.full(raw, 1, 1));
            rawDecay = addParameter("raw_decay", Tensor.full(decay, 1, 1));
            if (type == Type.DOUBLE_SLOPE) {
                double gain = ExpDecayReverb.gain(Tensor.full(raw, 1, 1)).item();
                rawLateGain = addParameter("raw_late_gain", Tensor.full(ExpDecayReverb.rawGainFor(INITIAL_LATE_GAIN * gain), 1, 1));
                // rate = 2 + exp(raw): raw - ln 2 halves the part above the floor of 2, about doubling the T60.
                rawLateDecay = addParameter("raw_late_decay", Tensor.full((float) (decay - Math.log(2)), 1, 1));
            } else {
                rawLateGain = rawLateDecay = null;
            }
            noise = FilteredNoise.noise(new SplittableRandom(seed), 1, taps);
        }
    }

    public Type type() {
        return type;
    }

    /** The IR as applied, {@code [1, taps]}, tap 0 zeroed (differentiable). */
    public Tensor impulseResponseTensor() {
        Tensor h = switch (type) {
            case LEARNED -> ir;
            case EXP_DECAY -> ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(rawGain), ExpDecayReverb.decayRate(rawDecay), noise);
            case DOUBLE_SLOPE -> ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(rawGain), ExpDecayReverb.decayRate(rawDecay), noise)
                    .add(ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(rawLateGain), ExpDecayReverb.decayRate(rawLateDecay), noise));
        };
        return Reverb.maskDry(h);
    }

    /** The IR as applied, {@code [taps]} samples at the model's rate, tap 0 zeroed (a copy). */
    public float[] impulseResponse() {
        try (GradMode g = GradMode.off()) {
            return impulseResponseTensor().data().clone();
        }
    }

    /** Dry + wet of {@code [B, n]} audio, {@code [B, n]} (the tail past the end is cut). */
    public Tensor apply(Tensor dry) {
        return Reverb.apply(dry, impulseResponseTensor(), true);
    }

    /** A block-by-block form of {@link #apply} with the current IR (copied: later training does not reach it). */
    public Stream newStream(int blockSize) {
        return new Stream(new PartitionedConvolution(impulseResponse(), blockSize), blockSize);
    }

    /** Streaming reverb: dry + wet, one block per call; allocates nothing. */
    public static final class Stream {
        private final PartitionedConvolution conv;
        private final float[] wet;

        private Stream(PartitionedConvolution conv, int block) {
            this.conv = conv;
            this.wet = new float[block];
        }

        public void reset() {
            conv.reset();
        }

        /** Replaces {@code x[off .. off + block)} by dry + wet. */
        public void process(float[] x, int off) {
            conv.process(x, off, wet, 0);
            for (int j = 0; j < wet.length; j++) x[off + j] += wet[j];
        }
    }
}
