package org.ddsp4j.cli;

import java.nio.file.Path;
import java.util.Set;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.PitchTracker;

/** {@code ./ddsp features}: f0, confidence, voicing and loudness of one audio file, as CSV. */
final class FeaturesCommand implements Command {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "f0, confidence, voicing and loudness of an audio file, one CSV row per frame";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp features AUDIO --output FILE.csv [--frame-rate 250] [--sample-rate 16000]
                                        [--f0-min 40] [--f0-max 2000]

                  AUDIO           a WAV, FLAC or MP3 file at any sample rate (mixed to mono)
                  --output        the CSV to write; header: time,f0_hz,f0_confidence,voiced,loudness_db
                                  (time = frame centre in seconds; frame i is centred at i/frame-rate s;
                                  a file of n samples at the analysis rate has n/hop + 1 frames)
                  --frame-rate    frames per second (default 250); must divide the analysis rate
                  --sample-rate   analysis rate the audio is resampled to first (default 16000)
                  --f0-min/max    pitch search range in Hz""";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of(), Set.of("output", "frame-rate", "sample-rate", "f0-min", "f0-max"));
        if (a.positional().size() != 1) throw new UsageException("expected exactly one AUDIO file, got " + a.positional().size());
        Path in = Path.of(a.positional().get(0));
        Path out = Path.of(a.require("output"));
        int sr = a.getInt("sample-rate", 16000), fr = a.getInt("frame-rate", 250);
        if (sr <= 0 || fr <= 0 || sr % fr != 0) {
            throw new UsageException("--frame-rate " + fr + " must divide --sample-rate " + sr + " (hop = rate / frame rate samples)");
        }
        PitchTracker.Builder b = PitchTracker.builder(sr).frameRate(fr);
        if (a.has("f0-min")) b.fMinHz((float) a.getDouble("f0-min", 40));
        if (a.has("f0-max")) b.fMaxHz((float) a.getDouble("f0-max", 2000));
        long t0 = System.nanoTime();
        float[] mono = AudioFile.readMono(in, sr);
        AudioFeatures f = AudioFeatures.compute(mono, b.build());
        f.writeCsv(out);
        int voiced = 0;
        for (boolean v : f.voiced()) if (v) voiced++;
        System.out.printf("%s: %.2f s of audio, %d frames (%d voiced) -> %s in %.2f s%n", in, mono.length / (double) sr,
                f.nFrames(), voiced, out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
