package org.ddsp4j.prepare;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.ddsp4j.prepare.InputFiles.InputFile;

/**
 * Beam's step for one audio file ({@link FileExamples}): examples go to {@link #TRAIN} or {@link #EVAL};
 * every file also emits one partial {@link PrepareStats} on {@link #STATS}, which carries the reason
 * when the file is skipped (unreadable, too short, feature failure).
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
        FileExamples.Result r = FileExamples.process(cfg, loader, extractor, file);
        for (byte[] ex : r.train()) out.get(TRAIN).output(ex);
        for (byte[] ex : r.eval()) out.get(EVAL).output(ex);
        if (r.skipped()) {
            filesSkipped.inc();
        } else {
            filesRead.inc();
            samplesRead.inc(r.samples());
            trainExamples.inc(r.train().size());
            evalExamples.inc(r.eval().size());
        }
        out.get(STATS).output(r.stats());
        Progress.counters(runId).fileDone(file.bytes(), r.samples(), r.train().size() + r.eval().size(), r.skipped());
    }
}
