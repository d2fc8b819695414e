package org.ddsp4j.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A linear or base-10 logarithmic data range mapped to [0, 1], with tick positions and labels. */
final class Axis {
    final double min, max;
    final boolean log;

    Axis(double min, double max, boolean log) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("axis range must be finite with max > min, got [" + min + ", " + max + "]");
        }
        if (log && !(min > 0)) {
            throw new IllegalArgumentException("log axis needs a positive range, got [" + min + ", " + max + "]; floor the data first");
        }
        this.min = min;
        this.max = max;
        this.log = log;
    }

    /** An axis covering [lo, hi] of the data; widened when the data is constant, padded a little on log axes. */
    static Axis covering(double lo, double hi, boolean log) {
        if (log) {
            if (hi <= lo) return new Axis(lo / 2, hi * 2, true);
            return new Axis(lo, hi, true);
        }
        if (hi <= lo) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new Axis(lo - pad, hi + pad, false);
        }
        double pad = (hi - lo) * 0.04;
        return new Axis(lo - pad, hi + pad, false);
    }

    /** Position of {@code v} in [0, 1] (outside for values out of range). */
    double fraction(double v) {
        if (log) return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        return (v - min) / (max - min);
    }

    /** Tick values inside the range: decades on log axes spanning two or more, else 1-2-5 steps. */
    double[] ticks(int maxTicks) {
        List<Double> out = new ArrayList<>();
        if (log && Math.floor(Math.log10(max)) - Math.ceil(Math.log10(min)) >= 1) {
            int lo = (int) Math.ceil(Math.log10(min) - 1e-9), hi = (int) Math.floor(Math.log10(max) + 1e-9);
            int every = Math.max(1, (int) Math.ceil((hi - lo + 1) / (double) maxTicks));
            for (int e = lo; e <= hi; e += every) out.add(Math.pow(10, e));
        } else {
            double step = step(maxTicks);
            for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
                out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The 1, 2 or 5 times a power of ten that gives at most {@code maxTicks} ticks. */
    double step(int maxTicks) {
        double raw = (max - min) / Math.max(1, maxTicks - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * mag >= raw) return m * mag;
        return 10 * mag;
    }

    /** A short label for tick {@code v}. */
    String label(double v, int maxTicks) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (log && (a >= 1e5 || a < 1e-2)) return String.format(Locale.ROOT, "1e%d", Math.round(Math.log10(a)));
        if (a >= 1e6 || a < 1e-4) return String.format(Locale.ROOT, "%.0e", v);
        double step = log ? a : step(maxTicks);
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
