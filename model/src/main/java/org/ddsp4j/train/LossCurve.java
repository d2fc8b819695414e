package org.ddsp4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ddsp4j.io.AtomicFiles;

/** Draws the loss history ({@code [step, loss, evalLoss or NaN]} rows) as a PNG, written atomically. */
public final class LossCurve {
    private LossCurve() {}

    public static void write(Path png, List<double[]> rows, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 800, h = 450, l = 70, r = 20, t = 40, b = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.drawString(title, l, 22);
        g.drawRect(l, t, w - l - r, h - t - b);
        if (!rows.isEmpty()) {
            double x0 = rows.getFirst()[0], x1 = Math.max(x0 + 1, rows.getLast()[0]);
            double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
            for (double[] row : rows) {
                for (int c = 1; c <= 2; c++) {
                    if (Double.isFinite(row[c])) {
                        lo = Math.min(lo, row[c]);
                        hi = Math.max(hi, row[c]);
                    }
                }
            }
            if (hi <= lo) hi = lo + 1;
            int pw = w - l - r, ph = h - t - b;
            for (int i = 0; i <= 4; i++) {
                double v = lo + (hi - lo) * i / 4;
                int y = t + ph - (int) Math.round(ph * i / 4.0);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(l + 1, y, l + pw - 1, y);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.3g", v), 5, y + 4);
            }
            g.drawString(String.format("step %d", (long) x0), l, h - 28);
            String end = String.format("step %d", (long) x1);
            g.drawString(end, l + pw - g.getFontMetrics().stringWidth(end), h - 28);
            g.drawString("training loss (blue), smoothed (dark blue), eval loss (red)", l, h - 10);
            double[] smooth = new double[rows.size()];
            double ema = rows.getFirst()[1];
            for (int i = 0; i < rows.size(); i++) smooth[i] = ema = 0.9 * ema + 0.1 * rows.get(i)[1];
            plot(g, rows, 1, null, new Color(150, 180, 255), 1f, x0, x1, lo, hi, l, t, pw, ph);
            plot(g, rows, -1, smooth, new Color(0, 40, 160), 2f, x0, x1, lo, hi, l, t, pw, ph);
            plot(g, rows, 2, null, new Color(200, 0, 0), 2f, x0, x1, lo, hi, l, t, pw, ph);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }

    private static void plot(Graphics2D g, List<double[]> rows, int col, double[] values, Color c, float width,
                             double x0, double x1, double lo, double hi, int l, int t, int pw, int ph) {
        g.setColor(c);
        g.setStroke(new BasicStroke(width));
        int px = -1, py = -1;
        for (int i = 0; i < rows.size(); i++) {
            double v = values != null ? values[i] : rows.get(i)[col];
            if (!Double.isFinite(v)) continue;
            int x = l + (int) Math.round(pw * (rows.get(i)[0] - x0) / (x1 - x0));
            int y = t + ph - (int) Math.round(ph * (v - lo) / (hi - lo));
            if (px >= 0) g.drawLine(px, py, x, y);
            else g.fillOval(x - 2, y - 2, 4, 4);
            px = x;
            py = y;
        }
    }
}
