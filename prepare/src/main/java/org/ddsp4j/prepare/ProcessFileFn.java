package org.ddsp4j.prepare;

import java.nio.file.Path;
import org.ddsp4j.features.AudioFeatures;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.prepare.InputFiles.InputFile;

/**
 * One audio file in, serialized examples out: read + mono + resample, pad if short, features on the
 * whole file, cut into examples (see {@link Windows}). Examples go to {@link #TRAIN} or {@link #EVAL}
 * by {@link Splits}; every file also emits one partial {@link PrepareStats} on {@link #STATS}, which
 * carries the reason when the file is skipped (unreadable, too short, feature failure).
 */
final class ProcessFileFn extends DoFn<InputFile, byte[]> {
    static final TupleTag<byte[]> TRAIN = new TupleTag<>() {};
    static final TupleTag<byte[]> EVAL = new TupleTag<>() {};
    static final TupleTag<PrepareStats> STATS = new TupleTag<>() {};

    static final String NAMESPACE = "ddsp4j-prepare";
    private final Counter filesRead = Metrics.counter(NAMESPACE, "files-read");
    private final Counter filesSkipped = Metrics.counter(NAMESPACE, "files-skipped");
    private final Counter trainExamples = Metrics.counter(NAMESPACE, "examples-train");
    private final Counter evalExamples = Metrics.counter(NAMESPACE, "examples-eval");
    private final Counter samplesRead = Metrics.counter(NAMESPACE, "samples-read");

    private final PrepareConfig cfg;
    private final AudioLoader loader;
    private final FeatureExtractor extractor;
    private final String runId;

    ProcessFileFn(PrepareConfig cfg, AudioLoader loader, FeatureExtractor extractor, String runId) {
        this.cfg = cfg;
        this.loader = loader;
        this.extractor = extractor;
        this.runId = runId;
    }

    @ProcessElement
    public void process(@Element InputFile file, MultiOutputReceiver out) {
        PrepareStats stats = new PrepareStats(cfg.confidenceThreshold());
        long samples = 0, trainN = 0, evalN = 0;
        String skipReason = null;
        float[] audio;
        try {
            audio = loader.readMono(Path.of(file.path()), cfg.sampleRate());
        } catch (Exception e) {
            audio = null;
            skipReason = "unreadable: " + describe(e);
        }
        if (audio != null && audio.length < cfg.minSamples()) {
            skipReason = String.format(java.util.Locale.ROOT, "too short: %.3f s < --min-seconds %s",
                    audio.length / (double) cfg.sampleRate(), PrepareStats.num(cfg.minSeconds()));
        }
        if (skipReason == null) {
            try {
                samples = audio.length;
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
                // Build every example before emitting any, so a failure mid-file emits nothing.
                java.util.List<byte[]> encoded = new java.util.ArrayList<>(n);
                java.util.List<TupleTag<byte[]>> tags = new java.util.ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int s = i * stride;
                    String split = Splits.ofExample(file.relativePath(), cfg.evalFraction(), s, s + len, audio.length, cfg.sampleRate());
                    if (split == null) continue;   // straddles a train and an eval block: dropped, nothing shared
                    DdspExample ex = new DdspExample(Windows.slice(padded, s, len), Windows.slice(f.f0Hz(), s / hop, frames),
                            Windows.slice(f.f0Confidence(), s / hop, frames), Windows.slice(f.loudnessDb(), s / hop, frames));
                    encoded.add(ex.toBytes());
                    stats.addExample(ex, split);
                    boolean eval = Splits.EVAL.equals(split);
                    tags.add(eval ? EVAL : TRAIN);
                    if (eval) evalN++;
                    else trainN++;
                }
                for (int i = 0; i < encoded.size(); i++) out.get(tags.get(i)).output(encoded.get(i));
                stats.addFile(samples, trainN > 0, evalN > 0);
            } catch (RuntimeException e) {
                // A bug or numerical failure on one file should not lose the whole run; report it.
                skipReason = "feature extraction failed: " + describe(e);
                stats = new PrepareStats(cfg.confidenceThreshold());
                samples = 0;
                trainN = 0;
                evalN = 0;
            }
        }
        if (skipReason != null) {
            stats.addSkipped(file.path(), skipReason);
            filesSkipped.inc();
        } else {
            filesRead.inc();
            samplesRead.inc(samples);
            trainExamples.inc(trainN);
            evalExamples.inc(evalN);
        }
        out.get(STATS).output(stats);
        Progress.counters(runId).fileDone(file.bytes(), samples, trainN + evalN, skipReason != null);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
