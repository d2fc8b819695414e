package org.ddsp4j.plot;

import java.awt.Graphics2D;
import java.awt.Rectangle;

/** One plot in a {@link Figure}: draws itself, axes and title included, into a rectangle of the image. */
public interface Panel {
    /** The data rectangle (inside the axes) this panel uses when given {@code area}, in image pixels. */
    Rectangle plotArea(Rectangle area);

    /** Draws the panel into {@code area} of {@code g} (white background already painted). */
    void draw(Graphics2D g, Rectangle area);
}
