package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ./ddsp studio}'s command line (the server itself is tested in the studio module, in a browser too). */
class StudioCommandTest {
    @Test
    void refusesAPortOutOfRange() {
        MainTest.Run r = MainTest.run("studio", "--port", "70000", "--no-open");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--port must be 0..65535"), r.err());
    }
}
