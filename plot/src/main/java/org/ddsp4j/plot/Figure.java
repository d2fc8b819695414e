package org.ddsp4j.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.ddsp4j.io.AtomicFiles;

/**
 * A PNG figure of vertically stacked {@link Panel}s of equal height, rendered headless with Java2D.
 *
 * <pre>
 *   new Figure(900, 600)
 *       .add(LinePlot.builder().title("f0").xLabel("time (s)").yLabel("Hz").series("", t, f0).build())
 *       .add(Spectrogram.of(audio, 16000).heatmap().title("audio").build())
 *       .save(Path.of("plot.png"));
 * </pre>
 * Text uses the JDK's logical sans-serif font, which on Linux needs fontconfig and one installed
 * font (e.g. DejaVu).
 */
public final class Figure {
    static {
        // Rendering to images needs no display; without this AWT may look for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private final int width, height;
    private final List<Panel> panels = new ArrayList<>();

    /** A figure of {@code width x height} pixels. */
    public Figure(int width, int height) {
        if (width < 100 || height < 80 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("figure size " + width + "x" + height + " px is outside 100x80 .. 16384x16384");
        }
        this.width = width;
        this.height = height;
    }

    /** Appends a panel below the existing ones. */
    public Figure add(Panel panel) {
        if (panel == null) throw new IllegalArgumentException("panel must not be null");
        panels.add(panel);
        return this;
    }

    public int panelCount() {
        return panels.size();
    }

    /** The rectangle of the image given to panel {@code index}. */
    public Rectangle panelArea(int index) {
        if (index < 0 || index >= panels.size()) {
            throw new IndexOutOfBoundsException("panel " + index + " of a figure with " + panels.size() + " panels");
        }
        int y0 = (int) ((long) height * index / panels.size()), y1 = (int) ((long) height * (index + 1) / panels.size());
        return new Rectangle(0, y0, width, y1 - y0);
    }

    /** The data rectangle (inside the axes) of panel {@code index}, in image pixels. */
    public Rectangle plotArea(int index) {
        return panels.get(index).plotArea(panelArea(index));
    }

    /** Renders the figure into a new RGB image of the figure's size. */
    public BufferedImage render() {
        if (panels.isEmpty()) throw new IllegalStateException("figure has no panels; add at least one before rendering");
        for (int i = 0; i < panels.size(); i++) plotArea(i); // fail on a too small layout before drawing anything
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (int i = 0; i < panels.size(); i++) {
                Rectangle area = panelArea(i);
                Graphics2D pg = (Graphics2D) g.create();
                try {
                    pg.clipRect(area.x, area.y, area.width, area.height);
                    panels.get(i).draw(pg, area);
                } finally {
                    pg.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The rendered figure as PNG bytes. */
    public byte[] toPng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            if (!ImageIO.write(render(), "png", out)) throw new IllegalStateException("no PNG writer in this JDK's ImageIO");
        } catch (IOException e) {
            throw new UncheckedIOException("encoding PNG in memory failed", e);
        }
        return out.toByteArray();
    }

    /** Renders and writes the figure as a PNG file, atomically (the old file stays if this fails). */
    public void save(Path png) throws IOException {
        AtomicFiles.write(png, toPng());
    }
}
