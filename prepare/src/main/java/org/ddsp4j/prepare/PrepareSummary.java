package org.ddsp4j.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a preparation run did.
 *
 * @param stats       the merged statistics (also written to {@code stats.json})
 * @param wallSeconds wall-clock time of the pipeline run
 * @param output      the output folder
 */
public record PrepareSummary(DatasetStats stats, double wallSeconds, Path output, int sampleRate) {
    public double audioMinutes() {
        return stats.samplesRead() / (double) sampleRate / 60;
    }

    /** Minutes of audio prepared per minute of wall time. */
    public double throughput() {
        return wallSeconds > 0 ? audioMinutes() / (wallSeconds / 60) : 0;
    }

    /** A human-readable report. */
    public String report() {
        StringBuilder b = new StringBuilder();
        List<DatasetStats.Skipped> sk = stats.skipped();
        b.append(String.format(Locale.ROOT, "files read: %d, skipped: %d%n", stats.filesRead(), sk.size()));
        for (DatasetStats.Skipped s : sk) b.append("  skipped ").append(s.file()).append(": ").append(s.reason()).append('\n');
        b.append(String.format(Locale.ROOT, "examples: train %d (%d files), eval %d (%d files)%n",
                stats.examples(Splits.TRAIN), stats.files(Splits.TRAIN), stats.examples(Splits.EVAL), stats.files(Splits.EVAL)));
        b.append(String.format(Locale.ROOT, "audio: %.2f min in %.1f s: %.1f min of audio per minute%n",
                audioMinutes(), wallSeconds, throughput()));
        Histogram p = stats.pitch();
        if (p.count() > 0) {
            b.append(String.format(Locale.ROOT, "pitch (confident frames): mean MIDI %.2f, std %.2f; loudness mean %.1f dB%n",
                    p.mean(), p.std(), stats.loudness().mean()));
        }
        b.append("output: ").append(output).append(" (train.tfrecord-*, eval.tfrecord-*, stats.json)\n");
        return b.toString();
    }
}
