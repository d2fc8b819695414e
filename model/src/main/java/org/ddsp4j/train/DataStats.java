package org.ddsp4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.io.Json;

/**
 * Pitch and loudness statistics of a training set over its confidently pitched frames, what timbre
 * transfer needs to move a source toward the training distribution (magenta/ddsp's
 * {@code compute_dataset_statistics}, reduced to moments).
 *
 * @param meanPitchMidi   mean f0 in MIDI over frames with confidence >= {@link #CONFIDENCE}
 * @param meanLoudnessDb  mean loudness (dB) over those frames
 * @param stdLoudnessDb   its standard deviation
 * @param frames          how many frames were counted
 */
public record DataStats(double meanPitchMidi, double meanLoudnessDb, double stdLoudnessDb, long frames) {
    /** f0 confidence above which a frame counts as pitched. */
    public static final float CONFIDENCE = 0.5f;

    public static DataStats of(List<Examples.Example> examples) {
        double sp = 0, sl = 0, sll = 0;
        long n = 0;
        for (Examples.Example e : examples) {
            for (int i = 0; i < e.f0Hz().length; i++) {
                if (e.f0Confidence()[i] >= CONFIDENCE && e.f0Hz()[i] > 0) {
                    sp += 12 * Math.log(e.f0Hz()[i] / 440.0) / Math.log(2) + 69;
                    sl += e.loudnessDb()[i];
                    sll += (double) e.loudnessDb()[i] * e.loudnessDb()[i];
                    n++;
                }
            }
        }
        if (n == 0) return new DataStats(Double.NaN, Double.NaN, Double.NaN, 0);
        double ml = sl / n;
        return new DataStats(sp / n, ml, Math.sqrt(Math.max(0, sll / n - ml * ml)), n);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean_pitch_midi", meanPitchMidi);
        m.put("mean_loudness_db", meanLoudnessDb);
        m.put("std_loudness_db", stdLoudnessDb);
        m.put("frames", (double) frames);
        AtomicFiles.writeString(file, Json.write(m, true));
    }

    public static DataStats read(Path file) throws IOException {
        Map<String, Object> m = Json.parseObject(Files.readString(file));
        return new DataStats(num(m, "mean_pitch_midi", file), num(m, "mean_loudness_db", file),
                num(m, "std_loudness_db", file), (long) num(m, "frames", file));
    }

    private static double num(Map<String, Object> m, String k, Path f) {
        if (!(m.get(k) instanceof Number v)) throw new IllegalArgumentException(f + ": missing number '" + k + "'");
        return v.doubleValue();
    }
}
