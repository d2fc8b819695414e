package org.ddsp4j.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitsAndStatsTest {
    @Test
    void splitIsDeterministicAndNearTheFraction() {
        int eval = 0, n = 20000;
        for (int i = 0; i < n; i++) {
            String rel = "dir" + (i % 7) + "/take_" + i + ".wav";
            String s = Splits.of(rel, 0.1);
            assertEquals(s, Splits.of(rel, 0.1));
            if (s.equals(Splits.EVAL)) eval++;
        }
        // Binomial(20000, 0.1): std 42; 5 sigma.
        assertTrue(Math.abs(eval - 2000) < 212, "eval count " + eval);
        assertEquals(Splits.TRAIN, Splits.of("anything.wav", 0.0));
        // A file in eval at 10 % stays in eval at 20 % (monotone in the fraction).
        for (int i = 0; i < 1000; i++) {
            String rel = "f" + i;
            if (Splits.of(rel, 0.1).equals(Splits.EVAL)) assertEquals(Splits.EVAL, Splits.of(rel, 0.2));
        }
    }

    @Test
    void histogramQuantilesWithinOneBinOfExact() {
        Random r = new Random(5);
        Histogram h = new Histogram(0, 0.1, 1400);
        double[] v = new double[5001];
        for (int i = 0; i < v.length; i++) {
            v[i] = 60 + 7 * r.nextGaussian();
            h.add(v[i]);
        }
        double[] s = v.clone();
        Arrays.sort(s);
        for (int p = 0; p <= 100; p += 5) {
            double rank = p / 100.0 * (s.length - 1);
            int lo = (int) Math.floor(rank);
            double exact = s[lo] + (rank - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
            assertEquals(exact, h.quantile(p / 100.0), 0.1, "quantile " + p);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
        assertEquals(mean, h.mean(), 1e-9);
        assertEquals(Math.sqrt(var), h.std(), 1e-6);
        assertEquals(s[0], h.min());
        assertEquals(s[s.length - 1], h.max());
    }

    @Test
    void hzToMidi() {
        assertEquals(69, DatasetStats.hzToMidi(440), 1e-12);
        assertEquals(57, DatasetStats.hzToMidi(220), 1e-12);
        assertEquals(60, DatasetStats.hzToMidi(261.6255653), 1e-6);
    }

    @Test
    void jsonEscapesAndNumbers() {
        assertEquals("\"a\\\"b\\\\c\\n\"", DatasetStats.str("a\"b\\c\n"));
        assertEquals("3", DatasetStats.num(3.0));
        assertEquals("0.25", DatasetStats.num(0.25));
        assertEquals("null", DatasetStats.num(Double.NaN));
    }
}
