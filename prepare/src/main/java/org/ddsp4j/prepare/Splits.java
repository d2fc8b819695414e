package org.ddsp4j.prepare;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Train/eval assignment, deterministic by file: a file goes to eval when the first 8 bytes of the
 * SHA-256 of its relative path (UTF-8, '/' separators), read as an unsigned fraction of 2^64, are below
 * the eval fraction. The same file therefore lands in the same split on every run and machine, and all
 * examples of one file stay in one split (no overlap leaks between train and eval). magenta instead
 * hashes 20 s chunks' audio; splitting by file is stricter.
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

    /** "eval" or "train" for a file. */
    public static String of(String relativePath, double evalFraction) {
        return unit(relativePath) < evalFraction ? EVAL : TRAIN;
    }
}
