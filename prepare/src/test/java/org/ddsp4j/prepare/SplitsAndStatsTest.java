package org.ddsp4j.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.ddsp4j.data.DdspExample;
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
    void longFilesSplitByBlocksNoExampleSharesAudioWithTheOtherSplitAndTheShareFollowsTheFraction() {
        int sr = 16000, len = 4 * sr, stride = sr;
        long evalSamples = 0, allSamples = 0, dropped = 0, examples = 0;
        // Six 35 s files, as in the issue: whole-file splitting put 2 of 6 (a third of the audio) in eval at 0.1.
        for (int file = 0; file < 200; file++) {
            String rel = "take" + file + ".wav";
            long samples = 35L * sr;
            boolean[] evalSample = new boolean[(int) samples], trainSample = new boolean[(int) samples];
            for (int start = 0; start + len <= samples; start += stride) {
                examples++;
                String split = Splits.ofExample(rel, 0.1, start, start + len, samples, sr);
                if (split == null) {
                    dropped++;
                    continue;
                }
                boolean[] mark = split.equals(Splits.EVAL) ? evalSample : trainSample;
                for (int i = start; i < start + len; i++) mark[i] = true;
                if (split.equals(Splits.EVAL)) evalSamples += len;
                allSamples += len;
            }
            for (int i = 0; i < samples; i++) assertTrue(!(evalSample[i] && trainSample[i]), rel + ": sample " + i + " in both splits");
            assertEquals(Splits.of(rel, 0.1), Splits.ofExample(rel, 0.1, 0, len, samples, sr), "the first block keeps the file's hash");
        }
        double share = (double) evalSamples / allSamples;
        assertTrue(Math.abs(share - 0.1) < 0.03, "eval share of the examples' audio " + share);
        assertTrue(dropped < 0.15 * examples, "guard drops " + dropped + " of " + examples);
        // A short file stays whole; padding past a file's end belongs to its last block.
        assertEquals(Splits.of("short.wav", 0.5), Splits.ofExample("short.wav", 0.5, 0, len, 3 * sr, sr));
        String last = Splits.ofBlock("x.wav", 1, 0.5);
        assertEquals(last, Splits.ofExample("x.wav", 0.5, 13L * sr, 17L * sr, 15L * sr, sr), "the padded tail is the last block's");
    }

    @Test
    void skipReasonNumbers() {
        assertEquals("3", PrepareStats.num(3.0));
        assertEquals("0.25", PrepareStats.num(0.25));
        assertEquals("0.333333", PrepareStats.num(1 / 3.0));
    }

    /** The per-file statistics cross Beam steps through {@link PrepareStats.StatsCoder}: exact, no Java serialization. */
    @Test
    void statsCoderRoundTripsExactly() throws IOException {
        PrepareConfig cfg = new PrepareConfig(16000, 250, 4, 1, 0.5, 2, 1.0, false, 0.5);
        PrepareStats s = new PrepareStats(cfg.confidenceThreshold());
        Random r = new Random(3);
        for (String split : List.of(Splits.TRAIN, Splits.EVAL, Splits.TRAIN)) {
            float[] f0 = new float[1001], c = new float[1001], l = new float[1001];
            for (int i = 0; i < f0.length; i++) {
                f0[i] = (float) (200 + 300 * r.nextDouble());
                c[i] = r.nextFloat();
                l[i] = (float) (-60 + 50 * r.nextDouble());
            }
            s.addExample(new DdspExample(new float[64000], f0, c, l), split);
            s.addFile(70000, split.equals(Splits.TRAIN), split.equals(Splits.EVAL));
        }
        s.addSkipped("/in/bad.wav", "unreadable: " + "x".repeat(70000) + " \u00e9\u266b"); // beyond writeUTF's 64 kB, non-ASCII

        PrepareStats.StatsCoder coder = new PrepareStats.StatsCoder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        coder.encode(s, bytes);
        bytes.write(42); // a nested coder must read exactly its own bytes
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        PrepareStats back = coder.decode(in);
        assertEquals(42, in.read());
        assertEquals(s.toStats(cfg), back.toStats(cfg));
        // Merging decoded parts equals merging the originals (the combine step sees decoded values).
        assertEquals(new PrepareStats(0.5).merge(s).merge(s).toStats(cfg), new PrepareStats(0.5).merge(back).merge(s).toStats(cfg));

        bytes.reset();
        new DataOutputStream(bytes).writeInt(99);
        IOException e = assertThrows(IOException.class, () -> coder.decode(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void inputFileCoderRoundTrips() throws IOException {
        InputFiles.InputFile f = new InputFiles.InputFile("/data/\u00e9t\u00e9/a.wav", "\u00e9t\u00e9/a.wav", 1L << 40);
        InputFiles.InputFileCoder coder = new InputFiles.InputFileCoder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        coder.encode(f, bytes);
        coder.encode(f, bytes);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());
        assertEquals(f, coder.decode(in));
        assertEquals(f, coder.decode(in));
        assertEquals(-1, in.read());
    }
}
