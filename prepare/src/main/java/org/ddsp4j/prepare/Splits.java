package org.ddsp4j.prepare;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Train/eval assignment, deterministic by position in a file: a file is cut into blocks of
 * {@link #BLOCK_SECONDS}, and a block goes to eval when the first 8 bytes of the SHA-256 of its key (the
 * file's relative path, UTF-8, '/' separators, plus {@code "#b"} for block b > 0), read as an unsigned
 * fraction of 2^64, are below the eval fraction. The same audio therefore lands in the same split on every
 * run and machine; a file no longer than one block is split as a whole, as before blocks existed. An example
 * is in a block's split when every block it touches has that split; one that straddles a train block and an
 * eval block is dropped (the guard: no audio is shared between the splits). With few long files, a file-level
 * split put a third of the audio into eval (2 of 6 files at fraction 0.1); blocks make the eval share follow
 * the fraction. magenta hashes 20 s chunks' audio.
 */
public final class Splits {
    public static final String TRAIN = "train";
    public static final String EVAL = "eval";

    private Splits() {}

    /** Position of {@code relativePath} in [0, 1). */
    public static double unit(String relativePath) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(relativePath.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
            return (v >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Length of the blocks assigned to a split, seconds. */
    public static final double BLOCK_SECONDS = 10;

    /** "eval" or "train" for a file's first block (and so for a whole file no longer than one block). */
    public static String of(String relativePath, double evalFraction) {
        return ofBlock(relativePath, 0, evalFraction);
    }

    /** "eval" or "train" for block {@code block} (from 0) of a file. */
    public static String ofBlock(String relativePath, long block, double evalFraction) {
        return unit(block == 0 ? relativePath : relativePath + "#" + block) < evalFraction ? EVAL : TRAIN;
    }

    /**
     * The split of the example covering samples {@code [start, end)} of a file of {@code fileSamples} samples
     * (padding past the end counts as the last block), or null when it touches blocks of both splits.
     */
    public static String ofExample(String relativePath, double evalFraction, long start, long end, long fileSamples, int sampleRate) {
        long block = Math.round(BLOCK_SECONDS * sampleRate), last = Math.max(0, (fileSamples - 1) / block);
        long first = Math.min(start / block, last), lastTouched = Math.min(Math.max(start, end - 1) / block, last);
        String split = ofBlock(relativePath, first, evalFraction);
        for (long b = first + 1; b <= lastTouched; b++) {
            if (!ofBlock(relativePath, b, evalFraction).equals(split)) return null;
        }
        return split;
    }
}
