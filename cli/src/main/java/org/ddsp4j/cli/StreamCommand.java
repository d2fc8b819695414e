package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.ddsp4j.apps.ControlRendering;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.StreamingSynth;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./ddsp stream}: renders controls through the real-time path ({@link StreamingSynth}) block by
 * block, as an audio callback would, and reports the real-time factor and the latency.
 */
@CommandLine.Command(name = "stream", description = {
    "render block by block through the real-time path; prints real-time factor and latency",
    "(give exactly one of --controls and --input)"})
public final class StreamCommand implements Command {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "a model directory written by ./ddsp train (no z encoder)")
    Path modelDir;

    @Option(names = "--controls", paramLabel = "FILE.csv",
            description = "a CSV with columns time,f0_hz,loudness_db, e.g. from ./ddsp features (resampled to the model's frame"
                    + " rate)")
    Path controlsCsv;

    @Option(names = "--input", paramLabel = "AUDIO",
            description = "a recording; its f0 and loudness are extracted first (not timed)")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "WAV",
            description = "16-bit WAV at the model's sample rate, aligned with the controls (the stream's latency is removed, "
                    + "the last frame flushed)")
    Path out;

    @Option(names = "--block-frames", paramLabel = "N",
            description = "frames per process call (default ${DEFAULT-VALUE}: one hop, 4 ms at 16 kHz/250 fps)")
    int block = 1;

    @Option(names = "--no-reverb", description = "render without the model's reverb")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        if ((controlsCsv != null) == (input != null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --controls and --input");
        }
        if (block < 1) throw new ParameterException(spec.commandLine(), "--block-frames must be 1 or more, got " + block);
        Autoencoder model = new ModelDir(modelDir).loadModel();
        ModelConfig cfg = model.config();
        float[][] c;
        if (controlsCsv != null) {
            c = ControlRendering.toFrameRate(AudioFeatures.readCsv(controlsCsv), cfg.frameRate());
        } else {
            Examples.Example ex = Examples.wholeFile(AudioFile.readMono(input, cfg.sampleRate()), cfg);
            c = new float[][] {ex.f0Hz(), ex.loudnessDb()};
        }
        StreamingSynth synth = new StreamingSynth(model, !noReverb, 1);
        int frames = c[0].length, hop = synth.hop(), lat = synth.latencyFrames();
        // latency more frames (the last control held) flush the end; the first latency frames out are the pre-roll.
        float[] f0 = Arrays.copyOf(c[0], frames + lat), ld = Arrays.copyOf(c[1], frames + lat);
        Arrays.fill(f0, frames, frames + lat, c[0][frames - 1]);
        Arrays.fill(ld, frames, frames + lat, c[1][frames - 1]);
        float[] y = new float[(frames + lat) * hop];
        // A first pass warms up the JIT, as a plugin would before the first callback; the second is timed.
        for (int pass = 0; pass < 2 && frames * hop < 60 * cfg.sampleRate(); pass++) renderAll(synth, f0, ld, block, y);
        long t0 = System.nanoTime();
        double worst = renderAll(synth, f0, ld, block, y);
        double seconds = (System.nanoTime() - t0) / 1e9, audioSeconds = (frames + lat) * hop / (double) cfg.sampleRate();
        float[] audio = Arrays.copyOfRange(y, lat * hop, y.length);
        AudioFile.writeWav(out, audio, cfg.sampleRate(), WavEncoding.PCM_16);
        double blockMs = 1000.0 * block * hop / cfg.sampleRate();
        System.out.printf("ddsp stream: wrote %s (%.2f s), %d frame(s) = %.1f ms per block, 1 thread%n", out,
                audio.length / (double) cfg.sampleRate(), block, blockMs);
        System.out.printf("  real-time factor %.1fx (%.1f us per block on average, worst %.1f us)%n", audioSeconds / seconds,
                1e6 * seconds / Math.ceil((frames + lat) / (double) block), worst * 1e6);
        System.out.printf("  latency %d frame(s) = %d samples = %.1f ms (plus the %.1f ms block buffered by the host)%n",
                lat, synth.latencySamples(), 1000.0 * synth.latencySamples() / cfg.sampleRate(), blockMs);
        return 0;
    }

    /** Streams everything from a fresh state into {@code y}; returns the slowest call in seconds. */
    private static double renderAll(StreamingSynth synth, float[] f0, float[] ld, int block, float[] y) {
        synth.reset();
        double worst = 0;
        int hop = synth.hop();
        for (int from = 0; from < f0.length; from += block) {
            int n = Math.min(block, f0.length - from);
            long t = System.nanoTime();
            synth.process(f0, ld, from, n, y, from * hop);
            worst = Math.max(worst, (System.nanoTime() - t) / 1e9);
        }
        return worst;
    }
}
