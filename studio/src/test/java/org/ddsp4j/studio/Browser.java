package org.ddsp4j.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by chromedriver through Selenium, with a fake microphone that plays a WAV file in a loop.
 * Debian's {@code chromium} and {@code chromium-driver} are used where they are installed (nothing is downloaded:
 * Selenium Manager is bypassed by naming both). Without them the browser tests fail, saying what to install;
 * {@code -Dddsp4j.skipBrowserTests=true} turns that into a skip for a machine that cannot have them (CI installs them).
 */
final class Browser implements AutoCloseable {
    static final String SKIP_PROPERTY = "ddsp4j.skipBrowserTests";
    static final Path CHROMIUM = Path.of(System.getProperty("ddsp4j.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("ddsp4j.chromedriver", "/usr/bin/chromedriver"));

    /** Selenium warns on every start that it has no CDP classes for this Chromium; nothing here uses CDP. */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** Window width (pixels): the page's layout is 960 wide. */
    static final int WIDTH = 1100;

    final ChromeDriver driver;

    /** @param microphone the WAV file the fake microphone plays (looped) */
    Browser(Path microphone) {
        requireInstalled();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=" + WIDTH + ",1400",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphone.toAbsolutePath(),
                "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Fails (or, with {@link #SKIP_PROPERTY}, skips) when Chromium or chromedriver is missing. */
    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) return;
        String msg = "the studio's browser tests need Chromium and chromedriver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): install them with apt-get install chromium chromium-driver (or point -Dddsp4j.chromium and "
                + "-Dddsp4j.chromedriver at them); -D" + SKIP_PROPERTY + "=true skips these tests";
        if (Boolean.getBoolean(SKIP_PROPERTY)) Assumptions.abort(msg);
        throw new AssertionError(msg);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to {@code seconds} for {@code condition} to give a non-null, non-false value. */
    <T> T until(double seconds, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofMillis((long) (seconds * 1000)), Duration.ofMillis(100)).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page did not get there in " + seconds + " s; its message: '"
                    + js("const m = document.getElementById('message'); return m ? m.textContent : ''") + "', its marks: "
                    + js("return JSON.stringify(document.body.dataset)"), e);
        }
    }

    /** A {@code data-NAME} mark of the page's body (set by the page's script for tests), or "". */
    String mark(String name) {
        Object v = js("return document.body.dataset[arguments[0]] || ''", name);
        return v == null ? "" : v.toString();
    }

    /** Saves the whole page as a PNG (Chromium's own capture beyond the window, at the page's full height). */
    void screenshot(Path png) throws IOException {
        Files.createDirectories(png.getParent());
        int w = ((Number) js("return document.documentElement.scrollWidth")).intValue();
        // The content's height (the window may be taller than a short page).
        int h = ((Number) js("return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom + window.scrollY) + 8")).intValue();
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
        Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /**
     * Where screenshots go: the folder {@code -Dddsp4j.screenshots} names (the README's pictures are refreshed with
     * {@code -Dddsp4j.screenshots=$PWD/docs}), else {@code target/screenshots}, so a test run leaves the sources alone.
     */
    static Path screenshots() {
        String dir = System.getProperty("ddsp4j.screenshots");
        return dir != null ? Path.of(dir) : Path.of("target", "screenshots").toAbsolutePath();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
