package org.ddsp4j.prepare;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.data.DdspExample;

/**
 * Statistics of a prepared dataset, accumulated per file and merged (Beam combine): per-split file,
 * example and audio counts; the distribution of MIDI pitch over confident frames
 * ({@code f0_confidence >= threshold} and {@code f0_hz > 0}); the distribution of loudness over all
 * frames; and the skipped files with their reasons. Frames are counted per example, as the trainer
 * sees them (with 1 s hop and 4 s examples most frames appear in 4 examples), over both splits.
 * Quantiles come from 0.1-unit histograms (error at most 0.1 semitone / 0.1 dB).
 */
public final class DatasetStats implements Serializable {
    /** A file that was not used, and why. */
    public record Skipped(String file, String reason) implements Serializable {}

    private final double confidenceThreshold;
    private long filesRead;
    private long trainFiles, evalFiles;
    private long trainExamples, evalExamples;
    private long samplesRead;
    private long trainExampleSamples, evalExampleSamples;
    private final Histogram pitch = new Histogram(0, 0.1, 1400);          // MIDI 0 .. 140
    private final Histogram loudness = new Histogram(-160, 0.1, 2000);    // dB -160 .. 40
    private long frames;
    private final List<Skipped> skipped = new ArrayList<>();

    public DatasetStats(double confidenceThreshold) {
        this.confidenceThreshold = confidenceThreshold;
    }

    /** Records a file that was read: {@code nSamples} at the model rate, its split. */
    public void addFile(long nSamples, String split) {
        filesRead++;
        samplesRead += nSamples;
        if (Splits.EVAL.equals(split)) evalFiles++;
        else trainFiles++;
    }

    /** Records one example written to {@code split}. */
    public void addExample(DdspExample ex, String split) {
        if (Splits.EVAL.equals(split)) {
            evalExamples++;
            evalExampleSamples += ex.nSamples();
        } else {
            trainExamples++;
            trainExampleSamples += ex.nSamples();
        }
        float[] f0 = ex.f0Hz(), c = ex.f0Confidence(), l = ex.loudnessDb();
        frames += f0.length;
        for (int i = 0; i < f0.length; i++) {
            if (c[i] >= confidenceThreshold && f0[i] > 0) pitch.add(hzToMidi(f0[i]));
            loudness.add(l[i]);
        }
    }

    public void addSkipped(String file, String reason) {
        skipped.add(new Skipped(file, reason));
    }

    public DatasetStats merge(DatasetStats o) {
        filesRead += o.filesRead;
        trainFiles += o.trainFiles;
        evalFiles += o.evalFiles;
        trainExamples += o.trainExamples;
        evalExamples += o.evalExamples;
        samplesRead += o.samplesRead;
        trainExampleSamples += o.trainExampleSamples;
        evalExampleSamples += o.evalExampleSamples;
        frames += o.frames;
        pitch.merge(o.pitch);
        loudness.merge(o.loudness);
        skipped.addAll(o.skipped);
        return this;
    }

    static double hzToMidi(double hz) {
        return 69 + 12 * Math.log(hz / 440.0) / Math.log(2);
    }

    public long filesRead() {
        return filesRead;
    }

    public long examples(String split) {
        return Splits.EVAL.equals(split) ? evalExamples : trainExamples;
    }

    public long files(String split) {
        return Splits.EVAL.equals(split) ? evalFiles : trainFiles;
    }

    public long samplesRead() {
        return samplesRead;
    }

    public Histogram pitch() {
        return pitch;
    }

    public Histogram loudness() {
        return loudness;
    }

    /** Skipped files sorted by path. */
    public List<Skipped> skipped() {
        return skipped.stream().sorted(java.util.Comparator.comparing(Skipped::file)).toList();
    }

    /** The statistics as JSON (see {@code docs/results/prepare.md} for the fields). */
    public String toJson(PrepareConfig cfg) {
        StringBuilder j = new StringBuilder(8192);
        j.append("{\n");
        j.append("  \"format\": \"ddsp4j-dataset-statistics/1\",\n");
        j.append("  \"sample_rate\": ").append(cfg.sampleRate()).append(",\n");
        j.append("  \"frame_rate\": ").append(cfg.frameRate()).append(",\n");
        j.append("  \"example_seconds\": ").append(num(cfg.exampleSeconds())).append(",\n");
        j.append("  \"hop_seconds\": ").append(num(cfg.hopSeconds())).append(",\n");
        j.append("  \"example_samples\": ").append(cfg.exampleSamples()).append(",\n");
        j.append("  \"example_frames\": ").append(cfg.exampleFrames()).append(",\n");
        j.append("  \"eval_fraction\": ").append(num(cfg.evalFraction())).append(",\n");
        j.append("  \"confidence_threshold\": ").append(num(confidenceThreshold)).append(",\n");
        j.append("  \"files\": {\"read\": ").append(filesRead).append(", \"skipped\": ").append(skipped.size())
                .append(", \"audio_seconds\": ").append(num((double) samplesRead / cfg.sampleRate())).append("},\n");
        j.append("  \"splits\": {\n");
        j.append("    \"train\": {\"files\": ").append(trainFiles).append(", \"examples\": ").append(trainExamples)
                .append(", \"example_seconds_total\": ").append(num((double) trainExampleSamples / cfg.sampleRate())).append("},\n");
        j.append("    \"eval\": {\"files\": ").append(evalFiles).append(", \"examples\": ").append(evalExamples)
                .append(", \"example_seconds_total\": ").append(num((double) evalExampleSamples / cfg.sampleRate())).append("}\n");
        j.append("  },\n");
        j.append("  \"frames\": ").append(frames).append(",\n");
        j.append("  \"pitch_midi\": ");
        distribution(j, pitch, "confident_frames", 10);
        j.append(",\n  \"loudness_db\": ");
        distribution(j, loudness, "frames", 10);
        j.append(",\n  \"skipped\": [");
        List<Skipped> sk = skipped();
        for (int i = 0; i < sk.size(); i++) {
            j.append(i == 0 ? "\n" : ",\n").append("    {\"file\": ").append(str(sk.get(i).file()))
                    .append(", \"reason\": ").append(str(sk.get(i).reason())).append('}');
        }
        j.append(sk.isEmpty() ? "]\n" : "\n  ]\n");
        j.append("}\n");
        return j.toString();
    }

    private static void distribution(StringBuilder j, Histogram h, String countName, int coarse) {
        j.append("{\"").append(countName).append("\": ").append(h.count())
                .append(", \"mean\": ").append(num(h.mean())).append(", \"std\": ").append(num(h.std()))
                .append(", \"min\": ").append(num(h.min())).append(", \"max\": ").append(num(h.max())).append(",\n");
        j.append("    \"quantiles_percent\": [");
        for (int p = 0; p <= 100; p += 5) j.append(p == 0 ? "" : ", ").append(p);
        j.append("],\n    \"quantiles\": [");
        for (int p = 0; p <= 100; p += 5) j.append(p == 0 ? "" : ", ").append(num(h.quantile(p / 100.0)));
        j.append("],\n    \"histogram\": {\"start\": ").append(num(h.lo())).append(", \"bin_width\": ")
                .append(num(h.width() * coarse)).append(", \"counts\": [");
        long[] c = h.coarse(coarse);
        for (int i = 0; i < c.length; i++) j.append(i == 0 ? "" : ", ").append(c[i]);
        j.append("]}}");
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
