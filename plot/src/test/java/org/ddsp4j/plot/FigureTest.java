package org.ddsp4j.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureTest {
    private static final int BLUE = LinePlot.PALETTE[0].getRGB() & 0xffffff;

    @Test
    void renderedImageAndPngHaveTheRequestedSize() throws IOException {
        Figure fig = new Figure(640, 480)
                .add(LinePlot.builder().title("a").series("", new float[] {1, 2, 3}).build())
                .add(Heatmap.builder(new float[] {1, 2, 3, 4}, 2, 2).build());
        BufferedImage img = fig.render();
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(fig.toPng()));
        assertEquals(640, png.getWidth());
        assertEquals(480, png.getHeight());
        // Panels split the height evenly and stay inside their halves.
        assertEquals(new Rectangle(0, 240, 640, 240), fig.panelArea(1));
        assertTrue(fig.plotArea(0).getMaxY() < 240 && fig.plotArea(1).y > 240);
    }

    @Test
    void heatmapPutsTheTopColourOnTheMaximumCellWithRowZeroAtTheBottom() {
        int rows = 4, cols = 6;
        float[] m = new float[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = (i * 7 % 11) / 11f; // values in [0, 1)
        m[2 * cols + 4] = 5f;  // max at row 2, col 4
        m[0] = -1f;            // min at row 0, col 0 (bottom left)
        Figure fig = new Figure(500, 300).add(Heatmap.builder(m, rows, cols).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        int top = ColorMap.VIRIDIS.rgb(1), bottom = ColorMap.VIRIDIS.rgb(0);
        int topCount = 0;
        for (int y = p.y + 1; y < p.y + p.height; y++) {
            for (int x = p.x + 1; x < p.x + p.width; x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb != top) continue;
                topCount++;
                int c = (int) ((x - p.x + 0.5) * cols / p.width), r = (int) ((p.y + p.height - y - 0.5) * rows / p.height);
                assertEquals(2, r, "top colour at pixel (" + x + ", " + y + ") is in row " + r);
                assertEquals(4, c, "top colour at pixel (" + x + ", " + y + ") is in col " + c);
            }
        }
        // The cell is about (p.width / 6) x (p.height / 4) pixels, all of them in the top colour.
        int cellPixels = (p.width / cols) * (p.height / rows);
        assertTrue(topCount > 0.8 * cellPixels, "only " + topCount + " top-colour pixels for a cell of ~" + cellPixels);
        assertEquals(top, rgbAt(img, p, rows, cols, 2, 4));
        assertEquals(bottom, rgbAt(img, p, rows, cols, 0, 0));
        assertEquals(ColorMap.VIRIDIS.rgb((m[cols + 3] + 1) / 6.0), rgbAt(img, p, rows, cols, 1, 3));
    }

    @Test
    void ofFramesPutsTimeOnXAndBinsOnY() {
        int frames = 5, bins = 3;
        float[] m = new float[frames * bins];
        m[4 * bins + 2] = 1; // last frame, top bin
        Figure fig = new Figure(400, 250).add(Heatmap.ofFrames(m, frames, bins).colorMap(ColorMap.MAGMA).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        assertEquals(ColorMap.MAGMA.rgb(1), rgbAt(img, p, bins, frames, 2, 4));
        assertEquals(ColorMap.MAGMA.rgb(0), rgbAt(img, p, bins, frames, 0, 4));
        assertEquals(ColorMap.MAGMA.rgb(0), rgbAt(img, p, bins, frames, 2, 0));
    }

    @Test
    void fixedColourRangeClipsValues() {
        float[] m = {-10, 0.5f, 10, 0.25f};
        Figure fig = new Figure(300, 200).add(Heatmap.builder(m, 1, 4).colorRange(0, 1).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        assertEquals(ColorMap.VIRIDIS.rgb(0), rgbAt(img, p, 1, 4, 0, 0));
        assertEquals(ColorMap.VIRIDIS.rgb(0.5), rgbAt(img, p, 1, 4, 0, 1));
        assertEquals(ColorMap.VIRIDIS.rgb(1), rgbAt(img, p, 1, 4, 0, 2));
    }

    private static int rgbAt(BufferedImage img, Rectangle p, int rows, int cols, int r, int c) {
        int x = p.x + (int) ((c + 0.5) * p.width / cols), y = p.y + p.height - (int) ((r + 0.5) * p.height / rows);
        return img.getRGB(x, y) & 0xffffff;
    }

    @Test
    void linePlotOfIdentityDrawsTheDiagonal() {
        float[] x = new float[101];
        for (int i = 0; i <= 100; i++) x[i] = i / 100f;
        Figure fig = new Figure(420, 420).add(LinePlot.builder().xRange(0, 1).yRange(0, 1).series("", x, x).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        for (int k = 1; k < 20; k++) {
            double t = k / 20.0;
            int px = p.x + (int) Math.round(t * p.width), py = p.y + p.height - (int) Math.round(t * p.height);
            assertTrue(nearBlue(img, px, py, 1), "no line pixel near (" + px + ", " + py + ") for t = " + t);
            // The anti-diagonal (away from the crossing at the centre) stays clear.
            if (Math.abs(t - 0.5) > 0.1) {
                int qy = p.y + (int) Math.round(t * p.height);
                assertTrue(!nearBlue(img, px, qy, 1), "unexpected line pixel near (" + px + ", " + qy + ")");
            }
        }
    }

    @Test
    void logYPlotPlacesDecadesEvenly() {
        float[] y = {1, 10, 100, 1000};
        Figure fig = new Figure(400, 400).add(LinePlot.builder().logY().yRange(1, 1000).xRange(0, 3).series("loss", y).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        // y = 10^x is a straight line on a log axis: its midpoint (x = 1.5, y = 10^1.5) sits mid-height.
        assertTrue(nearBlue(img, p.x + p.width / 2, p.y + p.height / 2, 2));
        assertArrayEquals(new double[] {1, 10, 100, 1000}, new Axis(1, 1000, true).ticks(8), 1e-9);
    }

    private static boolean nearBlue(BufferedImage img, int x, int y, int radius) {
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int rgb = img.getRGB(x + dx, y + dy) & 0xffffff;
                int dr = (rgb >> 16) - (BLUE >> 16), dg = (rgb >> 8 & 0xff) - (BLUE >> 8 & 0xff), db = (rgb & 0xff) - (BLUE & 0xff);
                if (dr * dr + dg * dg + db * db < 60 * 60) return true;
            }
        }
        return false;
    }

    @Test
    void waveformDrawsTheSignalAtItsLevel() {
        float[] dc = new float[5000];
        java.util.Arrays.fill(dc, 0.5f);
        Figure fig = new Figure(400, 200).add(Waveform.builder(dc, 16000).peak(1).build());
        BufferedImage img = fig.render();
        Rectangle p = fig.plotArea(0);
        assertTrue(nearBlue(img, p.x + p.width / 2, p.y + p.height / 4, 1), "the 0.5 level of a +-1 waveform lies a quarter down the plot");
        assertTrue(!nearBlue(img, p.x + p.width / 2, p.y + 3 * p.height / 4, 2));
        // A short impulse response takes the per-sample path.
        new Figure(400, 200).add(Waveform.builder(new float[] {1, -0.5f, 0.25f}, 16000).title("ir").build()).render();
    }

    @Test
    void badInputGivesClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinePlot.builder().series("f0", new float[] {0, 1}, new float[] {1, Float.NaN}));
        assertTrue(e.getMessage().contains("point 1") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().series("f0", new float[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().title("x").build());
        assertTrue(e.getMessage().contains("no series"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinePlot.builder().logY().series("loss", new float[] {1, 0}).build());
        assertTrue(e.getMessage().contains("y[1] = 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.builder(new float[] {0, Float.NaN, 0, 0}, 2, 2));
        assertTrue(e.getMessage().contains("row 0, col 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.builder(new float[5], 2, 2));
        assertTrue(e.getMessage().contains("needs 4 values, got 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmap.builder(new float[0], 0, 0));
        assertTrue(e.getMessage().contains("0 x 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Waveform.builder(new float[0], 16000));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Spectrogram.of(new float[] {0, Float.POSITIVE_INFINITY}, 16000));
        assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Figure(200, 200).render());
        Figure tooSmall = new Figure(100, 80).add(LinePlot.builder().series("", new float[] {1}).build());
        e = assertThrows(IllegalArgumentException.class, tooSmall::render);
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void spectrogramOfASinePeaksAtItsBin() {
        int sr = 16000, n = 16000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 1000 * i / sr));
        Spectrogram s = Spectrogram.of(x, sr);
        assertEquals(1024, s.nFft());
        assertEquals(256, s.hop());
        assertEquals(1 + n / 256, s.frames());
        assertEquals(513, s.bins());
        int bin = 1000 * 1024 / sr; // exactly 64
        for (int f = 4; f < s.frames() - 4; f++) {
            int arg = 0;
            for (int k = 1; k < s.bins(); k++) if (s.at(f, k) > s.at(f, arg)) arg = k;
            assertEquals(bin, arg, "frame " + f);
            assertTrue(s.at(f, bin) > -0.5, "peak " + s.at(f, bin) + " dB in frame " + f);
            // Hann side lobes fall off fast: 20 bins away the level is at the -80 dB floor or near it.
            assertTrue(s.at(f, bin + 20) < -70, "bin +20 at " + s.at(f, bin + 20) + " dB");
        }
        for (float v : s.db()) assertTrue(v >= -80 && v <= 0);
    }

    @Test
    void saveWritesAPngAtomically(@TempDir Path dir) throws IOException {
        int sr = 16000;
        float[] chirp = new float[sr * 2];
        float[] t = new float[200], f0 = new float[200];
        for (int i = 0; i < chirp.length; i++) {
            double s = i / (double) sr;
            chirp[i] = (float) (0.5 * Math.sin(2 * Math.PI * (200 * s + 900 * s * s)));
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = i / 100f;
            f0[i] = 200 + 1800 * t[i];
        }
        Figure fig = new Figure(800, 900)
                .add(LinePlot.builder().title("f0").xLabel("time (s)").yLabel("f0 (Hz)").series("chirp", t, f0).build())
                .add(Spectrogram.of(chirp, sr).heatmap().title("spectrogram").build())
                .add(Waveform.builder(java.util.Arrays.copyOf(chirp, 400), sr).title("first 25 ms").build());
        Path out = dir.resolve("sub/figure.png");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "old");
        fig.save(out);
        BufferedImage png = ImageIO.read(out.toFile());
        assertEquals(800, png.getWidth());
        assertEquals(900, png.getHeight());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "temporary files left behind");
        }
        String keep = System.getProperty("ddsp4j.plot.keep");
        if (keep != null) fig.save(Path.of(keep));
    }
}
