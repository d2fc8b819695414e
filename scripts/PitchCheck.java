// Pitch tracker check (docs/results/pitch.md, "Tails, silence and octaves"): per-instrument and pooled RPA, RCA,
// octave errors (PitchEvaluation's scorer), octave-low frames, and confident frames at the search floor, on
// rendered folders (manifest.csv + f0 truth) and on plain recordings (FLAC/WAV, no truth: floor frames only).
//   source scripts/java-env.sh && mvn -B -o -q -pl audio -am -DskipTests compile
//   java --add-modules jdk.incubator.vector -cp core/target/classes:audio/target/classes \
//       scripts/PitchCheck.java [--live] [--no-onsets] DIR_OR_FILE...
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.features.*;
import java.nio.file.*;
import java.util.*;

/** Accuracy and confident-floor counts of the offline (or live) tracker. */
public class PitchCheck {
    /** Confidence at or above which a frame counts as voiced everywhere in ddsp4j. */
    static final float CONFIDENT = 0.5f;
    /** Sample rate the audio is resampled to before tracking (0: as read; recordings default to 16 kHz). */
    static int RATE;

    record Extra(int frames, int confidentFloor, int confidentUnvoicedTruth, int octaveLow, int voicedScored) {
        Extra plus(Extra o) {
            return new Extra(frames + o.frames, confidentFloor + o.confidentFloor,
                    confidentUnvoicedTruth + o.confidentUnvoicedTruth, octaveLow + o.octaveLow, voicedScored + o.voicedScored);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean live = false, onsets = true;
        int rate = 0;
        List<Path> inputs = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--live" -> live = true;
                case "--no-onsets" -> onsets = false;
                default -> {
                    if (a.startsWith("--rate=")) rate = Integer.parseInt(a.substring(7));
                    else inputs.add(Path.of(a));
                }
            }
        }
        final boolean isLive = live, withOnsets = onsets;
        RATE = rate;
        java.util.function.IntFunction<PitchEvaluation.Tracker> make = sr -> {
            PitchTracker t = PitchTracker.builder(sr).onsetRelabelling(withOnsets).build();
            if (!isLive) return new PitchEvaluation.Tracker(t.frameRate(), t::track);
            LiveTracker l = LiveTracker.builder(sr).pitch(t).onsetRelabelling(withOnsets).build();
            return new PitchEvaluation.Tracker(l.frameRate(), l::track);
        };
        float floorHz = PitchTracker.builder(16000).build().fMinHz();
        for (Path in : inputs) {
            if (Files.isRegularFile(in.resolve("manifest.csv"))) manifest(in, make, floorHz);
            else recording(in, make, floorHz);
        }
    }

    static void manifest(Path dir, java.util.function.IntFunction<PitchEvaluation.Tracker> make, float floorHz) throws Exception {
        List<PitchEvaluation.Score> scores = new ArrayList<>();
        Map<String, Extra> byInst = new LinkedHashMap<>();
        Extra all = new Extra(0, 0, 0, 0, 0);
        List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            Path wav = dir.resolve(p[0]);
            if (!Files.isRegularFile(wav)) continue;
            Object[] w = PitchEvaluation.readWav(wav);
            float[] x = (float[]) w[0];
            int sr = (int) w[1];
            if (RATE > 0 && RATE != sr) { x = org.ddsp4j.audio.Resampler.resample(x, sr, RATE); sr = RATE; }
            PitchTrack t = make.apply(sr).track().apply(x);
            float[] ref = PitchEvaluation.readReference(dir.resolve(p[1]));
            String name = p[0].replaceAll("\\.wav$", "");
            scores.add(PitchEvaluation.score(name, p[3], ref, PitchEvaluation.voicedF0(t), 10, x.length / (double) sr));
            Extra e = extra(t, ref, floorHz);
            byInst.merge(p[3], e, Extra::plus);
            all = all.plus(e);
            if (e.confidentFloor > 0 || e.octaveLow > 0) {
                System.out.printf(Locale.ROOT, "  %s: confident floor frames %d, octave-low %d%n", name, e.confidentFloor, e.octaveLow);
            }
        }
        System.out.println("== " + dir);
        System.out.print(PitchEvaluation.table(scores));
        for (var en : byInst.entrySet()) print("[" + en.getKey() + "]", en.getValue());
        print("POOLED", all);
    }

    static void print(String name, Extra e) {
        System.out.printf(Locale.ROOT, "%-14s frames %6d  confident-floor %5d  confident-in-truth-silence %5d  octave-low %5d of %6d voiced (%.4f)%n",
                name, e.frames, e.confidentFloor, e.confidentUnvoicedTruth, e.octaveLow, e.voicedScored,
                e.octaveLow / (double) Math.max(1, e.voicedScored));
    }

    /** ref: truth f0 per frame (0 = unvoiced) or null. */
    static Extra extra(PitchTrack t, float[] ref, float floorHz) {
        int floor = 0, silent = 0, low = 0, voiced = 0;
        for (int i = 0; i < t.nFrames(); i++) {
            boolean confident = t.confidence()[i] >= CONFIDENT;
            if (confident && t.f0Hz()[i] <= floorHz * 1.05f) floor++;
            if (ref == null || i >= ref.length) continue;
            if (ref[i] <= 0) {
                if (confident) silent++;
            } else {
                voiced++;
                if (t.voiced()[i] && Math.abs(1200 * Math.log(2 * t.f0Hz()[i] / ref[i]) / Math.log(2)) <= 50) low++;
            }
        }
        return new Extra(t.nFrames(), floor, silent, low, voiced);
    }

    static void recording(Path file, java.util.function.IntFunction<PitchEvaluation.Tracker> make, float floorHz) throws Exception {
        int sr = RATE > 0 ? RATE : 16000;
        float[] x = AudioFile.readMono(file, sr);
        PitchTrack t = make.apply(sr).track().apply(x);
        Extra e = extra(t, null, floorHz);
        System.out.printf(Locale.ROOT, "%s: %d frames, confident floor frames %d%n", file, e.frames, e.confidentFloor);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.nFrames(); i++) {
            if (t.confidence()[i] >= CONFIDENT && t.f0Hz()[i] <= floorHz * 1.05f) {
                sb.append(String.format(Locale.ROOT, " %.3fs(%.1fHz,c%.2f)", i / (double) t.frameRate(), t.f0Hz()[i], t.confidence()[i]));
                if (sb.length() > 600) { sb.append(" ..."); break; }
            }
        }
        if (!sb.isEmpty()) System.out.println("  " + sb);
    }
}
