package org.ddsp4j.features;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Scores {@link PitchTracker} on audio rendered by {@code ../shared/data/render.sh} (a folder with
 * {@code manifest.csv}, {@code NAME.wav} and {@code NAME.f0.csv} at 250 frames/s).
 *
 * <p>The scores reproduce {@code ddspdata.py eval REF EST --guard-ms G} at lag 0: over the
 * ground-truth voiced frames outside the guard (frames {@code i-g .. i+g-1},
 * {@code g = round(G * fps / 1000)}, around every voicing change and every jump of more than 60
 * cents between voiced frames), RPA is the share where the estimate is voiced and within 50 cents,
 * RCA the same modulo octaves; the octave-error rate is {@code RCA - RPA} (voiced, right chroma,
 * wrong octave).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp core/target/classes:audio/target/classes \
 *       org.ddsp4j.features.PitchEvaluation [DATA_DIR] [--write DIR] [--guard-ms 40] [--no-onsets]
 * </pre>
 * {@code DATA_DIR} defaults to {@code $DDSP4J_DATA}, else {@code /tmp/ddsp-data}; {@code --write}
 * also writes each estimate as {@code time f0} lines for cross-checking with {@code ddspdata.py}.
 */
public final class PitchEvaluation {
    private PitchEvaluation() {}

    /** Counts for one file (or pooled): frames scored, hits within 50 cents, chroma hits, voiced false alarms. */
    public record Score(String name, String instrument, int voicedFrames, int hits, int chromaHits,
                        int unvoicedFrames, int falseAlarms, double seconds) {
        public double rpa() { return voicedFrames == 0 ? Double.NaN : (double) hits / voicedFrames; }
        public double rca() { return voicedFrames == 0 ? Double.NaN : (double) chromaHits / voicedFrames; }
        public double octaveErrorRate() { return rca() - rpa(); }
        public double falseAlarmRate() { return unvoicedFrames == 0 ? Double.NaN : (double) falseAlarms / unvoicedFrames; }

        Score plus(Score o, String newName, String newInstrument) {
            return new Score(newName, newInstrument, voicedFrames + o.voicedFrames, hits + o.hits,
                    chromaHits + o.chromaHits, unvoicedFrames + o.unvoicedFrames, falseAlarms + o.falseAlarms,
                    seconds + o.seconds);
        }
    }

    /** The default data folder: {@code $DDSP4J_DATA}, else {@code /tmp/ddsp-data}. */
    public static Path defaultDataDir() {
        String env = System.getenv("DDSP4J_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "/tmp/ddsp-data");
    }

    /** The rendered files listed in {@code dir/manifest.csv}: {wav path, f0 path, instrument}. */
    public static List<String[]> manifest(Path dir) throws IOException {
        Path m = dir.resolve("manifest.csv");
        if (!Files.isRegularFile(m)) {
            throw new IllegalArgumentException("no manifest.csv in " + dir.toAbsolutePath()
                    + "; render with: bash ../shared/data/render.sh " + dir + " sample");
        }
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            if (p.length < 4) continue;
            out.add(new String[] {p[0], p[1], p[3]});
        }
        return out;
    }

    /** Reads a PCM WAV as mono floats in [-1, 1] (channels averaged); returns {samples, sampleRate}. */
    public static Object[] readWav(Path wav) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(wav));
             AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.getSampleSizeInBits() != 16) {
                throw new IllegalArgumentException(wav + ": only 16-bit signed PCM is read here, got " + f);
            }
            byte[] b = in.readAllBytes();
            int ch = f.getChannels();
            int n = b.length / (2 * ch);
            float[] x = new float[n];
            boolean big = f.isBigEndian();
            for (int i = 0; i < n; i++) {
                float s = 0;
                for (int c = 0; c < ch; c++) {
                    int o = 2 * (i * ch + c);
                    int v = big ? (b[o] << 8) | (b[o + 1] & 0xff) : (b[o + 1] << 8) | (b[o] & 0xff);
                    s += v / 32768f;
                }
                x[i] = s / ch;
            }
            return new Object[] {x, (int) f.getSampleRate()};
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(wav + " is not a readable WAV file: " + e.getMessage(), e);
        }
    }

    /** Reads the frequency column of an {@code f0.csv} ({@code time,frequency,voiced}). */
    public static float[] readReference(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        float[] f = new float[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) f[i - 1] = Float.parseFloat(lines.get(i).split(",")[1]);
        return f;
    }

    /**
     * Scores an estimate against a reference on the same frame grid.
     *
     * @param ref reference f0 in Hz, 0 = unvoiced, {@code [nFrames]}
     * @param est estimated f0 in Hz, {@code <= 0} = unvoiced, {@code [nFramesEst]}; frames past its end
     *     count as unvoiced
     * @param guardFrames {@code g}: frames {@code i-g .. i+g-1} around each note change are not scored
     */
    public static Score score(String name, String instrument, float[] ref, float[] est, int guardFrames, double seconds) {
        int n = ref.length;
        boolean[] guard = new boolean[n];
        for (int i = 1; i < n; i++) {
            boolean change = (ref[i] > 0) != (ref[i - 1] > 0)
                    || (ref[i] > 0 && ref[i - 1] > 0 && Math.abs(1200 * log2(ref[i] / ref[i - 1])) > 60);
            if (change) {
                for (int j = Math.max(0, i - guardFrames); j < Math.min(n, i + guardFrames); j++) guard[j] = true;
            }
        }
        int voiced = 0, hits = 0, chroma = 0, unv = 0, fa = 0;
        for (int i = 0; i < n; i++) {
            if (guard[i]) continue;
            float e = i < est.length ? est[i] : 0f;
            if (ref[i] > 0) {
                voiced++;
                if (e <= 0) continue;
                double c = 1200 * log2((double) e / ref[i]);
                if (Math.abs(c) <= 50) hits++;
                double cc = ((c + 600) % 1200 + 1200) % 1200 - 600; // Python's % is floored
                if (Math.abs(cc) <= 50) chroma++;
            } else {
                unv++;
                if (e > 0) fa++;
            }
        }
        return new Score(name, instrument, voiced, hits, chroma, unv, fa, seconds);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** The estimate as scored: f0 on voiced frames, 0 elsewhere. */
    public static float[] voicedF0(PitchTrack t) {
        float[] e = new float[t.nFrames()];
        for (int i = 0; i < e.length; i++) e[i] = t.voiced()[i] ? t.f0Hz()[i] : 0f;
        return e;
    }

    /**
     * Runs the tracker on every file of the manifest.
     *
     * @param tracker configures a tracker per sample rate (the renders are all 16 kHz)
     * @param writeDir if not null, each estimate is written there as {@code TAG.txt}
     */
    public static List<Score> evaluate(Path dataDir, java.util.function.IntFunction<PitchTracker> tracker,
                                       double guardMs, Path writeDir) throws IOException {
        return evaluateTracks(dataDir, sr -> {
            PitchTracker t = tracker.apply(sr);
            return new Tracker(t.frameRate(), t::track);
        }, guardMs, writeDir);
    }

    /** A tracker of any kind: its frame rate and what it makes of a whole signal. */
    public record Tracker(int frameRate, java.util.function.Function<float[], PitchTrack> track) {}

    /** The live tracker, scored the same way: each file pushed through a fresh {@link LiveTracker} block by block. */
    public static List<Score> evaluateLive(Path dataDir, java.util.function.IntFunction<LiveTracker> tracker,
                                           double guardMs, Path writeDir) throws IOException {
        return evaluateTracks(dataDir, sr -> {
            LiveTracker t = tracker.apply(sr);
            return new Tracker(t.frameRate(), t::track);
        }, guardMs, writeDir);
    }

    /** {@link #evaluate} for any tracker. */
    public static List<Score> evaluateTracks(Path dataDir, java.util.function.IntFunction<Tracker> tracker,
                                             double guardMs, Path writeDir) throws IOException {
        List<Score> out = new ArrayList<>();
        for (String[] row : manifest(dataDir)) {
            Path wav = dataDir.resolve(row[0]);
            if (!Files.isRegularFile(wav)) continue;
            Object[] w = readWav(wav);
            float[] x = (float[]) w[0];
            int sr = (int) w[1];
            Tracker t = tracker.apply(sr);
            if (t.frameRate() != 250) {
                throw new IllegalArgumentException("the ground truth is at 250 frames/s, tracker runs at " + t.frameRate());
            }
            float[] est = voicedF0(t.track().apply(x));
            float[] ref = readReference(dataDir.resolve(row[1]));
            int g = (int) Math.round(guardMs * 250 / 1000);
            String name = row[0].replaceAll("\\.wav$", "");
            out.add(score(name, row[2], ref, est, g, x.length / (double) sr));
            if (writeDir != null) {
                Files.createDirectories(writeDir);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < est.length; i++) sb.append(String.format(Locale.ROOT, "%.3f %.3f%n", i / 250.0, est[i]));
                Files.writeString(writeDir.resolve(name.replace('/', '_') + ".txt"), sb);
            }
        }
        return out;
    }

    /** Sum of the counts of {@code scores}. */
    public static Score pooled(List<Score> scores, String name) {
        Score p = new Score(name, "", 0, 0, 0, 0, 0, 0);
        for (Score s : scores) p = p.plus(s, name, "");
        return p;
    }

    /** Per-file, per-instrument and pooled table. */
    public static String table(List<Score> scores) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-40s %7s %7s %7s %7s %7s%n";
        sb.append(String.format(Locale.ROOT, fmt, "file", "frames", "RPA", "RCA", "octave", "vox_fa"));
        for (Score s : scores) sb.append(row(s));
        java.util.LinkedHashMap<String, List<Score>> byInst = new java.util.LinkedHashMap<>();
        for (Score s : scores) byInst.computeIfAbsent(s.instrument(), k -> new ArrayList<>()).add(s);
        for (var e : byInst.entrySet()) sb.append(row(pooled(e.getValue(), "[" + e.getKey() + "]")));
        sb.append(row(pooled(scores, "POOLED")));
        return sb.toString();
    }

    private static String row(Score s) {
        return String.format(Locale.ROOT, "%-40s %7d %7.4f %7.4f %7.4f %7.4f%n", s.name(), s.voicedFrames(),
                s.rpa(), s.rca(), s.octaveErrorRate(), s.falseAlarmRate());
    }

    public static void main(String[] args) throws IOException {
        Path dir = defaultDataDir();
        Path write = null;
        double guard = 40;
        PitchTrackerOptions o = new PitchTrackerOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--write" -> write = Path.of(args[++i]);
                case "--guard-ms" -> guard = Double.parseDouble(args[++i]);
                case "--jump" -> o.jump = Double.parseDouble(args[++i]);
                case "--switch" -> o.sw = Double.parseDouble(args[++i]);
                case "--uv-bias" -> o.uv = Double.parseDouble(args[++i]);
                case "--silence-db" -> o.silence = Double.parseDouble(args[++i]);
                case "--no-onsets" -> o.onsets = false;
                case "--live" -> o.live = true;
                case "--delay" -> o.delay = Integer.parseInt(args[++i]);
                case "--look" -> o.look = Integer.parseInt(args[++i]);
                case "--live-window" -> o.liveWindow = Integer.parseInt(args[++i]);
                case "--onset-look" -> o.onsetLook = Integer.parseInt(args[++i]);
                case "--window" -> o.window = Integer.parseInt(args[++i]);
                case "--fmin" -> o.fMin = Float.parseFloat(args[++i]);
                case "--fmax" -> o.fMax = Float.parseFloat(args[++i]);
                default -> {
                    if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
                    dir = Path.of(args[i]);
                }
            }
        }
        long t0 = System.nanoTime();
        List<Score> scores = o.live ? evaluateLive(dir, o::live, guard, write) : evaluate(dir, o::tracker, guard, write);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.print(table(scores));
        double audio = scores.stream().mapToDouble(Score::seconds).sum();
        System.out.printf(Locale.ROOT, "%d files, %.1f s of audio, guard %.0f ms, wall %.2f s (incl. I/O and JIT warm-up)%n",
                scores.size(), audio, guard, secs);
    }

    /** Tracker options settable from the command line (for tuning studies). */
    private static final class PitchTrackerOptions {
        Double jump, sw, uv, silence;
        Float fMin, fMax;
        Integer window;
        boolean onsets = true, live;
        Integer delay, look, liveWindow, onsetLook;

        LiveTracker live(int sr) {
            LiveTracker.Builder b = LiveTracker.builder(sr).pitch(tracker(sr)).onsetRelabelling(onsets);
            if (delay != null) b.delayFrames(delay);
            if (look != null) b.lookAheadSamples(look);
            if (liveWindow != null) b.windowSamples(liveWindow);
            if (onsetLook != null) b.onsetLookFrames(onsetLook);
            return b.build();
        }

        PitchTracker tracker(int sr) {
            PitchTracker.Builder b = PitchTracker.builder(sr);
            if (jump != null) b.jumpCostPerSemitone(jump);
            if (sw != null) b.switchCost(sw);
            if (uv != null) b.unvoicedBias(uv);
            if (silence != null) b.silenceDb(silence);
            if (fMin != null) b.fMinHz(fMin);
            if (fMax != null) b.fMaxHz(fMax);
            if (window != null) b.windowSamples(window);
            b.onsetRelabelling(onsets);
            return b.build();
        }
    }
}
