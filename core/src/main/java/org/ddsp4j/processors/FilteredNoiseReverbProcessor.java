package org.ddsp4j.processors;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.FilteredNoiseReverb;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.tensor.Tensor;

/**
 * Trainable filtered-noise reverb (ddsp's {@code effects.FilteredNoiseReverb(trainable=True)}): holds
 * raw magnitudes {@code [1, nFrames, nBands]} (normal init, std 0.01). Input {@code audio
 * [batch, nSamples]}; control: magnitudes = {@code expSigmoid(raw + initialBias)}; signal:
 * {@link Reverb#apply} with {@link FilteredNoiseReverb#impulseResponse} (fresh noise per call).
 */
public final class FilteredNoiseReverbProcessor implements Processor {
    private final Tensor rawMagnitudes;
    private final int irSize, windowSize;
    private final float initialBias;
    private final boolean addDry;
    private final SplittableRandom rng;

    /**
     * @param irSize      IR taps, a multiple of nFrames (ddsp: 48000)
     * @param nFrames     time resolution of the magnitudes (ddsp: 1000)
     * @param nBands      frequency bands (ddsp: 16; 2^k + 1 bands use the FFT path)
     * @param windowSize  filter taps per frame ({@code <= 0}: {@code 2 (nBands - 1)})
     * @param initialBias added before {@code expSigmoid} (ddsp: -3)
     * @param addDry      add the dry signal
     * @param seed        seed of the initial magnitudes and of the noise
     */
    public FilteredNoiseReverbProcessor(int irSize, int nFrames, int nBands, int windowSize, float initialBias, boolean addDry, long seed) {
        if (nFrames < 1 || irSize % nFrames != 0) {
            throw new IllegalArgumentException("FilteredNoiseReverbProcessor: irSize " + irSize + " must be a multiple of nFrames " + nFrames);
        }
        this.rng = new SplittableRandom(seed);
        this.rawMagnitudes = Tensor.randn(rng.split(), 0.01f, 1, nFrames, nBands).requiresGrad(true);
        this.irSize = irSize;
        this.windowSize = windowSize;
        this.initialBias = initialBias;
        this.addDry = addDry;
    }

    @Override
    public List<String> inputNames() {
        return List.of("audio");
    }

    @Override
    public Map<String, Tensor> getControls(Map<String, Tensor> raw) {
        return Map.of("audio", Processor.require(raw, "audio", "FilteredNoiseReverbProcessor"),
                "magnitudes", FilteredNoiseReverb.magnitudes(rawMagnitudes, initialBias));
    }

    @Override
    public Tensor getSignal(Map<String, Tensor> controls) {
        SplittableRandom r;
        synchronized (rng) {
            r = rng.split();
        }
        Tensor ir = FilteredNoiseReverb.impulseResponse(Processor.require(controls, "magnitudes", "FilteredNoiseReverbProcessor"),
                irSize, windowSize, r);
        return Reverb.apply(Processor.require(controls, "audio", "FilteredNoiseReverbProcessor"), ir, addDry);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(rawMagnitudes);
    }
}
