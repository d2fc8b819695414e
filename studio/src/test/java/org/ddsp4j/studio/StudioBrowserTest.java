package org.ddsp4j.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ddsp4j.audio.AudioFile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The studio page in headless Chromium: upload a file, move sliders, check on the server what was rendered (pitch
 * and loudness re-measured from the saved WAVs), check the figures loaded, and record a melody from the fake
 * microphone that must come back with its pitch kept. Takes studio.png ({@link Browser#screenshots()}) of a real
 * recording, the flute phrase of the demo.
 */
class StudioBrowserTest extends StudioInBrowser {
    static final int SR = 16000;
    static final double[] FILE_NOTES = {57, 60, 62, 64, 62};
    /** Sets a slider as a person would leave it (value, then the input and change events) and waits for the render. */
    static void slide(String id, double value) {
        int before = renders();
        browser.js("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change'));", id, String.valueOf(value));
        browser.until(20, d -> renders() > before && browser.mark("busy").isEmpty());
    }

    /** Renders the page has received so far. */
    static int renders() {
        String r = browser.mark("renders");
        return r.isEmpty() ? 0 : Integer.parseInt(r);
    }

    float[] rendered(String upload, int n) throws Exception {
        return AudioFile.readMono(server.uploadDir(upload).resolve("r" + n + ".wav"), SR);
    }

    @Test
    void uploadSlidersFiguresAndAMicrophoneRecording() throws Exception {
        var d = browser.driver;
        d.get(server.uri().toString());
        browser.until(20, x -> browser.mark("ready").equals("yes"));
        new Select(d.findElement(By.id("instrument"))).selectByValue(TestModels.NAME);

        // Upload a 10 s clip: it is rendered at once.
        Path clip = Melody.write(tmp.resolve("clip.wav"), Melody.of(FILE_NOTES, 0.5, 0.2, SR, 10), SR);
        d.findElement(By.id("file")).sendKeys(clip.toString());
        browser.until(30, x -> renders() == 1 && browser.mark("busy").isEmpty());
        String upload = browser.mark("upload");
        float[] in = AudioFile.readMono(clip, SR);

        slide("pitch", 12);
        int n12 = Integer.parseInt(browser.mark("render"));
        PitchCheck.Result up = PitchCheck.compare(rendered(upload, 1), SR, rendered(upload, n12), SR, 0, 12, 50);
        assertEquals(12, up.medianShift(), 0.5, "the +12 slider moved the pitch by 12 semitones: " + up);
        assertTrue(up.fraction() >= 0.95, up.toString());
        System.out.println("studio page: re-render after a slider move, 10 s clip: " + browser.mark("renderMs") + " ms (round trip)");

        slide("loudness", -6);
        int nQuiet = Integer.parseInt(browser.mark("render"));
        double change = PitchCheck.meanLoudnessDb(rendered(upload, nQuiet), SR, in, SR) - PitchCheck.meanLoudnessDb(rendered(upload, n12), SR, in, SR);
        assertEquals(-6, change, 1.5, "the -6 dB slider made it about 6 dB quieter");

        // The figures loaded in the page.
        for (String img : new String[] {"input-spectrogram", "output-spectrogram", "decomposition"}) {
            browser.until(20, x -> (Boolean) browser.js("const i = document.getElementById(arguments[0]);"
                    + "return i.complete && i.naturalWidth > 0 && !i.hidden", img));
        }
        assertTrue(((Number) browser.js("return document.getElementById('decomposition').naturalHeight")).intValue() > 500);
        assertTrue(browser.driver.findElement(By.id("download")).getAttribute("href").endsWith(".wav"));

        // Record from the fake microphone, with the sliders back at 0 and the automatic adjustment on.
        slide("pitch", 0);
        slide("loudness", 0);
        int before = renders();
        d.findElement(By.id("record")).click();
        browser.until(10, x -> browser.mark("recording").equals("on"));
        Thread.sleep(3500);
        d.findElement(By.id("stop-record")).click();
        browser.until(30, x -> !browser.mark("upload").equals(upload) && renders() > before && browser.mark("busy").isEmpty());
        String recording = browser.mark("upload");
        Path dir = server.uploadDir(recording);
        float[] sung = AudioFile.readMono(dir.resolve("source.wav"), 48000);
        int rec = Integer.parseInt(browser.mark("render"));
        double octave = Double.parseDouble(browser.mark("octave"));
        assertEquals(12, octave, "the melody an octave below the training pitch is moved up an octave");
        PitchCheck.Result kept = PitchCheck.compare(sung, 48000, AudioFile.readMono(dir.resolve("r" + rec + ".wav"), SR), SR, 0, octave, 50);
        System.out.println("studio page: microphone recording of " + sung.length / 48000.0 + " s: " + kept);
        assertTrue(kept.frames() > 400, "the recording holds the melody: " + kept);
        assertTrue(kept.fraction() >= 0.95, "the recorded melody came back with its pitch: " + kept);

        // A real recording (the demo's flute phrase, 12 s), a little drier.
        slide("reverb", 0.5);
        int last = renders();
        d.findElement(By.id("file")).sendKeys(DEMO_FLUTE.toString());
        browser.until(30, x -> renders() > last && browser.mark("busy").isEmpty());

        // Train on this session's uploads, follow the run in the page, then play the result with the new model.
        d.findElement(By.id("train-name")).clear();
        d.findElement(By.id("train-name")).sendKeys("from-the-page");
        d.findElement(By.id("train-settings")).sendKeys(String.join(" ", TestModels.SETTINGS));
        d.findElement(By.id("train-steps")).clear();
        d.findElement(By.id("train-steps")).sendKeys("300");
        d.findElement(By.id("train-uploads")).click();
        int beforeTraining = renders();
        d.findElement(By.id("train-start")).click();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        browser.until(90, x -> {
            seen.add(browser.mark("trainStep"));
            return browser.mark("trainState").equals("done");
        });
        assertTrue(seen.size() >= 3, "the progress came in several events while it trained: steps seen " + seen);
        assertTrue(((Number) browser.js("return document.getElementById('train-progress').value")).doubleValue() == 1.0);
        browser.until(30, x -> renders() > beforeTraining && browser.mark("busy").isEmpty());
        assertEquals("from-the-page", new Select(d.findElement(By.id("instrument"))).getFirstSelectedOption().getAttribute("value"),
                "the new model is chosen");
        for (String img : new String[] {"input-spectrogram", "output-spectrogram", "decomposition"}) {
            browser.until(20, x -> (Boolean) browser.js("const i = document.getElementById(arguments[0]);"
                    + "return i.complete && i.naturalWidth > 0 && !i.hidden && i.src.indexOf(arguments[1]) > 0", img, browser.mark("upload")));
        }
        browser.screenshot(Browser.screenshots().resolve("studio.png"));
    }

    /** A flute phrase in the repository (FluidR3 render, MIT licence; see demo/data/LICENSE.md). */
    static final Path DEMO_FLUTE = Path.of("").toAbsolutePath().getParent().resolve("demo/data/transfer/flute_phrase_vib1_s2.flac");
}
