package org.ddsp4j.studio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.TransferRecipe;

/**
 * One uploaded (or recorded) clip and what was made of it. Its folder holds the file as sent ({@code source.wav},
 * {@code .flac} or {@code .mp3}, named by content), {@code input.wav} (mono at the file's rate: what the page
 * plays) and the renders' WAVs and figures. The analysis (f0, loudness) is computed once per model rate and kept,
 * so a slider move only re-renders; the last render's dry and wet signals are kept too, so a reverb move only
 * re-mixes.
 */
final class Upload {
    /** The least pitched audio a render needs: 10 frames (40 ms at 250 frames/s) with a confident f0. */
    static final int MIN_PITCHED_FRAMES = 10;
    static final String INPUT = "input.wav";

    final String id;
    /** Its folder under the studio's work folder. */
    final Path dir;
    /** The file name the browser gave: shown in messages, never used as a path. */
    final String name;
    /** The file as uploaded. */
    final Path source;
    final double seconds;
    /** Renders are made one at a time per upload (the page may fire several while a slider moves). */
    final Object renderLock = new Object();
    /** Figures being drawn, by file name: a request for one waits for it. */
    final Map<String, Future<?>> pendingFigures = new ConcurrentHashMap<>();

    private final Map<String, Instrument.Analysis> analyses = new ConcurrentHashMap<>();
    /** Guarded by {@link #renderLock}. */
    int renders;
    /** Guarded by {@link #renderLock}: the last render's signals, or null. */
    Renderer.Signals last;

    Upload(String id, Path dir, String name, Path source, double seconds) {
        this.id = id;
        this.dir = dir;
        this.name = name;
        this.source = source;
        this.seconds = seconds;
    }

    /** Whether the analysis at this instrument's rates is already there. */
    boolean analysed(Instrument instrument) {
        return analyses.containsKey(key(instrument));
    }

    /**
     * The recording at the instrument's rate and its controls, computed on first use per sample and frame rate.
     *
     * @throws StudioException 422 when no pitch is found (nothing is kept, so another instrument may try)
     */
    Instrument.Analysis analysis(Instrument instrument) throws IOException {
        String key = key(instrument);
        Instrument.Analysis a = analyses.get(key);
        if (a != null) return a;
        a = instrument.analyze(instrument.read(source));
        int pitched = pitchedFrames(a.controls());
        if (pitched < MIN_PITCHED_FRAMES) {
            throw new StudioException(422, "no pitch found in '" + name + "': " + pitched + " of " + a.controls().nFrames()
                    + " frames have a confident f0; record one voice or instrument playing notes (one at a time), "
                    + "not silence or noise");
        }
        analyses.put(key, a);
        return a;
    }

    private static String key(Instrument instrument) {
        return instrument.sampleRate() + "/" + instrument.frameRate();
    }

    /** Frames the transfer recipe counts as pitched (its confidence threshold, f0 > 0). */
    static int pitchedFrames(AudioFeatures c) {
        TransferRecipe r = TransferRecipe.defaults();
        int n = 0;
        for (int i = 0; i < c.nFrames(); i++) if (r.pitched(c.f0Hz()[i], c.f0Confidence()[i])) n++;
        return n;
    }
}
