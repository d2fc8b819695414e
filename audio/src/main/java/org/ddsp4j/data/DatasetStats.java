package org.ddsp4j.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.io.Json;

/**
 * Pitch and loudness statistics of a training set, and the one format of {@code stats.json}:
 * {@code ./ddsp prepare} writes it into a dataset folder, the trainer into a model folder (from the
 * examples it trains on), and timbre transfer reads the model's to move a source toward the training
 * distribution (magenta/ddsp's {@code compute_dataset_statistics}).
 *
 * <p>A frame is <i>pitched</i> when its f0 confidence is at least {@code confidenceThreshold} and its
 * f0 is above 0. Frames are counted per example, as the trainer sees them (overlapping examples count
 * a frame again). Distributions are accumulated in 0.1-unit histograms ({@link Accumulator}), so
 * quantiles are within 0.1 semitone / 0.1 dB; counts, means and standard deviations are exact.
 *
 * <p>Format {@value #FORMAT}, a JSON object:
 * <pre>
 * format                 "ddsp4j-dataset-statistics/2"
 * sample_rate            Hz of the examples the statistics were taken on
 * frame_rate             frames per second of their features
 * confidence_threshold   f0 confidence at or above which a frame counts as pitched
 * frames                 frames counted
 * pitch_midi             distribution of f0 (MIDI) over pitched frames
 * loudness_db            distribution of loudness (dB) over all frames
 * pitched_loudness_db    distribution of loudness (dB) over pitched frames (what transfer matches)
 * preparation            only from ./ddsp prepare: example layout, files read and skipped, splits
 * </pre>
 * A distribution is {@code {frames, mean, std, min, max, quantiles_percent [0, 5, .., 100], quantiles,
 * histogram {start, bin_width, counts}}}; an empty one has {@code frames: 0} and nulls.
 *
 * <p>Older files are read as well: format {@value #FORMAT_V1} (prepare before pitched loudness was
 * recorded: {@link #pitchedLoudnessDb()} comes back empty, so {@link #meanLoudnessDb()} is NaN and
 * transfer matches no loudness), and the trainer's earlier
 * {@code {mean_pitch_midi, mean_loudness_db, std_loudness_db, frames}} (rates unknown: 0; only the
 * moments). Anything else is an {@link IllegalArgumentException} naming the file.
 *
 * @param sampleRate          Hz; 0 when unknown (older model files)
 * @param frameRate           frames per second; 0 when unknown
 * @param confidenceThreshold f0 confidence at or above which a frame is pitched
 * @param frames              frames counted; 0 when unknown
 * @param pitchMidi           f0 in MIDI over pitched frames
 * @param loudnessDb          loudness over all frames (empty when unknown)
 * @param pitchedLoudnessDb   loudness over pitched frames (empty when unknown)
 * @param preparation         what {@code ./ddsp prepare} did, or null for statistics from elsewhere
 */
public record DatasetStats(int sampleRate, int frameRate, double confidenceThreshold, long frames,
                           Distribution pitchMidi, Distribution loudnessDb, Distribution pitchedLoudnessDb,
                           Preparation preparation) {
    public static final String FORMAT = "ddsp4j-dataset-statistics/2";
    public static final String FORMAT_V1 = "ddsp4j-dataset-statistics/1";
    /** The name of the file in a dataset folder and in a model folder. */
    public static final String FILE = "stats.json";
    /** The default confidence threshold (magenta's); transfer uses it for the source's pitched frames. */
    public static final float CONFIDENCE = 0.5f;
    /** Percentages of the stored quantiles: 0, 5, ..., 100. */
    public static final List<Integer> QUANTILE_PERCENTS = IntStream.rangeClosed(0, 20).map(i -> 5 * i).boxed().toList();

    public DatasetStats {
        if (sampleRate < 0 || frameRate < 0) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " and frame rate " + frameRate + " must be >= 0 (0: unknown)");
        }
        if (pitchMidi == null || loudnessDb == null || pitchedLoudnessDb == null) {
            throw new IllegalArgumentException("distributions must not be null (use Distribution.EMPTY)");
        }
    }

    /** Mean f0 (MIDI) over pitched frames; NaN when there were none. */
    public double meanPitchMidi() {
        return pitchMidi.mean();
    }

    /** Mean loudness (dB) over pitched frames; NaN when there were none or the file did not record it. */
    public double meanLoudnessDb() {
        return pitchedLoudnessDb.mean();
    }

    /** Standard deviation of the loudness (dB) over pitched frames. */
    public double stdLoudnessDb() {
        return pitchedLoudnessDb.std();
    }


    // ------------------------------------------------------------------------------- parts

    /**
     * A distribution: count, exact moments and extremes, quantiles at {@link #QUANTILE_PERCENTS}
     * (empty when unknown) and a coarse histogram (bins {@code [start + i * binWidth, start + (i+1) * binWidth)};
     * the first and last also hold what fell below or above).
     */
    public record Distribution(long count, double mean, double std, double min, double max, List<Double> quantiles,
                               double histogramStart, double histogramBinWidth, List<Long> histogram) {
        public static final Distribution EMPTY = moments(0, Double.NaN, Double.NaN);

        public Distribution {
            quantiles = List.copyOf(quantiles);
            histogram = List.copyOf(histogram);
            if (!quantiles.isEmpty() && quantiles.size() != QUANTILE_PERCENTS.size()) {
                throw new IllegalArgumentException(quantiles.size() + " quantiles, expected " + QUANTILE_PERCENTS.size() + " (0, 5, ..., 100 %)");
            }
        }

        /** Only the count and the first two moments (older files). */
        public static Distribution moments(long count, double mean, double std) {
            return new Distribution(count, mean, std, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, List.of());
        }

        /** From a histogram; quantiles rounded to 1e-4 (they are only good to a bin), histogram {@code coarse} bins to one. */
        public static Distribution of(Histogram h, int coarse) {
            if (h.count() == 0) return EMPTY;
            List<Double> q = new ArrayList<>();
            for (int p : QUANTILE_PERCENTS) q.add(Math.rint(h.quantile(p / 100.0) * 1e4) / 1e4);
            List<Long> c = new ArrayList<>();
            for (long v : h.coarse(coarse)) c.add(v);
            return new Distribution(h.count(), h.mean(), h.std(), h.min(), h.max(), q, h.lo(), h.width() * coarse, c);
        }
    }

    /** One split of a prepared dataset. */
    public record Split(long files, long examples, double exampleSecondsTotal) {}

    /** A file that was not used, and why. */
    public record Skipped(String file, String reason) {}

    /**
     * What {@code ./ddsp prepare} did.
     *
     * @param exampleSeconds length of an example, s
     * @param hopSeconds     hop between the examples of a file, s
     * @param exampleSamples samples per example
     * @param exampleFrames  frames per example
     * @param evalFraction   fraction of files put in the eval split
     * @param filesRead      files used
     * @param audioSeconds   audio in those files, s
     * @param train          the train split
     * @param eval           the eval split
     * @param skipped        files not used, sorted by path
     */
    public record Preparation(double exampleSeconds, double hopSeconds, int exampleSamples, int exampleFrames,
                              double evalFraction, long filesRead, double audioSeconds, Split train, Split eval,
                              List<Skipped> skipped) {
        public Preparation {
            skipped = skipped.stream().sorted(Comparator.comparing(Skipped::file)).toList();
        }

        /** {@link DdspDataset#TRAIN} or {@link DdspDataset#EVAL}. */
        public Split split(String name) {
            return switch (name) {
                case DdspDataset.TRAIN -> train;
                case DdspDataset.EVAL -> eval;
                default -> throw new IllegalArgumentException("no split '" + name + "' (train, eval)");
            };
        }
    }

    // ------------------------------------------------------------------------------- accumulate

    /**
     * Accumulates frames into the statistics; mergeable (prepare combines one per file). Not
     * thread-safe. {@link #writeTo} / {@link #readFrom} are its exact binary form (Beam's coder).
     */
    public static final class Accumulator {
        private final double confidenceThreshold;
        private long frames;
        private final Histogram pitch;
        private final Histogram loudness;
        private final Histogram pitchedLoudness;

        public Accumulator(double confidenceThreshold) {
            this(confidenceThreshold, 0, new Histogram(0, 0.1, 1400), new Histogram(-160, 0.1, 2000), new Histogram(-160, 0.1, 2000));
        }

        private Accumulator(double confidenceThreshold, long frames, Histogram pitch, Histogram loudness, Histogram pitchedLoudness) {
            if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
                throw new IllegalArgumentException("confidence threshold " + confidenceThreshold + " must be in [0, 1]");
            }
            this.confidenceThreshold = confidenceThreshold;
            this.frames = frames;
            this.pitch = pitch;
            this.loudness = loudness;
            this.pitchedLoudness = pitchedLoudness;
        }

        /** Adds the frames of one example: f0 (Hz), f0 confidence and loudness (dB), {@code [F]} each. */
        public Accumulator add(float[] f0Hz, float[] f0Confidence, float[] loudnessDb) {
            if (f0Confidence.length != f0Hz.length || loudnessDb.length != f0Hz.length) {
                throw new IllegalArgumentException("f0 " + f0Hz.length + ", confidence " + f0Confidence.length + " and loudness "
                        + loudnessDb.length + " frames must agree");
            }
            frames += f0Hz.length;
            for (int i = 0; i < f0Hz.length; i++) {
                loudness.add(loudnessDb[i]);
                if (f0Confidence[i] >= confidenceThreshold && f0Hz[i] > 0) {
                    pitch.add(org.ddsp4j.dsp.Conversions.hzToMidi((double) f0Hz[i]));
                    pitchedLoudness.add(loudnessDb[i]);
                }
            }
            return this;
        }

        public Accumulator merge(Accumulator o) {
            if (o.confidenceThreshold != confidenceThreshold) {
                throw new IllegalArgumentException("cannot merge statistics at confidence thresholds " + confidenceThreshold + " and " + o.confidenceThreshold);
            }
            frames += o.frames;
            pitch.merge(o.pitch);
            loudness.merge(o.loudness);
            pitchedLoudness.merge(o.pitchedLoudness);
            return this;
        }

        public long frames() {
            return frames;
        }

        public long pitchedFrames() {
            return pitch.count();
        }

        /** The statistics of what was added, taken at {@code sampleRate} / {@code frameRate}; {@code preparation} may be null. */
        public DatasetStats toStats(int sampleRate, int frameRate, Preparation preparation) {
            return new DatasetStats(sampleRate, frameRate, confidenceThreshold, frames, Distribution.of(pitch, 10),
                    Distribution.of(loudness, 10), Distribution.of(pitchedLoudness, 10), preparation);
        }

        public void writeTo(DataOutput out) throws IOException {
            out.writeDouble(confidenceThreshold);
            out.writeLong(frames);
            pitch.writeTo(out);
            loudness.writeTo(out);
            pitchedLoudness.writeTo(out);
        }

        public static Accumulator readFrom(DataInput in) throws IOException {
            double threshold = in.readDouble();
            long frames = in.readLong();
            return new Accumulator(threshold, frames, Histogram.readFrom(in), Histogram.readFrom(in), Histogram.readFrom(in));
        }
    }

    // ------------------------------------------------------------------------------- write

    /** Writes {@link #toJson()} to {@code file} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    /** The statistics in format {@value #FORMAT}. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("sample_rate", sampleRate);
        m.put("frame_rate", frameRate);
        m.put("confidence_threshold", confidenceThreshold);
        m.put("frames", frames);
        m.put("pitch_midi", distributionJson(pitchMidi));
        m.put("loudness_db", distributionJson(loudnessDb));
        m.put("pitched_loudness_db", distributionJson(pitchedLoudnessDb));
        if (preparation != null) {
            Preparation p = preparation;
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("example_seconds", p.exampleSeconds());
            j.put("hop_seconds", p.hopSeconds());
            j.put("example_samples", p.exampleSamples());
            j.put("example_frames", p.exampleFrames());
            j.put("eval_fraction", p.evalFraction());
            j.put("files", ordered("read", p.filesRead(), "skipped", p.skipped().size(), "audio_seconds", p.audioSeconds()));
            j.put("splits", ordered(DdspDataset.TRAIN, splitJson(p.train()), DdspDataset.EVAL, splitJson(p.eval())));
            j.put("skipped", p.skipped().stream().map(s -> ordered("file", s.file(), "reason", s.reason())).toList());
            m.put("preparation", j);
        }
        return Json.write(m, true) + "\n";
    }

    private static Map<String, Object> distributionJson(Distribution d) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("frames", d.count());
        j.put("mean", finite(d.mean()));
        j.put("std", finite(d.std()));
        j.put("min", finite(d.min()));
        j.put("max", finite(d.max()));
        if (!d.quantiles().isEmpty()) {
            j.put("quantiles_percent", QUANTILE_PERCENTS);
            j.put("quantiles", d.quantiles());
        }
        if (!d.histogram().isEmpty()) {
            j.put("histogram", ordered("start", d.histogramStart(), "bin_width", d.histogramBinWidth(), "counts", d.histogram()));
        }
        return j;
    }

    private static Map<String, Object> splitJson(Split s) {
        return ordered("files", s.files(), "examples", s.examples(), "example_seconds_total", s.exampleSecondsTotal());
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** JSON has no NaN: unknown values are written as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // ------------------------------------------------------------------------------- read

    /** Reads {@code file} (format /2, /1 or the trainer's older moments); errors name the file. */
    public static DatasetStats read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no dataset statistics (" + FILE + ")");
        }
        return parse(text, file.toString());
    }

    /** Parses a {@code stats.json}; {@code source} names it in errors. */
    public static DatasetStats parse(String json, String source) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a dataset statistics file: " + e.getMessage(), e);
        }
        Reader r = new Reader(source);
        Object format = m.get("format");
        if (format == null && m.containsKey("mean_pitch_midi")) {
            long n = r.count(m, "frames");
            return new DatasetStats(0, 0, CONFIDENCE, 0, Distribution.moments(n, r.num(m, "mean_pitch_midi"), Double.NaN),
                    Distribution.EMPTY, Distribution.moments(n, r.num(m, "mean_loudness_db"), r.num(m, "std_loudness_db")), null);
        }
        if (FORMAT.equals(format)) {
            Object p = m.get("preparation");
            return new DatasetStats(r.rate(m, "sample_rate"), r.rate(m, "frame_rate"), r.num(m, "confidence_threshold"),
                    r.count(m, "frames"), r.distribution(m, "pitch_midi", "frames"), r.distribution(m, "loudness_db", "frames"),
                    r.distribution(m, "pitched_loudness_db", "frames"), p == null ? null : r.preparation(r.object(m, "preparation")));
        }
        if (FORMAT_V1.equals(format)) {
            return new DatasetStats(r.rate(m, "sample_rate"), r.rate(m, "frame_rate"), r.num(m, "confidence_threshold"),
                    r.count(m, "frames"), r.distribution(m, "pitch_midi", "confident_frames"), r.distribution(m, "loudness_db", "frames"),
                    Distribution.EMPTY, r.preparation(m));
        }
        throw new IllegalArgumentException(source + ": format " + (format == null ? "missing" : "'" + format + "'")
                + "; this ddsp4j reads " + FORMAT + ", " + FORMAT_V1 + " and the older {mean_pitch_midi, mean_loudness_db, ...}"
                + " (a file from a newer ddsp4j? then update ddsp4j, or run ./ddsp prepare / train again)");
    }

    /** Typed access to the parsed map, with errors naming the file and the field. */
    private record Reader(String source) {
        private IllegalArgumentException error(String key, String what) {
            return new IllegalArgumentException(source + ": '" + key + "' " + what);
        }

        /** A number; null (how NaN is written) is NaN. */
        double num(Map<String, Object> m, String key) {
            if (!m.containsKey(key)) throw error(key, "is missing");
            Object v = m.get(key);
            if (v == null) return Double.NaN;
            if (!(v instanceof Number n)) throw error(key, "is not a number: " + v);
            return n.doubleValue();
        }

        long count(Map<String, Object> m, String key) {
            double v = num(m, key);
            if (!(v >= 0) || v != Math.rint(v)) throw error(key, "is not a count: " + v);
            return (long) v;
        }

        int rate(Map<String, Object> m, String key) {
            long v = count(m, key);
            if (v > Integer.MAX_VALUE) throw error(key, "is too large: " + v);
            return (int) v;
        }

        String str(Map<String, Object> m, String key) {
            if (!(m.get(key) instanceof String s)) throw error(key, "is missing or not a string");
            return s;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Map<String, Object> m, String key) {
            if (!(m.get(key) instanceof Map<?, ?> o)) throw error(key, "is missing or not an object");
            return (Map<String, Object>) o;
        }

        List<?> list(Map<String, Object> m, String key) {
            if (!(m.get(key) instanceof List<?> l)) throw error(key, "is missing or not an array");
            return l;
        }

        Distribution distribution(Map<String, Object> parent, String key, String countKey) {
            Map<String, Object> d = object(parent, key);
            long n = count(d, countKey);
            List<Double> q = List.of();
            if (d.containsKey("quantiles")) {
                q = new ArrayList<>();
                for (Object o : list(d, "quantiles")) q.add(o instanceof Number x ? x.doubleValue() : Double.NaN);
            }
            double start = Double.NaN, width = Double.NaN;
            List<Long> counts = List.of();
            if (d.containsKey("histogram")) {
                Map<String, Object> h = object(d, "histogram");
                start = num(h, "start");
                width = num(h, "bin_width");
                counts = new ArrayList<>();
                for (Object o : list(h, "counts")) {
                    if (!(o instanceof Number x) || x.doubleValue() < 0) throw error(key + ".histogram.counts", "holds " + o);
                    counts.add(x.longValue());
                }
            }
            try {
                return new Distribution(n, num(d, "mean"), num(d, "std"), num(d, "min"), num(d, "max"), q, start, width, counts);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }

        Split split(Map<String, Object> splits, String name) {
            Map<String, Object> s = object(splits, name);
            return new Split(count(s, "files"), count(s, "examples"), num(s, "example_seconds_total"));
        }

        Preparation preparation(Map<String, Object> p) {
            Map<String, Object> files = object(p, "files"), splits = object(p, "splits");
            List<Skipped> skipped = new ArrayList<>();
            for (Object o : list(p, "skipped")) {
                if (!(o instanceof Map<?, ?>)) throw error("skipped", "holds " + o);
                @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) o;
                skipped.add(new Skipped(str(s, "file"), str(s, "reason")));
            }
            return new Preparation(num(p, "example_seconds"), num(p, "hop_seconds"), rate(p, "example_samples"),
                    rate(p, "example_frames"), num(p, "eval_fraction"), count(files, "read"), num(files, "audio_seconds"),
                    split(splits, DdspDataset.TRAIN), split(splits, DdspDataset.EVAL), skipped);
        }
    }
}
