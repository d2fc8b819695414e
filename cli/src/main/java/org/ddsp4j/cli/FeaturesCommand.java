package org.ddsp4j.cli;

import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.MonoSource;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.PitchTracker;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./ddsp features}: f0, confidence, voicing and loudness of one audio file, as CSV. */
@CommandLine.Command(name = "features",
        description = "f0, confidence, voicing and loudness of an audio file, one CSV row per frame")
final class FeaturesCommand implements Command {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "AUDIO", description = "a WAV, FLAC or MP3 file at any sample rate (mixed to mono)")
    Path in;

    @Option(names = "--output", required = true, paramLabel = "FILE.csv",
            description = "the CSV to write; header: time,f0_hz,f0_confidence,voiced,loudness_db (time = frame centre in "
                    + "seconds; frame i is centred at i/frame-rate s; a file of n samples at the analysis rate has n/hop + "
                    + "1 frames)")
    Path out;

    @Option(names = "--frame-rate", paramLabel = "FPS", defaultValue = "250",
            description = "frames per second (default ${DEFAULT-VALUE}); must divide the analysis rate")
    int frameRate;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "16000",
            description = "analysis rate the audio is resampled to first (default ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--f0-min", paramLabel = "HZ", description = "lowest pitch searched, Hz (default 40)")
    Double f0Min;

    @Option(names = "--f0-max", paramLabel = "HZ",
            description = "highest pitch searched, Hz (default 2100, or a quarter of the analysis rate if lower)")
    Double f0Max;

    @Override
    public Integer call() throws Exception {
        Outputs.requireFile(out, "features.csv");
        int sr = sampleRate, fr = frameRate;
        if (sr <= 0 || fr <= 0 || sr % fr != 0) {
            throw new ParameterException(spec.commandLine(),
                    "--frame-rate " + fr + " must divide --sample-rate " + sr + " (hop = rate / frame rate samples)");
        }
        PitchTracker.Builder b = PitchTracker.builder(sr).frameRate(fr);
        if (f0Min != null) b.fMinHz(f0Min.floatValue());
        if (f0Max != null) b.fMaxHz(f0Max.floatValue());
        long t0 = System.nanoTime();
        // Read, resampled and analysed chunk by chunk: memory does not grow with the length of the recording.
        AudioFeatures f;
        double seconds;
        try (MonoSource mono = AudioFile.openMono(in, sr)) {
            seconds = mono.durationSeconds();
            f = AudioFeatures.compute(mono, b.build());
        }
        f.writeCsv(out);
        int voiced = 0;
        for (boolean v : f.voiced()) if (v) voiced++;
        System.out.printf("%s: %.2f s of audio, %d frames (%d voiced) -> %s in %.2f s%n", in, seconds,
                f.nFrames(), voiced, out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
