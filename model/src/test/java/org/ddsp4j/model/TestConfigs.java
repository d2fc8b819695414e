package org.ddsp4j.model;

import java.util.List;

/** Small configurations that keep tests to seconds. */
public final class TestConfigs {
    private TestConfigs() {}

    /** tiny shrunk: hidden/GRU 16, 8 harmonics, 9 noise bands, 64-tap reverb, 0.2 s examples (50 frames). */
    public static ModelConfig small() {
        return ModelConfig.builtIn("tiny").setAll(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "harmonic.n_harmonics=8", "noise.n_bands=9", "reverb.taps=64", "audio.example_seconds=0.2",
                "audio.example_hop_seconds=0.1", "loss.fft_sizes=256,128,64", "train.batch=2",
                "train.learning_rate=0.01", "train.warmup_steps=0", "train.checkpoint_every=2"));
    }

    /**
     * nsynth shrunk: one layer per stack, hidden/GRU 16, 8 harmonics, 9 noise bands, z encoder with 8 MFCCs
     * (256-point FFT, 32 mels), GRU 8, z 4; 0.2 s examples (50 frames).
     */
    public static ModelConfig smallNsynth() {
        return ModelConfig.builtIn("nsynth").setAll(List.of("decoder.hidden=16", "decoder.gru_units=16",
                "decoder.layers_per_stack=1", "harmonic.n_harmonics=8", "noise.n_bands=9", "audio.example_seconds=0.2",
                "audio.example_hop_seconds=0.1", "loss.fft_sizes=256,128,64", "train.batch=2",
                "train.learning_rate=0.01", "train.checkpoint_every=2", "encoder.z_dims=4", "encoder.mfcc=8",
                "encoder.gru_units=8", "encoder.fft_size=256", "encoder.mel_bins=32"));
    }
}
