package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.ddsp4j.apps.ControlRendering;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.model.StreamingSynth;
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

    @CommandLine.Mixin
    ModelOption model;

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
        Outputs.requireFile(out, "out.wav");
        if ((controlsCsv != null) == (input != null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --controls and --input");
        }
        if (block < 1) throw new ParameterException(spec.commandLine(), "--block-frames must be 1 or more, got " + block);
        Instrument instrument = model.load();
        int rate = instrument.sampleRate();
        float[][] c;
        float[] z = null;
        if (controlsCsv != null) {
            if (instrument.model().needsAudio()) {
                throw new ParameterException(spec.commandLine(), "model " + model.model + " has a z encoder, which reads the "
                        + "timbre from a recording: stream it with --input AUDIO, not --controls");
            }
            c = ControlRendering.toFrameRate(AudioFeatures.readCsv(controlsCsv), instrument.frameRate());
        } else {
            Instrument.Analysis a = instrument.analyze(instrument.read(input));
            c = new float[][] {a.controls().f0Hz(), a.controls().loudnessDb()};
            z = instrument.latents(a); // per-frame timbre of a z-encoder model, computed ahead (not causal)
        }
        StreamingSynth synth = instrument.stream(!noReverb);
        int frames = c[0].length, hop = synth.hop(), lat = synth.latencyFrames();
        float[] y = new float[(frames + lat) * hop];
        // A first pass warms up the JIT, as a plugin would before the first callback; the second is timed.
        for (int pass = 0; pass < 2 && frames * hop < 60 * rate; pass++) renderAll(synth, c[0], c[1], z, block, y);
        long t0 = System.nanoTime();
        double worst = renderAll(synth, c[0], c[1], z, block, y);
        double seconds = (System.nanoTime() - t0) / 1e9, audioSeconds = frames * hop / (double) rate;
        float[] audio = Arrays.copyOfRange(y, lat * hop, y.length);
        instrument.write(out, audio);
        double blockMs = 1000.0 * block * hop / rate;
        System.out.printf("ddsp stream: wrote %s (%.2f s), %d frame(s) = %.1f ms per block, 1 thread%n", out,
                audio.length / (double) rate, block, blockMs);
        System.out.printf("  real-time factor %.1fx (%.1f us per block on average, worst %.1f us)%n", audioSeconds / seconds,
                1e6 * seconds / Math.ceil(frames / (double) block), worst * 1e6);
        System.out.printf("  latency %d frame(s) = %d samples = %.1f ms (plus the %.1f ms block buffered by the host)%n",
                lat, synth.latencySamples(), 1000.0 * synth.latencySamples() / rate, blockMs);
        return 0;
    }

    /** Streams every frame from a fresh state into {@code y}, then flushes the last; returns the slowest call in seconds. */
    private static double renderAll(StreamingSynth synth, float[] f0, float[] ld, float[] z, int block, float[] y) {
        synth.reset();
        double worst = 0;
        int hop = synth.hop();
        for (int from = 0; from < f0.length; from += block) {
            int n = Math.min(block, f0.length - from);
            long t = System.nanoTime();
            synth.process(f0, ld, z, from, n, y, from * hop);
            worst = Math.max(worst, (System.nanoTime() - t) / 1e9);
        }
        synth.flush(y, f0.length * hop);
        return worst;
    }
}
