package org.ddsp4j.bench;

import org.ddsp4j.audio.Resampler;

/**
 * Resampling one minute of audio (a sine plus noise) with {@link Resampler}'s default design
 * (90 dB stopband). Seconds of audio per second = 60 / median time.
 */
public final class ResampleBenchmark implements Benchmark {
    private final int inRate, outRate;
    private Resampler resampler;
    private float[] x, y;

    public ResampleBenchmark(int inRate, int outRate) {
        this.inRate = inRate;
        this.outRate = outRate;
    }

    @Override
    public String name() {
        return "resample_" + inRate / 1000 + "k_" + outRate / 1000 + "k_60s";
    }


    @Override
    public void setup() {
        resampler = new Resampler(inRate, outRate);
        x = new float[60 * inRate];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440.0 * i / inRate) + 0.01 * r.nextGaussian());
        y = new float[(int) resampler.outputLength(x.length)];
    }

    @Override
    public void runOnce() {
        resampler.process(x, y);
    }

    @Override
    public double flops() {
        return 2.0 * y.length * resampler.tapsPerOutput();
    }
}
