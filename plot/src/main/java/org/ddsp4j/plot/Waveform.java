package org.ddsp4j.plot;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Path2D;

/**
 * Waveform of a mono signal (audio or an impulse response) against time, y range symmetric around
 * 0. Time is in milliseconds for signals shorter than half a second, else in seconds. With more
 * samples than pixel columns each column shows the min..max of its samples (no aliasing); with
 * fewer, a line joins the samples and each sample gets a dot.
 */
public final class Waveform implements Panel {
    private final float[] signal;
    private final int sampleRate;
    private final String title, yLabel;
    private final boolean millis;
    private final Axis xAxis, yAxis;

    private Waveform(Builder b) {
        this.signal = b.signal;
        this.sampleRate = b.sampleRate;
        this.title = b.title;
        this.yLabel = b.yLabel;
        double seconds = signal.length / (double) sampleRate;
        this.millis = seconds < 0.5;
        double scale = millis ? 1000 : 1;
        this.xAxis = new Axis(0, Math.max(signal.length - 1, 1) / (double) sampleRate * scale, false);
        double peak = b.peak;
        if (Double.isNaN(peak)) {
            peak = 0;
            for (float v : signal) peak = Math.max(peak, Math.abs(v));
            peak = peak == 0 ? 1 : peak * 1.05;
        }
        this.yAxis = new Axis(-peak, peak, false);
    }

    /** A waveform of {@code signal} {@code [nSamples]} (finite, n >= 1) at {@code sampleRate} Hz. */
    public static Builder builder(float[] signal, int sampleRate) {
        if (signal == null || signal.length == 0) throw new IllegalArgumentException("waveform signal is null or empty; nothing to plot");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        for (int i = 0; i < signal.length; i++) {
            if (!Float.isFinite(signal[i])) throw new IllegalArgumentException("waveform sample " + i + " is " + signal[i] + "; the signal must be finite");
        }
        return new Builder(signal.clone(), sampleRate);
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
        g.setColor(Axes.INK);
        int zero = Axes.py(plot, yAxis, 0);
        g.drawLine(plot.x, zero, plot.x + plot.width, zero);
        g.setColor(LinePlot.PALETTE[0]);
        int n = signal.length;
        if (n > plot.width) {
            for (int px = 0; px < plot.width; px++) {
                int from = (int) ((long) px * n / plot.width), to = (int) Math.max(from + 1, (long) (px + 1) * n / plot.width);
                float lo = signal[from], hi = lo;
                for (int i = from + 1; i < to; i++) {
                    lo = Math.min(lo, signal[i]);
                    hi = Math.max(hi, signal[i]);
                }
                // A filled 1-pixel column on whole-pixel bounds stays solid under antialiasing
                // (a 1-pixel line on pixel centres would be smeared over two half-tone pixels).
                int top = Axes.py(plot, yAxis, hi), bottom = Axes.py(plot, yAxis, lo);
                g.fillRect(plot.x + px, top, 1, Math.max(1, bottom - top + 1));
            }
        } else {
            g.setStroke(new BasicStroke(1.2f));
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < n; i++) {
                double x = plot.x + (n == 1 ? 0 : i / (double) (n - 1)) * plot.width;
                double y = plot.y + plot.height - yAxis.fraction(signal[i]) * plot.height;
                if (i == 0) path.moveTo(x, y);
                else path.lineTo(x, y);
                if (n <= plot.width / 4) g.fillOval((int) Math.round(x) - 2, (int) Math.round(y) - 2, 5, 5);
            }
            g.draw(path);
        }
        g.setClip(clip);
        Axes.frame(g, area, plot, xAxis, yAxis, title, millis ? "time (ms)" : "time (s)", yLabel);
    }

    public static final class Builder {
        private final float[] signal;
        private final int sampleRate;
        private String title = "", yLabel = "amplitude";
        private double peak = Double.NaN;

        private Builder(float[] signal, int sampleRate) {
            this.signal = signal;
            this.sampleRate = sampleRate;
        }

        public Builder title(String title) {
            this.title = Axes.nonNull(title, "title");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Axes.nonNull(label, "y label");
            return this;
        }

        /** Fixes the y range to {@code [-peak, peak]} (default: the signal's peak plus 5%). */
        public Builder peak(double peak) {
            if (!(peak > 0) || Double.isInfinite(peak)) throw new IllegalArgumentException("peak must be positive and finite, got " + peak);
            this.peak = peak;
            return this;
        }

        public Waveform build() {
            return new Waveform(this);
        }
    }
}
