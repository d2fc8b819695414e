package org.ddsp4j.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A fixed-bin histogram with exact count, mean, variance, min and max, and quantiles interpolated
 * within bins (error at most one bin width). Values outside the range land in the edge bins (min and
 * max stay exact). Mergeable (Beam's combine in {@code ./ddsp prepare}); {@link #writeTo} /
 * {@link #readFrom} are its exact binary form.
 */
public final class Histogram {
    private final double lo;
    private final double width;
    private final long[] counts;
    private long n;
    private double sum;
    private double sumSq;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Bins {@code [lo + i * width, lo + (i + 1) * width)}, {@code i < bins}. */
    public Histogram(double lo, double width, int bins) {
        if (!(width > 0) || bins < 1) throw new IllegalArgumentException("width " + width + " and bins " + bins + " must be > 0");
        this.lo = lo;
        this.width = width;
        this.counts = new long[bins];
    }

    public void add(double v) {
        if (Double.isNaN(v)) return;
        int b = (int) Math.floor((v - lo) / width);
        counts[Math.clamp(b, 0, counts.length - 1)]++;
        n++;
        sum += v;
        sumSq += v * v;
        if (v < min) min = v;
        if (v > max) max = v;
    }

    public void merge(Histogram o) {
        if (o.counts.length != counts.length || o.lo != lo || o.width != width) {
            throw new IllegalArgumentException("histograms have different bins");
        }
        for (int i = 0; i < counts.length; i++) counts[i] += o.counts[i];
        n += o.n;
        sum += o.sum;
        sumSq += o.sumSq;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
    }

    public long count() {
        return n;
    }

    public double mean() {
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Population standard deviation. */
    public double std() {
        if (n == 0) return Double.NaN;
        double m = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - m * m));
    }

    public double min() {
        return n == 0 ? Double.NaN : min;
    }

    public double max() {
        return n == 0 ? Double.NaN : max;
    }

    /**
     * The {@code q}-quantile, q in [0, 1]: rank {@code q * (n - 1)} located by cumulative counts and
     * interpolated uniformly within its bin; q = 0 and q = 1 give the exact min and max.
     */
    public double quantile(double q) {
        if (n == 0) return Double.NaN;
        if (q <= 0) return min;
        if (q >= 1) return max;
        double rank = q * (n - 1);
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (rank < before + counts[i]) {
                double v = lo + width * (i + (rank - before + 0.5) / counts[i]);
                return Math.clamp(v, min, max);
            }
            before += counts[i];
        }
        return max;
    }

    /** Counts re-binned into bins {@code factor} times wider (for a compact JSON histogram). */
    public long[] coarse(int factor) {
        long[] c = new long[(counts.length + factor - 1) / factor];
        for (int i = 0; i < counts.length; i++) c[i / factor] += counts[i];
        return c;
    }

    public double lo() {
        return lo;
    }

    public double width() {
        return width;
    }

    /**
     * The exact state as bytes: bins ({@code lo}, {@code width}, bin count), the non-empty bins as
     * (index, count) pairs, then n, sum, sum of squares, min, max.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeDouble(lo);
        out.writeDouble(width);
        out.writeInt(counts.length);
        int nonEmpty = 0;
        for (long c : counts) if (c != 0) nonEmpty++;
        out.writeInt(nonEmpty);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                out.writeInt(i);
                out.writeLong(counts[i]);
            }
        }
        out.writeLong(n);
        out.writeDouble(sum);
        out.writeDouble(sumSq);
        out.writeDouble(min);
        out.writeDouble(max);
    }

    /** Reads what {@link #writeTo} wrote; a malformed state is an {@link IOException}. */
    public static Histogram readFrom(DataInput in) throws IOException {
        double lo = in.readDouble(), width = in.readDouble();
        int bins = in.readInt();
        if (!(width > 0) || bins < 1) throw new IOException("histogram: width " + width + " and bins " + bins + " must be > 0");
        Histogram h = new Histogram(lo, width, bins);
        int nonEmpty = in.readInt();
        if (nonEmpty < 0 || nonEmpty > bins) throw new IOException("histogram: " + nonEmpty + " non-empty bins of " + bins);
        for (int k = 0; k < nonEmpty; k++) {
            int i = in.readInt();
            if (i < 0 || i >= bins) throw new IOException("histogram: bin " + i + " outside [0, " + bins + ")");
            h.counts[i] = in.readLong();
        }
        h.n = in.readLong();
        h.sum = in.readDouble();
        h.sumSq = in.readDouble();
        h.min = in.readDouble();
        h.max = in.readDouble();
        return h;
    }
}
