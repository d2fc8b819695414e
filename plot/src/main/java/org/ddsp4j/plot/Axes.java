package org.ddsp4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;

/** Layout and drawing of the frame, ticks, labels and title shared by the panels. */
final class Axes {
    static final int LEFT = 64, RIGHT = 16, TOP = 24, BOTTOM = 42;
    /** Extra right margin for a colour bar (gap, bar, tick labels). */
    static final int COLOR_BAR = 76;
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color GRID = new Color(0xe4e4e4);
    static final Color INK = new Color(0x222222);

    private Axes() {}

    /** The data rectangle inside {@code area}, leaving room for ticks, labels, title and {@code extraRight}. */
    static Rectangle plotArea(Rectangle area, int extraRight) {
        int w = area.width - LEFT - RIGHT - extraRight, h = area.height - TOP - BOTTOM;
        if (w < 16 || h < 16) {
            throw new IllegalArgumentException("panel of " + area.width + "x" + area.height
                    + " px is too small for axes (needs at least " + (LEFT + RIGHT + extraRight + 16) + "x" + (TOP + BOTTOM + 16)
                    + "); make the figure larger or use fewer panels");
        }
        return new Rectangle(area.x + LEFT, area.y + TOP, w, h);
    }

    static int px(Rectangle plot, Axis x, double v) {
        return plot.x + (int) Math.round(x.fraction(v) * plot.width);
    }

    static int py(Rectangle plot, Axis y, double v) {
        return plot.y + plot.height - (int) Math.round(y.fraction(v) * plot.height);
    }

    static int xTicks(Rectangle plot) {
        return Math.max(2, Math.min(10, plot.width / 70));
    }

    static int yTicks(Rectangle plot) {
        return Math.max(2, Math.min(8, plot.height / 30));
    }

    /** Grid lines at the ticks (drawn before the data). */
    static void grid(Graphics2D g, Rectangle plot, Axis x, Axis y) {
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f));
        for (double t : x.ticks(xTicks(plot))) g.drawLine(px(plot, x, t), plot.y, px(plot, x, t), plot.y + plot.height);
        for (double t : y.ticks(yTicks(plot))) g.drawLine(plot.x, py(plot, y, t), plot.x + plot.width, py(plot, y, t));
    }

    /** Frame, tick marks and labels, axis labels and the title (drawn after the data). */
    static void frame(Graphics2D g, Rectangle area, Rectangle plot, Axis x, Axis y, String title, String xLabel, String yLabel) {
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int nx = xTicks(plot), ny = yTicks(plot);
        for (double t : x.ticks(nx)) {
            int p = px(plot, x, t);
            g.drawLine(p, plot.y + plot.height, p, plot.y + plot.height + 4);
            String s = x.label(t, nx);
            g.drawString(s, p - fm.stringWidth(s) / 2, plot.y + plot.height + 6 + fm.getAscent());
        }
        for (double t : y.ticks(ny)) {
            int p = py(plot, y, t);
            g.drawLine(plot.x - 4, p, plot.x, p);
            String s = y.label(t, ny);
            g.drawString(s, plot.x - 6 - fm.stringWidth(s), p + fm.getAscent() / 2 - 1);
        }
        g.setFont(LABEL_FONT);
        fm = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, plot.x + (plot.width - fm.stringWidth(xLabel)) / 2, area.y + area.height - 6);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.translate(area.x + fm.getAscent() + 2, plot.y + (plot.height + fm.stringWidth(yLabel)) / 2);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(saved);
        }
        if (!title.isEmpty()) {
            g.setFont(TITLE_FONT);
            fm = g.getFontMetrics();
            g.drawString(title, plot.x + (plot.width - fm.stringWidth(title)) / 2, area.y + TOP - 7);
        }
    }

    static String nonNull(String s, String what) {
        if (s == null) throw new IllegalArgumentException(what + " must not be null (use \"\" for none)");
        return s;
    }
}
