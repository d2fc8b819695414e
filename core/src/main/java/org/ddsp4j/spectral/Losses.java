package org.ddsp4j.spectral;

import java.util.Arrays;
import org.ddsp4j.tensor.Tensor;

/** Elementwise reconstruction losses (magenta/ddsp {@code losses.mean_difference}). */
public final class Losses {
    /** Per-element distance. */
    public enum Type {
        /** {@code |target - value|}. */
        L1,
        /** {@code (target - value)^2}. */
        L2
    }

    private Losses() {}

    /**
     * Mean over all elements of {@code |target - value|} (L1) or {@code (target - value)^2} (L2); rank 0.
     * Shapes must be equal (no broadcasting, so a transposed argument fails instead of averaging nonsense).
     */
    public static Tensor meanDifference(Tensor target, Tensor value, Type type) {
        if (!Arrays.equals(target.shape(), value.shape())) {
            throw new IllegalArgumentException("meanDifference: target shape " + Arrays.toString(target.shape())
                    + " differs from value shape " + Arrays.toString(value.shape()));
        }
        Tensor d = target.sub(value);
        return (type == Type.L1 ? d.abs() : d.square()).mean();
    }

    /**
     * {@link #dryLevel}'s knee and floor, as powers relative to the example's mean: frames more than 20 dB below it are
     * pushed down (a reverberant recording's tails), louder ones hardly (the notes), and below -60 dB not at all.
     */
    public static final float DRY_LEVEL_KNEE = 1e-2f, DRY_LEVEL_FLOOR = 1e-6f;

    /**
     * How loud a model's dry path plays where it is quiet: the mean over frames and examples of
     * {@code ln((r + FLOOR) / (r + KNEE))}, {@code r = P_dry[b, f] / P_target[b]}, the dry signal's mean power in frame
     * {@code f} over the target's mean power in example {@code b} (a constant). Its slope in {@code ln r} is about 1
     * between the floor and the knee and about {@code KNEE / r} above it. Added to the reconstruction loss with a
     * small weight it breaks a tie: where the reconstruction does not care whether the decoder or the room plays a
     * sound (a reverberant recording's tails, 20-60 dB below the notes), the dry path is pushed down, so the room plays
     * it; the notes, which only the dry path can play, keep their level.
     *
     * @param dry    {@code [B, F * hop]} the dry signal
     * @param target {@code [B, F * hop]} the recording (no gradient)
     * @param hop    samples per frame
     * @return rank 0, in nepers of power, in {@code [ln(FLOOR / KNEE), 0)}
     */
    public static Tensor dryLevel(Tensor dry, Tensor target, int hop) {
        int[] s = dry.shape();
        if (s.length != 2 || !Arrays.equals(s, target.shape()) || hop < 1 || s[1] % hop != 0) {
            throw new IllegalArgumentException("dryLevel: dry " + Arrays.toString(s) + " and target " + Arrays.toString(target.shape())
                    + " must be the same [B, frames * hop] with hop " + hop);
        }
        int b = s[0], n = s[1];
        float[] t = target.data(), inverse = new float[b];
        for (int row = 0; row < b; row++) {
            double p = 0;
            for (int i = row * n; i < (row + 1) * n; i++) p += (double) t[i] * t[i];
            inverse[row] = (float) (1 / Math.max(p / n, 1e-12));
        }
        Tensor framePower = dry.reshape(b, n / hop, hop).square().mean(2, false);
        Tensor r = framePower.mul(Tensor.of(inverse, b, 1));
        return r.add(DRY_LEVEL_FLOOR).log().sub(r.add(DRY_LEVEL_KNEE).log()).mean();
    }
}
