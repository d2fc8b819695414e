package org.ddsp4j.plot;

/**
 * Perceptually uniform colour maps for heatmaps, as piecewise-linear interpolation between nine
 * evenly spaced samples of matplotlib's maps (close enough for plots, exact at the samples).
 */
public enum ColorMap {
    /** Dark blue to yellow ({@code matplotlib viridis}); the default. */
    VIRIDIS(0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725),
    /** Black to pale yellow through purple ({@code matplotlib magma}). */
    MAGMA(0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55964, 0xfb8761, 0xfec287, 0xfcfdbf),
    /** Black to white. */
    GRAY(0x000000, 0xffffff);

    private final int[] stops;

    ColorMap(int... stops) {
        this.stops = stops;
    }

    /** RGB ({@code 0xRRGGBB}) of {@code t}, clipped to [0, 1]; NaN maps to 0. */
    public int rgb(double t) {
        if (!(t > 0)) return stops[0];
        if (t >= 1) return stops[stops.length - 1];
        double pos = t * (stops.length - 1);
        int i = (int) pos;
        double f = pos - i;
        int a = stops[i], b = stops[i + 1];
        return lerp(a >> 16, b >> 16, f) << 16 | lerp(a >> 8, b >> 8, f) << 8 | lerp(a, b, f);
    }

    private static int lerp(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
    }
}
