package org.ddsp4j.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import org.ddsp4j.apps.Decomposition;
import org.ddsp4j.apps.RoomTransfer;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.TransferRecipe;
import org.ddsp4j.plot.Figure;
import org.ddsp4j.plot.Spectrogram;

/**
 * Renders an upload through an instrument with the page's settings, the studio's one rendering path. A render is
 * one forward pass of the model on the adjusted controls without the room (which also gives the decomposition),
 * the room's wet signal by convolution, and a mix: {@code dry + reverb * wet} (1 is the model's own render, 0 is
 * dereverberation). The analysis comes from the upload's cache; a move of the reverb slider alone only re-mixes.
 * The WAV is written before the call returns; the figures (output spectrogram, decomposition) are drawn on the
 * {@code figures} executor meanwhile, and a request for one waits for it ({@link Upload#pendingFigures}).
 */
final class Renderer {
    /** Renders whose files are kept per upload (the page may still be loading the previous ones). */
    static final int KEEP_RENDERS = 4;
    static final int FIGURE_WIDTH = 900, SPECTROGRAM_HEIGHT = 220, DECOMPOSITION_PANEL_HEIGHT = 150;

    /**
     * What the page's controls ask for.
     *
     * @param pitch    semitones added to the played f0, -36..36
     * @param loudness dB added to the played loudness, -40..40
     * @param reverb   level of the model's room in the mix, 0..1 (1: as the model renders)
     * @param auto     the automatic octave and loudness adjustment toward the training set
     */
    record Settings(double pitch, double loudness, double reverb, boolean auto) {
        Settings {
            check("pitch", pitch, -36, 36);
            check("loudness", loudness, -40, 40);
            check("reverb", reverb, 0, 1);
        }

        private static void check(String what, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) throw StudioException.badRequest(what + " " + v + " is outside " + lo + " .. " + hi);
        }

        TransferRecipe recipe() {
            return TransferRecipe.defaults().withAuto(auto).withShifts(pitch, loudness);
        }
    }

    /**
     * A render's signals before mixing, kept for the next reverb move.
     *
     * @param key           instrument and settings other than the reverb level
     * @param dry           {@code [frames * hop]} the model without its room
     * @param wet           {@code [frames * hop]} the room's part alone (null: the model has no room)
     * @param decomposition the figure's file name
     */
    record Signals(String key, float[] dry, float[] wet, double octaveShift, double loudnessShift, String decomposition) {}

    private final ExecutorService figures;

    Renderer(ExecutorService figures) {
        this.figures = figures;
    }

    /** Renders and answers the page: file names, the automatic shifts applied, and where the time went (ms). */
    Map<String, Object> render(Upload u, Instruments.Loaded loaded, Settings s) throws IOException {
        Instrument ins = loaded.instrument();
        long t0 = System.nanoTime();
        synchronized (u.renderLock) {
            boolean analysed = u.analysed(ins);
            Instrument.Analysis a = u.analysis(ins);
            long t1 = System.nanoTime();
            int n = ++u.renders;
            String key = loaded.key() + "|" + s.pitch() + "|" + s.loudness() + "|" + s.auto();
            boolean reused = u.last != null && u.last.key().equals(key);
            Signals sig = reused ? u.last : signals(u, n, ins, a, s, key);
            u.last = sig;
            long t2 = System.nanoTime();
            String wav = "r" + n + ".wav";
            float[] played = mix(sig.dry(), sig.wet(), (float) s.reverb());
            ins.write(u.dir.resolve(wav), played);
            String outSpec = "r" + n + "-spectrogram.png";
            drawLater(u, outSpec, () -> spectrogram(played, ins.sampleRate(), "output: " + loaded.label()));
            String inSpec = "input-" + ins.sampleRate() + "-spectrogram.png";
            if (!Files.exists(u.dir.resolve(inSpec)) && !u.pendingFigures.containsKey(inSpec)) {
                drawLater(u, inSpec, () -> spectrogram(a.audio(), ins.sampleRate(), "input: " + u.name));
            }
            forgetOldRenders(u, n);
            long t3 = System.nanoTime();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("render", n);
            m.put("input", Upload.INPUT);
            m.put("output", wav);
            m.put("inputSpectrogram", inSpec);
            m.put("outputSpectrogram", outSpec);
            m.put("decomposition", sig.decomposition());
            m.put("sampleRate", ins.sampleRate());
            m.put("seconds", sig.dry().length / (double) ins.sampleRate());
            m.put("octaveShift", sig.octaveShift());
            m.put("loudnessShift", sig.loudnessShift());
            m.put("hasReverb", sig.wet() != null);
            m.put("analysisMs", analysed ? 0.0 : ms(t1 - t0));
            m.put("renderMs", reused ? 0.0 : ms(t2 - t1));
            m.put("writeMs", ms(t3 - t2));
            m.put("totalMs", ms(t3 - t0));
            m.put("remixOnly", reused);
            return m;
        }
    }

    /** The model's dry render of the adjusted controls, its room's wet part, and the decomposition figure (drawn later). */
    private Signals signals(Upload u, int n, Instrument ins, Instrument.Analysis a, Settings s, String key) {
        TransferRecipe.Adjusted adj = ins.adjust(a.controls(), s.recipe());
        Decomposition d = ins.decompose(a, adj, false);
        float[] dry = d.audio(), wet = null;
        if (d.impulseResponse() != null) {
            // The tail past the clip is cut, as the model's own render cuts it.
            wet = java.util.Arrays.copyOf(RoomTransfer.apply(d.impulseResponse(), dry, true), dry.length);
        }
        String fig = "r" + n + "-decomposition.png";
        drawLater(u, fig, () -> d.figure(FIGURE_WIDTH, DECOMPOSITION_PANEL_HEIGHT));
        return new Signals(key, dry, wet, adj.octaveShiftSemitones(), adj.loudnessShiftDb(), fig);
    }

    /** {@code dry + level * wet}, a new array. */
    static float[] mix(float[] dry, float[] wet, float level) {
        float[] y = dry.clone();
        if (wet != null && level != 0) for (int i = 0; i < y.length; i++) y[i] += level * wet[i];
        return y;
    }

    static Figure spectrogram(float[] audio, int sampleRate, String title) {
        return new Figure(FIGURE_WIDTH, SPECTROGRAM_HEIGHT).add(Spectrogram.of(audio, sampleRate).heatmap().title(title).build());
    }

    private void drawLater(Upload u, String file, java.util.function.Supplier<Figure> figure) {
        Path p = u.dir.resolve(file);
        // Listed before it can run, so its own removal always comes after.
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                figure.get().save(p);
            } finally {
                u.pendingFigures.remove(file);
            }
            return null;
        });
        u.pendingFigures.put(file, task);
        figures.execute(task);
    }

    /** Deletes the files of renders older than the last {@link #KEEP_RENDERS} (their figures may still be drawn: skipped). */
    private static void forgetOldRenders(Upload u, int n) throws IOException {
        int old = n - KEEP_RENDERS;
        if (old < 1) return;
        for (String f : new String[] {"r" + old + ".wav", "r" + old + "-spectrogram.png", "r" + old + "-decomposition.png"}) {
            if (u.last != null && f.equals(u.last.decomposition())) continue; // a remix still shows it
            if (!u.pendingFigures.containsKey(f)) Files.deleteIfExists(u.dir.resolve(f));
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
