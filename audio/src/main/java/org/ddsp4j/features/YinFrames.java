package org.ddsp4j.features;

import java.util.Arrays;

/**
 * The YIN difference function frame by frame (stage 1 of {@link PitchTracker} and {@link LiveTracker}):
 * {@code d(tau)} of the frame centred at sample {@code c = i * hop}, summed from per-block partial sums
 * ({@link YinDifference#block}) that consecutive frames share, with every lag centred on the frame as far
 * as the look-ahead allows.
 *
 * <p>The integration window is {@code nBlocks} blocks of {@code hop} samples. Lag {@code tau} compares
 * {@code x[j]} with {@code x[j + tau]}; the pairs' midpoints are centred on the frame when the window starts
 * {@code tau / 2} samples early, rounded to whole blocks: lag {@code tau} uses the window shifted back by
 * {@code s(tau) = round(tau / (2 hop))} blocks, i.e. samples {@code [c - half - s hop, c - half - s hop +
 * window)} and their partners {@code tau} later ({@code half = window / 2}). With a bounded look-ahead
 * {@code L} (a frame may read samples before {@code c + L} only), a long lag is shifted back further, to
 * {@code s(tau) = max(round(tau / (2 hop)), ceil((window - half + tau - L) / hop))}: its pairs are then
 * centred up to a few blocks before the frame (the price of causality, paid only by low pitches). The
 * offline tracker has no bound and centres every lag.
 *
 * <p>Blocks are keyed by their index {@code q} (block {@code q} starts at sample {@code q * hop - half});
 * frame {@code i} at shift {@code s} uses blocks {@code i - s .. i - s + nBlocks - 1}. A block's lags are
 * computed when a frame first needs them, in increasing order, so its short lags can be computed before the
 * samples its long lags read have arrived; each (block, lag) is computed once. Not thread-safe (it caches);
 * allocates nothing per frame.
 */
final class YinFrames {
    final int hop, nLags, nBlocks, window, half, maxShift, lookAhead;
    /** Lags {@code [bandLo[s], bandHi[s])} use shift {@code s}; empty bands have {@code lo == hi}. */
    private final int[] bandLo, bandHi;
    private final int ringSize;
    private final float[][] ring;
    private final long[] ringQ;
    private final int[] ringLags;

    /**
     * @param hop       samples between frames (and block length)
     * @param nLags     lags {@code 0 .. nLags - 1} are computed
     * @param nBlocks   integration window in blocks
     * @param lookAhead a frame centred at {@code c} reads samples before {@code c + lookAhead} only
     *                  ({@link Integer#MAX_VALUE}: unbounded, every lag centred)
     */
    YinFrames(int hop, int nLags, int nBlocks, int lookAhead) {
        this.hop = hop;
        this.nLags = nLags;
        this.nBlocks = nBlocks;
        this.window = nBlocks * hop;
        this.half = window / 2;
        this.lookAhead = lookAhead;
        int[] shift = new int[nLags];
        for (int tau = 0; tau < nLags; tau++) {
            int centred = Math.round(tau / (2f * hop));
            long need = (long) window - half + tau - lookAhead;
            int causal = need <= 0 ? 0 : (int) ((need + hop - 1) / hop);
            shift[tau] = Math.max(centred, causal);
        }
        maxShift = shift[nLags - 1];
        bandLo = new int[maxShift + 1];
        bandHi = new int[maxShift + 1];
        Arrays.fill(bandLo, nLags);
        Arrays.fill(bandHi, nLags);
        for (int tau = nLags - 1; tau >= 0; tau--) bandLo[shift[tau]] = tau;
        for (int s = maxShift - 1; s >= 0; s--) {
            bandHi[s] = bandLo[s + 1];
            if (bandLo[s] > bandHi[s]) bandLo[s] = bandHi[s]; // no lag at this shift
        }
        ringSize = maxShift + nBlocks;
        ring = new float[ringSize][nLags];
        ringQ = new long[ringSize];
        Arrays.fill(ringQ, Long.MIN_VALUE);
        ringLags = new int[ringSize];
        long reach = (long) window - half + nLags - 1 - (long) shift[nLags - 1] * hop;
        if (lookAhead != Integer.MAX_VALUE && reach > lookAhead) {
            throw new IllegalStateException("lag schedule reaches " + reach + " samples ahead, over the look-ahead " + lookAhead);
        }
    }

    /** First sample (relative to the frame centre) any lag of a frame reads: {@code -half - maxShift * hop}. */
    int firstOffset() {
        return -half - maxShift * hop;
    }

    /** A bound (relative to the frame centre) below which every sample a frame reads lies. */
    int endOffset() {
        long unbounded = (long) window - half + nLags - 1;
        return (int) Math.min(unbounded, lookAhead);
    }

    /**
     * Difference function of frame {@code frame} (centred at absolute sample {@code frame * hop}).
     *
     * @param x       samples; absolute sample {@code p} is {@code x[p + xOffset]}, and every sample the
     *                frame reads ({@link #firstOffset()} .. {@link #endOffset()} around the centre) must be there
     * @param d       receives {@code d(tau)}, {@code [nLags]}
     */
    void difference(float[] x, long xOffset, long frame, float[] d) {
        Arrays.fill(d, 0, nLags, 0f);
        for (int s = 0; s <= maxShift; s++) {
            int lo = bandLo[s], hi = bandHi[s];
            if (lo >= hi) continue;
            for (int m = 0; m < nBlocks; m++) {
                long q = frame - s + m;
                int slot = (int) Math.floorMod(q, (long) ringSize);
                if (ringQ[slot] != q) {
                    ringQ[slot] = q;
                    ringLags[slot] = 0;
                }
                if (ringLags[slot] < hi) {
                    int start = (int) (q * hop - half + xOffset);
                    YinDifference.block(x, start, hop, ringLags[slot], hi, ring[slot]);
                    ringLags[slot] = hi;
                }
                YinDifference.addScaled(d, ring[slot], 1f, lo, hi);
            }
        }
    }

    /** Forgets every cached block (a new stream, or samples that changed). */
    void reset() {
        Arrays.fill(ringQ, Long.MIN_VALUE);
        Arrays.fill(ringLags, 0);
    }

    /**
     * The silence gate: a frame gets no pitch candidates when its centred window
     * ({@code [c - half, c - half + window)}, energy {@code central}) is below {@code gate} (the absolute level,
     * {@code silenceRms^2 * window}), or more than {@code 1 / relative} times quieter per sample than all the
     * frame reads ({@code whole} over {@code spanLength} samples): the window is silent but the lagged samples
     * reach into a coming note, and {@code d(tau) ~ 0 / 0} shows false dips.
     */
    boolean gated(double central, double whole, int spanLength, double gate, double relative) {
        return central < gate || central * spanLength < relative * whole * window;
    }
}
