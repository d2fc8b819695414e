package org.ddsp4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Line plot of one or more series (loss curves, f0 and loudness over time). Ranges are fitted to
 * the data unless fixed; the y axis can be logarithmic (all y values must then be positive).
 * A legend is drawn when any series has a non-empty label.
 *
 * <pre>
 *   LinePlot.builder().title("loss").xLabel("step").yLabel("loss").logY()
 *           .series("train", steps, train).series("eval", steps, eval).build()
 * </pre>
 */
public final class LinePlot implements Panel {
    /** Tableau-10 colours, one per series in order. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private record Series(String label, float[] x, float[] y) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series;
    private final Axis xAxis, yAxis;

    private LinePlot(Builder b) {
        if (b.series.isEmpty()) throw new IllegalArgumentException("line plot '" + b.title + "' has no series; add one with series(...)");
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.series = List.copyOf(b.series);
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY, ylo = xlo, yhi = xhi;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                xlo = Math.min(xlo, s.x[i]);
                xhi = Math.max(xhi, s.x[i]);
                if (b.logY && !(s.y[i] > 0)) {
                    throw new IllegalArgumentException("log-y plot '" + title + "': series '" + s.label + "' has y[" + i + "] = " + s.y[i]
                            + " <= 0; floor the values or use a linear axis");
                }
                ylo = Math.min(ylo, s.y[i]);
                yhi = Math.max(yhi, s.y[i]);
            }
        }
        this.xAxis = b.xRange != null ? new Axis(b.xRange[0], b.xRange[1], false)
                : xhi > xlo ? new Axis(xlo, xhi, false) : Axis.covering(xlo, xhi, false);
        this.yAxis = b.yRange != null ? new Axis(b.yRange[0], b.yRange[1], b.logY) : Axis.covering(ylo, yhi, b.logY);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Rectangle plotArea(Rectangle area) {
        return Axes.plotArea(area, 0);
    }

    @Override
    public void draw(Graphics2D g, Rectangle area) {
        Rectangle plot = plotArea(area);
        Axes.grid(g, plot, xAxis, yAxis);
        Shape clip = g.getClip();
        g.clipRect(plot.x, plot.y, plot.width + 1, plot.height + 1);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            if (s.x.length == 1) {
                int x = Axes.px(plot, xAxis, s.x[0]), y = Axes.py(plot, yAxis, s.y[0]);
                g.fillOval(x - 3, y - 3, 7, 7);
                continue;
            }
            Path2D.Double path = new Path2D.Double();
            path.moveTo(fx(plot, s.x[0]), fy(plot, s.y[0]));
            for (int i = 1; i < s.x.length; i++) path.lineTo(fx(plot, s.x[i]), fy(plot, s.y[i]));
            g.draw(path);
        }
        g.setClip(clip);
        Axes.frame(g, area, plot, xAxis, yAxis, title, xLabel, yLabel);
        legend(g, plot);
    }

    private double fx(Rectangle plot, double v) {
        return plot.x + xAxis.fraction(v) * plot.width;
    }

    private double fy(Rectangle plot, double v) {
        return plot.y + plot.height - yAxis.fraction(v) * plot.height;
    }

    private void legend(Graphics2D g, Rectangle plot) {
        if (series.stream().allMatch(s -> s.label.isEmpty())) return;
        g.setFont(Axes.TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int w = 0;
        for (Series s : series) w = Math.max(w, fm.stringWidth(s.label));
        int line = fm.getHeight(), boxW = w + 34, boxH = line * series.size() + 6;
        int x0 = plot.x + plot.width - boxW - 6, y0 = plot.y + 6;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(x0, y0, boxW, boxH);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(x0, y0, boxW, boxH);
        for (int k = 0; k < series.size(); k++) {
            int y = y0 + 3 + line * k + line / 2;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(x0 + 6, y, x0 + 24, y);
            g.setColor(Axes.INK);
            g.drawString(series.get(k).label, x0 + 28, y + fm.getAscent() / 2 - 1);
        }
    }

    /** Collects series and options; {@link #build} validates them. */
    public static final class Builder {
        private String title = "", xLabel = "", yLabel = "";
        private final List<Series> series = new ArrayList<>();
        private double[] xRange, yRange;
        private boolean logY;

        private Builder() {}

        public Builder title(String title) {
            this.title = Axes.nonNull(title, "title");
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = Axes.nonNull(label, "x label");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Axes.nonNull(label, "y label");
            return this;
        }

        /** Fixes the x range (default: the data's range). */
        public Builder xRange(double min, double max) {
            new Axis(min, max, false);
            this.xRange = new double[] {min, max};
            return this;
        }

        /** Fixes the y range (default: the data's range plus a small margin). */
        public Builder yRange(double min, double max) {
            this.yRange = new double[] {min, max};
            return this;
        }

        /** Logarithmic (base 10) y axis; all y values must be positive. */
        public Builder logY() {
            this.logY = true;
            return this;
        }

        /** Adds a series of points {@code (x[i], y[i])}, drawn in order; both {@code [n]}, finite, n >= 1. */
        public Builder series(String label, float[] x, float[] y) {
            String name = Axes.nonNull(label, "series label");
            if (x == null || y == null) throw new IllegalArgumentException("series '" + name + "': x and y must not be null");
            if (x.length != y.length) throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " points, y " + y.length);
            if (x.length == 0) throw new IllegalArgumentException("series '" + name + "' is empty; plot at least one point");
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) {
                    throw new IllegalArgumentException("series '" + name + "': point " + i + " is not finite (x " + x[i] + ", y " + y[i]
                            + "); drop or replace non-finite values before plotting");
                }
            }
            series.add(new Series(name, x.clone(), y.clone()));
            return this;
        }

        /** Adds a series with {@code x = 0, 1, 2, ...}. */
        public Builder series(String label, float[] y) {
            if (y == null) throw new IllegalArgumentException("series '" + label + "': y must not be null");
            float[] x = new float[y.length];
            for (int i = 0; i < x.length; i++) x[i] = i;
            return series(label, x, y);
        }

        public LinePlot build() {
            if (yRange != null) new Axis(yRange[0], yRange[1], logY);
            return new LinePlot(this);
        }
    }
}
