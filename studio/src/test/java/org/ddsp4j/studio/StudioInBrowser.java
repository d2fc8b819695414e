package org.ddsp4j.studio;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser tests share (they extend it): a studio with the test model ({@link TestModels}) on a free port,
 * and headless Chromium whose fake microphone plays {@link TestModels#microphoneNotes()} (48 kHz, looped); both
 * started once per test class.
 */
abstract class StudioInBrowser {
    @TempDir
    static Path tmp;
    static StudioServer server;
    static Browser browser;

    @BeforeAll
    static void startStudioAndBrowser() throws Exception {
        Browser.requireInstalled();
        TestModels.model();
        server = StudioServer.start(StudioOptions.defaults().withPort(0).withModels(tmp.resolve("models")).withWork(tmp.resolve("work")));
        Path mic = Melody.write(tmp.resolve("mic.wav"), Melody.of(TestModels.microphoneNotes(), 0.5, 0.3, 48000), 48000);
        browser = new Browser(mic);
    }

    @AfterAll
    static void stopStudioAndBrowser() {
        try {
            if (browser != null) browser.close();
        } finally {
            browser = null;
            if (server != null) server.close();
            server = null;
        }
    }
}
