package org.ddsp4j.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.data.DatasetStats;

/**
 * What a preparation run did.
 *
 * @param stats       the merged statistics, as read back from {@code stats.json}
 * @param wallSeconds wall-clock time of the pipeline run
 * @param output      the output folder
 */
public record PrepareSummary(DatasetStats stats, double wallSeconds, Path output) {
    public PrepareSummary {
        if (stats.preparation() == null) throw new IllegalArgumentException("statistics without the preparation section");
    }

    public double audioMinutes() {
        return stats.preparation().audioSeconds() / 60;
    }

    /** Minutes of audio prepared per minute of wall time. */
    public double throughput() {
        return wallSeconds > 0 ? audioMinutes() / (wallSeconds / 60) : 0;
    }

    /** Fewer eval examples than this are reported as too few to evaluate. */
    public static final int MIN_EVAL_EXAMPLES = 8;

    /** A human-readable report. */
    public String report() {
        StringBuilder b = new StringBuilder();
        DatasetStats.Preparation p = stats.preparation();
        List<DatasetStats.Skipped> sk = p.skipped();
        b.append(String.format(Locale.ROOT, "files read: %d, skipped: %d%n", p.filesRead(), sk.size()));
        for (DatasetStats.Skipped s : sk) b.append("  skipped ").append(s.file()).append(": ").append(s.reason()).append('\n');
        b.append(String.format(Locale.ROOT, "examples: train %d (%d files), eval %d (%d files)%n",
                p.train().examples(), p.train().files(), p.eval().examples(), p.eval().files()));
        if (p.evalFraction() > 0 && p.eval().examples() < MIN_EVAL_EXAMPLES) {
            b.append(String.format(Locale.ROOT, "warning: %s: %.1f min of audio in %.0f s blocks, --eval-fraction %s; the eval loss "
                    + "and ./ddsp eval need held-out audio: give more audio or a larger --eval-fraction%n",
                    p.eval().examples() == 0 ? "the eval split is empty" : "the eval split has only " + p.eval().examples() + " examples",
                    audioMinutes(), Splits.BLOCK_SECONDS, PrepareStats.num(p.evalFraction())));
        }
        b.append(String.format(Locale.ROOT, "audio: %.2f min in %.1f s: %.1f min of audio per minute%n",
                audioMinutes(), wallSeconds, throughput()));
        DatasetStats.Distribution pitch = stats.pitchMidi();
        if (pitch.count() > 0) {
            b.append(String.format(Locale.ROOT, "pitch (confident frames): mean MIDI %.2f, std %.2f; loudness mean %.1f dB"
                    + " (%.1f dB on confident frames)%n", pitch.mean(), pitch.std(), stats.loudnessDb().mean(), stats.meanLoudnessDb()));
        }
        b.append("output: ").append(output).append(" (train.tfrecord-*, eval.tfrecord-*, stats.json)\n");
        return b.toString();
    }
}
