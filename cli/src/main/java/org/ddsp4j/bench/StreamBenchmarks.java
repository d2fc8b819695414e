package org.ddsp4j.bench;

import java.util.List;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.LiveEngine;
import org.ddsp4j.inference.TransferRecipe;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.StreamingSynth;

/**
 * Real-time streaming ({@link StreamingSynth}) of a built-in configuration with its initial (random)
 * weights and its reverb: one timed call renders one second of audio (250 frames at 16 kHz; 100 for
 * pytorch-default) one frame (one 4 ms block; 10 ms for pytorch-default) per {@code process} call, as an audio callback would, on the calling thread only
 * (the streaming path never uses the worker pool). Per-frame time = median / frames; real-time factor
 * = 1 s / median.
 */
public final class StreamBenchmarks {
    private StreamBenchmarks() {}

    public static List<Benchmark> all() {
        // stream_*: the model alone; live_*: the whole live path (LiveEngine) around it
        return List.of(new Stream("stream_tiny_block", "tiny"), new Stream("stream_solo_block", "solo"),
                new Stream("stream_pytorch_default_block", "pytorch-default"),
                new Live("live_tiny_block", "tiny"), new Live("live_solo_block", "solo"),
                new Live("live_pytorch_default_block", "pytorch-default"));
    }

    /**
     * The whole live path ({@link LiveEngine}: causal tracker, transfer recipe, streaming model with its room) on
     * one second of a sung-like input (a harmonic tone gliding over an octave, with a note gap), one block of one
     * frame per {@code process} call.
     */
    static final class Live implements Benchmark {
        private final String name, config;
        private LiveEngine engine;
        private float[] in, out;
        private int hop;

        Live(String name, String config) {
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
            engine = Instrument.of(new Autoencoder(cfg), 60, -30).live(TransferRecipe.defaults(), true);
            int sr = cfg.sampleRate();
            hop = cfg.hop();
            in = new float[sr];
            out = new float[hop];
            double ph = 0;
            for (int i = 0; i < sr; i++) {
                ph += 2 * Math.PI * 220 * Math.pow(2, (i % (sr / 2)) / (sr / 2.0)) / sr;
                boolean gap = i % (sr / 2) > sr / 2 - sr / 20;
                in[i] = gap ? 0f : (float) (0.3 * (Math.sin(ph) + 0.4 * Math.sin(2 * ph) + 0.2 * Math.sin(3 * ph)));
            }
        }

        @Override
        public void runOnce() {
            for (int off = 0; off + hop <= in.length; off += hop) engine.process(in, off, out, 0, hop);
        }
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
