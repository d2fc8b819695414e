package org.ddsp4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.io.SafeTensors;
import org.ddsp4j.model.ModelDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code ./ddsp export}: a trained model as a small folder to ship or share (no optimizer state, weights in half
 * precision by default), checked by rendering a test phrase with both and printing how far the copy is from the
 * original.
 */
@CommandLine.Command(name = "export",
        description = "copy a trained model for playing and sharing: latest weights (half precision by default), "
                + "configuration, statistics and loss history; no optimizer state",
        footer = {"", "The copy plays everywhere a model directory does (or put it under instruments/ and use its name);",
            "it cannot be resumed. An existing --output is replaced only with --overwrite, once the copy is complete."})
public final class ExportCommand implements Command {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model directory written by ./ddsp train")
    Path model;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the folder to write")
    Path output;

    @Option(names = "--precision", paramLabel = "f16|f32",
            description = "weight precision: f16 (default: half the size; renders within about -60 dB of the original) or f32 (exact)")
    String precision = "f16";

    @Option(names = "--overwrite", description = "replace an existing --output (after the new copy is complete)")
    boolean overwrite;

    /** Seconds of the test phrase rendered by the original and the copy. */
    private static final double CHECK_SECONDS = 3;

    @Override
    public Integer call() throws Exception {
        SafeTensors.Precision p = switch (precision.toLowerCase(java.util.Locale.ROOT)) {
            case "f16", "half" -> SafeTensors.Precision.F16;
            case "f32", "float" -> SafeTensors.Precision.F32;
            default -> throw new IllegalArgumentException("--precision must be f16 or f32, is " + precision);
        };
        ModelDir exported = new ModelDir(model).exportTo(output, p, overwrite);
        Instrument original = Instrument.load(model), copy = Instrument.load(exported.dir());
        AudioFeatures phrase = testPhrase(original.frameRate());
        float[] a = original.render(phrase, true), b = copy.render(phrase, true);
        double peak = 0, err = 0;
        for (int i = 0; i < a.length; i++) {
            peak = Math.max(peak, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        long bytes;
        try (var files = Files.list(exported.dir())) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("ddsp export: wrote %s (%s weights, %.1f MB in all); a %.0f s test phrase renders within %.1f dB "
                        + "of the original's peak%n", output, p, bytes / 1e6, CHECK_SECONDS,
                err == 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(err / Math.max(peak, 1e-9)));
        return 0;
    }

    /** A glide over two octaves (110 to 440 Hz) with a swell from -50 to -20 dB: every harmonic and noise band moves. */
    private static AudioFeatures testPhrase(int frameRate) {
        int n = (int) (CHECK_SECONDS * frameRate);
        float[] f0 = new float[n], conf = new float[n], ld = new float[n];
        boolean[] voiced = new boolean[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / (n - 1);
            f0[i] = (float) (110 * Math.pow(4, t));
            conf[i] = 1;
            voiced[i] = true;
            ld[i] = (float) (-50 + 30 * Math.sin(Math.PI * t));
        }
        return new AudioFeatures(f0, conf, voiced, ld, frameRate);
    }
}
