package org.ddsp4j.prepare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.prepare.InputFiles.InputFile;

/**
 * The per-file work of preparation, the same on every engine (Beam's {@link ProcessFileFn}, Spark's
 * {@code SparkPrepare}): read + mono + resample, pad if short, features on the whole file, cut into
 * examples ({@link Windows}), each assigned to a split by {@link Splits}. A file that cannot be used
 * gives no examples and a {@link PrepareStats} that names the reason.
 */
public final class FileExamples {
    /**
     * What one file gave.
     *
     * @param train   serialized {@link DdspExample}s of the training split, in file order
     * @param eval    those of the evaluation split
     * @param stats   this file's part of the statistics (with the skip reason when skipped)
     * @param samples samples read at the model rate (0 when skipped)
     * @param skipped whether the file was skipped
     */
    public record Result(List<byte[]> train, List<byte[]> eval, PrepareStats stats, long samples, boolean skipped) {}

    private FileExamples() {}

    /** Processes one file; never throws for a bad file (the reason goes into the statistics). */
    public static Result process(PrepareConfig cfg, AudioLoader loader, FeatureExtractor extractor, InputFile file) {
        float[] audio;
        try {
            audio = loader.readMono(Path.of(file.path()), cfg.sampleRate());
        } catch (Exception e) {
            return skipped(cfg, file, "unreadable: " + describe(e));
        }
        if (audio.length < cfg.minSamples()) {
            return skipped(cfg, file, String.format(Locale.ROOT, "too short: %.3f s < --min-seconds %s",
                    audio.length / (double) cfg.sampleRate(), PrepareStats.num(cfg.minSeconds())));
        }
        try {
            return examples(cfg, extractor, file, audio);
        } catch (RuntimeException e) {
            // A bug or numerical failure on one file should not lose the whole run; report it.
            return skipped(cfg, file, "feature extraction failed: " + describe(e));
        }
    }

    /** Builds every example before returning any, so a failure mid-file gives none. */
    private static Result examples(PrepareConfig cfg, FeatureExtractor extractor, InputFile file, float[] audio) {
        PrepareStats stats = new PrepareStats(cfg.confidenceThreshold());
        float[] padded = Windows.pad(audio, cfg.exampleSamples(), cfg.strideSamples(), cfg.padTail());
        AudioFeatures f = extractor.extract(padded, cfg.sampleRate(), cfg.frameRate());
        int hop = cfg.hopSamples();
        int nFrames = padded.length / hop + 1;
        if (f.f0Hz().length != nFrames || f.f0Confidence().length != nFrames || f.loudnessDb().length != nFrames) {
            throw new IllegalStateException("feature extractor returned " + f.f0Hz().length + "/" + f.f0Confidence().length
                    + "/" + f.loudnessDb().length + " frames for " + padded.length + " samples, expected " + nFrames);
        }
        int len = cfg.exampleSamples(), frames = cfg.exampleFrames(), stride = cfg.strideSamples();
        int n = Windows.count(padded.length, len, stride);
        List<byte[]> train = new ArrayList<>(n), eval = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = i * stride;
            String split = Splits.ofExample(file.relativePath(), cfg.evalFraction(), s, s + len, audio.length, cfg.sampleRate());
            if (split == null) continue;   // straddles a train and an eval block: dropped, nothing shared
            DdspExample ex = new DdspExample(Windows.slice(padded, s, len), Windows.slice(f.f0Hz(), s / hop, frames),
                    Windows.slice(f.f0Confidence(), s / hop, frames), Windows.slice(f.loudnessDb(), s / hop, frames));
            stats.addExample(ex, split);
            (Splits.EVAL.equals(split) ? eval : train).add(ex.toBytes());
        }
        stats.addFile(audio.length, !train.isEmpty(), !eval.isEmpty());
        return new Result(train, eval, stats, audio.length, false);
    }

    private static Result skipped(PrepareConfig cfg, InputFile file, String reason) {
        PrepareStats stats = new PrepareStats(cfg.confidenceThreshold());
        stats.addSkipped(file.path(), reason);
        return new Result(List.of(), List.of(), stats, 0, true);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
