package org.ddsp4j.plot;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * Image of a matrix through a {@link ColorMap} (spectrograms, harmonic distributions, noise
 * magnitudes over time), with a colour bar. Cell {@code (r, c)} covers x in
 * {@code [x0 + c*dx, x0 + (c+1)*dx]} and y in {@code [y0 + r*dy, y0 + (r+1)*dy]}: row 0 is at the
 * bottom. Each pixel shows the cell under its centre (no smoothing). Values outside the colour range
 * are clipped to its ends.
 */
public final class Heatmap implements Panel {
    private final float[] values;
    private final int rows, cols;
    private final String title, xLabel, yLabel, colorBarLabel;
    private final Axis xAxis, yAxis, colorAxis;
    private final ColorMap colorMap;

    private Heatmap(Builder b) {
        this.values = b.values;
        this.rows = b.rows;
        this.cols = b.cols;
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.colorBarLabel = b.colorBarLabel;
        this.colorMap = b.colorMap;
        this.xAxis = new Axis(b.x0, b.x1, false);
        this.yAxis = new Axis(b.y0, b.y1, false);
        double lo = b.cLo, hi = b.cHi;
        if (Double.isNaN(lo)) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (float v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi <= lo) hi = lo + 1;
        }
        this.colorAxis = new Axis(lo, hi, false);
    }

    /**
     * A heatmap of {@code values} {@code [rows, cols]} row-major, row {@code r} drawn at height
     * {@code r} from the bottom, column {@code c} at {@code c} from the left.
     */
    public static Builder builder(float[] values, int rows, int cols) {
        if (values == null) throw new IllegalArgumentException("heatmap values must not be null");
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("heatmap needs rows, cols >= 1, got " + rows + " x " + cols);
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("heatmap of " + rows + " x " + cols + " needs " + (long) rows * cols + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("heatmap value at row " + i / cols + ", col " + i % cols + " is " + values[i]
                        + "; floor or replace non-finite values (e.g. dB of 0) before plotting");
            }
        }
        return new Builder(values.clone(), rows, cols);
    }

    /**
     * A heatmap of a per-frame matrix {@code [frames, bins]} row-major (a spectrogram, harmonic
     * distribution or noise magnitudes): time (frames) runs along x, bins up the y axis.
     */
    public static Builder ofFrames(float[] values, int frames, int bins) {
        if (values == null) throw new IllegalArgumentException("heatmap values must not be null");
        if (frames <= 0 || bins <= 0 || (long) frames * bins != values.length) {
            throw new IllegalArgumentException("per-frame matrix of " + frames + " frames x " + bins + " bins needs "
                    + (long) frames * bins + " values, got " + values.length);
        }
        float[] t = new float[values.length];
        for (int f = 0; f < frames; f++) for (int k = 0; k < bins; k++) t[k * frames + f] = values[f * bins + k];
        return builder(t, bins, frames);
    }

    @Override
    public Rectangle plotArea(Rectangle area) {
        return Axes.plotArea(area, Axes.COLOR_BAR);
    }

    @Override
    public void draw(Graphics2D g, Rectangle area) {
        Rectangle plot = plotArea(area);
        BufferedImage img = new BufferedImage(plot.width, plot.height, BufferedImage.TYPE_INT_RGB);
        double cLo = colorAxis.min, cSpan = colorAxis.max - colorAxis.min;
        int[] colIndex = new int[plot.width];
        for (int px = 0; px < plot.width; px++) colIndex[px] = Math.min(cols - 1, (int) ((px + 0.5) * cols / plot.width));
        for (int py = 0; py < plot.height; py++) {
            int r = Math.min(rows - 1, (int) ((plot.height - py - 0.5) * rows / plot.height));
            int base = r * cols;
            for (int px = 0; px < plot.width; px++) img.setRGB(px, py, colorMap.rgb((values[base + colIndex[px]] - cLo) / cSpan));
        }
        g.drawImage(img, plot.x, plot.y, null);
        Axes.frame(g, area, plot, xAxis, yAxis, title, xLabel, yLabel);
        colorBar(g, area, plot);
    }

    private void colorBar(Graphics2D g, Rectangle area, Rectangle plot) {
        Rectangle bar = new Rectangle(plot.x + plot.width + 12, plot.y, 14, plot.height);
        for (int py = 0; py < bar.height; py++) {
            g.setColor(new java.awt.Color(colorMap.rgb(1 - (py + 0.5) / bar.height)));
            g.drawLine(bar.x, bar.y + py, bar.x + bar.width - 1, bar.y + py);
        }
        g.setColor(Axes.INK);
        g.drawRect(bar.x, bar.y, bar.width, bar.height);
        g.setFont(Axes.TICK_FONT);
        int n = Axes.yTicks(plot);
        for (double t : colorAxis.ticks(n)) {
            int p = Axes.py(bar, colorAxis, t);
            g.drawLine(bar.x + bar.width, p, bar.x + bar.width + 3, p);
            g.drawString(colorAxis.label(t, n), bar.x + bar.width + 5, p + g.getFontMetrics().getAscent() / 2 - 1);
        }
        if (!colorBarLabel.isEmpty()) {
            g.setFont(Axes.LABEL_FONT);
            int w = g.getFontMetrics().stringWidth(colorBarLabel);
            g.drawString(colorBarLabel, Math.min(bar.x, area.x + area.width - w - 2), area.y + Axes.TOP - 7);
        }
    }

    /** Options; the extents default to cell indices ({@code [0, cols] x [0, rows]}). */
    public static final class Builder {
        private final float[] values;
        private final int rows, cols;
        private String title = "", xLabel = "", yLabel = "", colorBarLabel = "";
        private double x0, x1, y0, y1, cLo = Double.NaN, cHi = Double.NaN;
        private ColorMap colorMap = ColorMap.VIRIDIS;

        private Builder(float[] values, int rows, int cols) {
            this.values = values;
            this.rows = rows;
            this.cols = cols;
            this.x1 = cols;
            this.y1 = rows;
        }

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

        /** Label above the colour bar (e.g. "dB"). */
        public Builder colorBarLabel(String label) {
            this.colorBarLabel = Axes.nonNull(label, "colour bar label");
            return this;
        }

        /** x coordinates of the left edge of column 0 and the right edge of the last column. */
        public Builder xExtent(double left, double right) {
            new Axis(left, right, false);
            this.x0 = left;
            this.x1 = right;
            return this;
        }

        /** y coordinates of the bottom edge of row 0 and the top edge of the last row. */
        public Builder yExtent(double bottom, double top) {
            new Axis(bottom, top, false);
            this.y0 = bottom;
            this.y1 = top;
            return this;
        }

        /** Values mapped to the colour map's ends (default: the data's min and max). */
        public Builder colorRange(double lo, double hi) {
            new Axis(lo, hi, false);
            this.cLo = lo;
            this.cHi = hi;
            return this;
        }

        public Builder colorMap(ColorMap map) {
            if (map == null) throw new IllegalArgumentException("colour map must not be null");
            this.colorMap = map;
            return this;
        }

        public Heatmap build() {
            return new Heatmap(this);
        }
    }
}
