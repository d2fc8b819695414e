package org.ddsp4j.features;

/**
 * The Viterbi recursion over per-frame pitch candidates, shared by {@link PitchTracker} (whole track,
 * traced back from the end) and {@link LiveTracker} (forward only, decided a fixed number of frames late).
 * States per frame: {@code 0} = unvoiced, {@code 1 .. n} = candidate {@code c - 1}. Emission: {@code log p}
 * of a candidate, {@code log(1 - P) + unvoicedBias} for unvoiced ({@code P} the frame's voicing
 * probability); transition: a Laplacian pitch-jump cost per semitone between voiced states (the octave-error
 * guard: an isolated octave jump costs two jumps of 12 semitones) and a fixed cost for switching voicing.
 * Immutable; {@link #step} allocates nothing.
 */
final class PitchViterbi {
    private static final double EPS = 1e-9;
    private static final double SEMITONES_PER_NAT = 12 / Math.log(2);

    final double jumpCostPerSemitone, switchCost, unvoicedBias;

    PitchViterbi(double jumpCostPerSemitone, double switchCost, double unvoicedBias) {
        this.jumpCostPerSemitone = jumpCostPerSemitone;
        this.switchCost = switchCost;
        this.unvoicedBias = unvoicedBias;
    }

    /**
     * One frame of the recursion.
     *
     * @param prev       best log score of each state at the previous frame, {@code [1 + prevN]} used
     * @param prevLogTau log period of each previous voiced state (index {@code 1 .. prevN})
     * @param prevN      voiced states at the previous frame
     * @param candTau    this frame's candidate periods at {@code base .. base + n - 1} (samples)
     * @param candP      their masses
     * @param n          this frame's candidates
     * @param confidence this frame's voicing probability
     * @param cur        receives the scores of this frame's states, {@code [1 + n]}
     * @param curLogTau  receives the log periods of this frame's voiced states
     * @param back       receives, at {@code backOff + state}, the best previous state of each state
     */
    void step(double[] prev, float[] prevLogTau, int prevN, float[] candTau, float[] candP, int base, int n,
              float confidence, double[] cur, float[] curLogTau, int[] back, int backOff) {
        double best = prev[0];
        int arg = 0;
        for (int j = 1; j <= prevN; j++) {
            double s = prev[j] - switchCost;
            if (s > best) { best = s; arg = j; }
        }
        cur[0] = best + Math.log(1 - confidence + EPS) + unvoicedBias;
        back[backOff] = arg;
        for (int c = 1; c <= n; c++) {
            float lt = (float) Math.log(candTau[base + c - 1]);
            curLogTau[c] = lt;
            best = prev[0] - switchCost;
            arg = 0;
            for (int j = 1; j <= prevN; j++) {
                double s = prev[j] - jumpCostPerSemitone * SEMITONES_PER_NAT * Math.abs(lt - prevLogTau[j]);
                if (s > best) { best = s; arg = j; }
            }
            cur[c] = best + Math.log(candP[base + c - 1] + EPS);
            back[backOff + c] = arg;
        }
    }

    /** The best of states {@code 0 .. n} (the first on ties). */
    static int argmax(double[] score, int n) {
        int s = 0;
        for (int j = 1; j <= n; j++) if (score[j] > score[s]) s = j;
        return s;
    }
}
