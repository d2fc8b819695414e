package org.ddsp4j.bench;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.FftConvolution;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.tensor.Tensor;

/** DSP-library benchmarks, each doing the work of the same-named mode of reference.py. */
public final class DspBenchmarks {
    private DspBenchmarks() {}

    /** noise_fwdbwd and reverb_fwdbwd. */
    public static java.util.List<Benchmark> all() {
        return java.util.List.of(new NoiseFwdBwd(), new ReverbFwdBwd());
    }

    static final int BATCH = 16, SAMPLES = 64000, FRAMES = 1000, BANDS = 65, REVERB_TAPS = 48000;

    /**
     * Filtered noise, forward and backward w.r.t. the magnitudes: magnitudes {@code [16, 1000, 65]}
     * -> 128-tap zero-phase Hann-windowed IRs -> framewise FFT convolution with fresh uniform noise
     * frames of 64 samples -> overlap-add -> {@code [16, 64000]}; backward with a fixed random gradient.
     */
    public static final class NoiseFwdBwd implements Benchmark {
        private Tensor mags, grad;
        private final SplittableRandom rng = new SplittableRandom(0);

        @Override public String name() { return "noise_fwdbwd"; }
        @Override public String referenceMode() { return "noise_fwdbwd"; }

        @Override
        public void setup() {
            mags = Tensor.uniform(rng, 0, 1, BATCH, FRAMES, BANDS).requiresGrad(true);
            grad = Tensor.randn(rng, 1f, BATCH, SAMPLES);
        }

        @Override
        public void runOnce() {
            mags.zeroGrad();
            FilteredNoise.render(mags, SAMPLES, 0, rng).backward(grad);
        }
    }

    /**
     * Reverb, forward and backward w.r.t. the IR: {@code y = x + fftconv(x, ir)} cropped to the first
     * 64000 samples, x {@code [16, 64000]}, a shared trainable ir {@code [1, 48000]}.
     */
    public static final class ReverbFwdBwd implements Benchmark {
        private Tensor x, ir, grad;

        @Override public String name() { return "reverb_fwdbwd"; }
        @Override public String referenceMode() { return "reverb_fwdbwd"; }

        @Override
        public void setup() {
            SplittableRandom rng = new SplittableRandom(0);
            x = Tensor.randn(rng, 1f, BATCH, SAMPLES);
            ir = Tensor.randn(rng, 1e-3f, 1, REVERB_TAPS).requiresGrad(true);
            grad = Tensor.randn(rng, 1f, BATCH, SAMPLES);
        }

        @Override
        public void runOnce() {
            ir.zeroGrad();
            x.add(FftConvolution.fftConvolve(x, ir, FftConvolution.Padding.SAME, 0)).backward(grad);
        }
    }
}
