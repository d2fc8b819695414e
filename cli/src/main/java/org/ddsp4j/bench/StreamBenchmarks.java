package org.ddsp4j.bench;

import java.util.List;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.StreamingSynth;

/**
 * Real-time streaming ({@link StreamingSynth}) of a built-in configuration with its initial (random)
 * weights and its reverb: one timed call renders one second of audio (250 frames at 16 kHz) one frame
 * (one 4 ms block) per {@code process} call, as an audio callback would, on the calling thread only
 * (the streaming path never uses the worker pool). Per-frame time = median / frames; real-time factor
 * = 1 s / median.
 */
public final class StreamBenchmarks {
    private StreamBenchmarks() {}

    public static List<Benchmark> all() {
        return List.of(new Stream("stream_tiny_block", "tiny"), new Stream("stream_solo_block", "solo"));
    }

    static final class Stream implements Benchmark {
        private final String name, config;
        private StreamingSynth synth;
        private float[] f0, ld, out;
        private int frames;

        Stream(String name, String config) {
            this.name = name;
            this.config = config;
        }

        @Override
        public String name() {
            return name;
        }


        @Override
        public void setup() {
            ModelConfig cfg = ModelConfig.builtIn(config);
            synth = new StreamingSynth(new Autoencoder(cfg), true, 1);
            frames = cfg.frameRate();
            f0 = new float[frames];
            ld = new float[frames];
            for (int i = 0; i < frames; i++) {
                f0[i] = (float) (261.63 * Math.pow(2, (i % 50) / 50.0)); // rising octaves: harmonics come and go at Nyquist
                ld[i] = (float) (-30 + 10 * Math.sin(i * 0.05));
            }
            out = new float[synth.hop()];
        }

        @Override
        public void runOnce() {
            for (int i = 0; i < frames; i++) synth.process(f0, ld, i, 1, out, 0);
        }
    }
}
