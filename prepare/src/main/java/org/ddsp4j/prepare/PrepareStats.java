package org.ddsp4j.prepare;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.CustomCoder;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.data.DatasetStats.Skipped;
import org.ddsp4j.data.DdspExample;

/**
 * The statistics of a preparation run while it is accumulated, per file, then merged (Beam combine):
 * per-split file, example and audio counts, the skipped files with their reasons, and the frame
 * statistics ({@link DatasetStats.Accumulator}) over both splits. {@link #toStats} gives the
 * {@link DatasetStats} written to {@code stats.json}; {@link StatsCoder} carries it between Beam
 * steps in a small binary form (no Java serialization).
 */
public final class PrepareStats {
    private final DatasetStats.Accumulator frames;
    private long filesRead;
    private long trainFiles, evalFiles;
    private long trainExamples, evalExamples;
    private long samplesRead;
    private long trainExampleSamples, evalExampleSamples;
    private final List<Skipped> skipped = new ArrayList<>();

    public PrepareStats(double confidenceThreshold) {
        this(new DatasetStats.Accumulator(confidenceThreshold));
    }

    private PrepareStats(DatasetStats.Accumulator frames) {
        this.frames = frames;
    }

    /**
     * Records a file that was read: {@code nSamples} at the model rate, and whether it gave examples to each
     * split (a long file can give to both: {@link Splits} assigns blocks).
     */
    public void addFile(long nSamples, boolean inTrain, boolean inEval) {
        filesRead++;
        samplesRead += nSamples;
        if (inEval) evalFiles++;
        if (inTrain) trainFiles++;
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
        frames.add(ex.f0Hz(), ex.f0Confidence(), ex.loudnessDb());
    }

    public void addSkipped(String file, String reason) {
        skipped.add(new Skipped(file, reason));
    }

    public PrepareStats merge(PrepareStats o) {
        frames.merge(o.frames);
        filesRead += o.filesRead;
        trainFiles += o.trainFiles;
        evalFiles += o.evalFiles;
        trainExamples += o.trainExamples;
        evalExamples += o.evalExamples;
        samplesRead += o.samplesRead;
        trainExampleSamples += o.trainExampleSamples;
        evalExampleSamples += o.evalExampleSamples;
        skipped.addAll(o.skipped);
        return this;
    }

    /** The statistics as written to {@code stats.json}. */
    public DatasetStats toStats(PrepareConfig cfg) {
        double sr = cfg.sampleRate();
        DatasetStats.Preparation p = new DatasetStats.Preparation(cfg.exampleSeconds(), cfg.hopSeconds(), cfg.exampleSamples(),
                cfg.exampleFrames(), cfg.evalFraction(), filesRead, samplesRead / sr,
                new DatasetStats.Split(trainFiles, trainExamples, trainExampleSamples / sr),
                new DatasetStats.Split(evalFiles, evalExamples, evalExampleSamples / sr),
                // In file order, whatever order the engine merged the parts in.
                skipped.stream().sorted(java.util.Comparator.comparing(Skipped::file)).toList());
        return frames.toStats(cfg.sampleRate(), cfg.frameRate(), p);
    }

    /** A number as the skip reasons print it: integral without a fraction, else up to 6 significant digits. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** The exact binary form of these statistics ({@link StatsCoder}), for engines other than Beam. */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            new StatsCoder().encode(this, b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Reads {@link #toBytes}. */
    public static PrepareStats fromBytes(byte[] bytes) throws IOException {
        return new StatsCoder().decode(new java.io.ByteArrayInputStream(bytes));
    }

    /** Beam coder: the counts, the frame accumulator's exact state and the skipped files, in a fixed binary layout. */
    static final class StatsCoder extends CustomCoder<PrepareStats> {
        private static final int VERSION = 1;

        @Override
        public void encode(PrepareStats s, OutputStream outStream) throws IOException {
            DataOutputStream out = new DataOutputStream(outStream);
            out.writeInt(VERSION);
            s.frames.writeTo(out);
            for (long v : new long[] {s.filesRead, s.trainFiles, s.evalFiles, s.trainExamples, s.evalExamples, s.samplesRead,
                    s.trainExampleSamples, s.evalExampleSamples}) {
                out.writeLong(v);
            }
            out.writeInt(s.skipped.size());
            for (Skipped k : s.skipped) {
                writeString(out, k.file());
                writeString(out, k.reason());
            }
            out.flush(); // not closed: Beam owns the stream
        }

        @Override
        public PrepareStats decode(InputStream inStream) throws IOException {
            DataInputStream in = new DataInputStream(inStream);
            int version = in.readInt();
            if (version != VERSION) throw new IOException("prepare statistics: encoding version " + version + ", expected " + VERSION);
            PrepareStats s = new PrepareStats(DatasetStats.Accumulator.readFrom(in));
            s.filesRead = in.readLong();
            s.trainFiles = in.readLong();
            s.evalFiles = in.readLong();
            s.trainExamples = in.readLong();
            s.evalExamples = in.readLong();
            s.samplesRead = in.readLong();
            s.trainExampleSamples = in.readLong();
            s.evalExampleSamples = in.readLong();
            int n = in.readInt();
            if (n < 0) throw new IOException("prepare statistics: " + n + " skipped files");
            for (int i = 0; i < n; i++) s.skipped.add(new Skipped(readString(in), readString(in)));
            return s;
        }

        /** Length-prefixed UTF-8 (DataOutput.writeUTF stops at 64 kB; an exception message may not). */
        private static void writeString(DataOutputStream out, String v) throws IOException {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private static String readString(DataInputStream in) throws IOException {
            int n = in.readInt();
            if (n < 0) throw new IOException("prepare statistics: string of length " + n);
            byte[] b = new byte[n];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
