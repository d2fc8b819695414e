package org.ddsp4j.features;

/**
 * pYIN stage 1 (Mauch and Dixon 2014), shared by {@link PitchTracker} and {@link LiveTracker}: the pitch
 * candidates of one frame from its difference function {@code d} and cumulative-mean-normalized form
 * {@code d'}. Every local minimum of {@code d'} in {@code [tauMin, tauMax]} is a candidate; a Beta(2, 11.33)
 * prior over 100 YIN thresholds {@code 0.01 .. 1.00} gives each candidate the mass of the thresholds for
 * which it is the first dip below threshold (the global minimum gets 1% of the thresholds no dip is below).
 * Periods are refined by parabolic interpolation (on {@code d'} for the candidate, on the raw {@code d} for
 * the reported f0). Immutable; allocates nothing per frame.
 *
 * <p>One departure from pYIN, at the floor: a dip is a candidate only if {@code d'} stays at or above it for
 * {@link PitchTracker#FLOOR_MARGIN} of its lag after it, and the lags are searched that far past {@code tauMax}
 * (to {@code tauEdge}). A hum or rumble just below the floor (or a note's tail over one) makes {@code d'} fall
 * toward the longest lags, and noise puts small dips on that slope; pYIN took the last of them, at the floor,
 * as a pitch with confidence near 1. Such a dip, and any dip past {@code tauMax}, still claims the thresholds it
 * is the first dip below (no later dip may take them), but its mass is neither a candidate nor confidence.
 */
final class YinCandidates {
    /** Thresholds of the pYIN prior: {@code s_i = (i + 1) / N_THRESHOLDS}. */
    private static final int N_THRESHOLDS = 100;
    private static final double BETA_A = 2.0, BETA_B = 11.33;

    final int tauMin, tauMax, tauEdge, maxCandidates;
    /** {@code cdf[k] = sum_{i<k} w_i}, the prior mass of the first k thresholds, {@code [N_THRESHOLDS + 1]}. */
    private final double[] cdf;

    /**
     * @param tauMin shortest period in samples ({@code >= 2})
     * @param tauMax longest period in samples a candidate may have
     * @param tauEdge last lag searched for dips ({@code >= tauMax}); {@code d'} must hold lags up to {@code tauEdge + 1}
     * @param maxCandidates candidates kept per frame, highest prior mass first
     */
    YinCandidates(int tauMin, int tauMax, int tauEdge, int maxCandidates) {
        if (tauEdge < tauMax) {
            throw new IllegalArgumentException("tauEdge " + tauEdge + " < tauMax " + tauMax);
        }
        this.tauMin = tauMin;
        this.tauMax = tauMax;
        this.tauEdge = tauEdge;
        this.maxCandidates = maxCandidates;
        this.cdf = betaThresholdCdf();
    }

    /**
     * The candidates of one frame: writes up to {@code maxCandidates} (period, mass) pairs at {@code base},
     * sorted by descending mass, and their count into {@code nCand[frame]}.
     *
     * @param d       raw difference function, lags {@code 0 .. tauEdge + 1}
     * @param dn      its cumulative-mean-normalized form, the same lags
     * @param candTau receives the periods refined on {@code d'} (samples)
     * @param candP   receives the prior masses
     * @param rawTau  receives the periods refined on {@code d} (samples; the reported f0 is {@code sampleRate / rawTau})
     * @return the frame's total mass (voicing probability, its confidence), in {@code [0, 1]}
     */
    float extract(float[] d, float[] dn, int base, float[] candTau, float[] candP, float[] rawTau, int[] nCand, int frame) {
        int k = maxCandidates;
        int n = 0;
        double prefixMin = Double.POSITIVE_INFINITY;
        double total = 0;
        int globalTau = -1;
        double globalVal = Double.POSITIVE_INFINITY;
        int globalSlot = -1;
        nCand[frame] = 0;
        // A dip whose minimum lies below tauMin belongs to a pitch above fMaxHz: it never passes the
        // local-minimum test at tauMin because d'(tauMin - 1) is lower.
        for (int tau = tauMin; tau <= tauEdge; tau++) {
            float v = dn[tau];
            if (!(v < dn[tau - 1] && v <= dn[tau + 1])) continue;
            if (!(v < prefixMin || v < globalVal)) continue; // neither mass nor the global minimum
            if (tau > tauMax || !lowestAhead(dn, tau, v)) {
                // Past the floor, or on a slope that goes on falling: it claims the thresholds it is the first
                // dip below (later dips cannot take them) but is no candidate, and its mass no confidence.
                if (v < prefixMin && tau > tauMax) prefixMin = v;
                if (v < globalVal && tau > tauMax) {
                    globalVal = v;
                    globalTau = -2;
                }
                continue;
            }
            int slot = -1;
            if (v < prefixMin) {
                int lo = Math.max(0, (int) Math.floor(v * N_THRESHOLDS));
                int hi = prefixMin >= 1 ? N_THRESHOLDS - 1
                        : Math.min(N_THRESHOLDS - 1, (int) Math.floor(prefixMin * N_THRESHOLDS) - 1);
                double mass = hi >= lo ? cdf[hi + 1] - cdf[lo] : 0;
                prefixMin = v;
                if (mass > 0) {
                    slot = insert(candTau, candP, base, n, tau, (float) mass);
                    if (slot >= 0) n = Math.min(n + 1, k);
                    total += mass;
                }
            }
            if (v < globalVal) {
                globalVal = v;
                globalTau = tau;
            }
        }
        if (globalTau == -1) return 0f; // no dip at all
        // Thresholds below every dip: pYIN gives 1% of their mass to the global minimum.
        int loGlobal = Math.max(0, Math.min(N_THRESHOLDS, (int) Math.floor(globalVal * N_THRESHOLDS)));
        double fallback = globalTau > 0 ? 0.01 * cdf[loGlobal] : 0; // none for a dip in the margin
        if (fallback > 0) {
            for (int c = 0; c < n; c++) {
                if (candTau[base + c] == globalTau) globalSlot = c;
            }
            if (globalSlot >= 0) {
                candP[base + globalSlot] += (float) fallback;
            } else if (insert(candTau, candP, base, n, globalTau, (float) fallback) >= 0) {
                n = Math.min(n + 1, k);
            }
            total += fallback;
        }
        // Refine: parabolic vertex on d' for the candidate, on raw d for the reported f0.
        for (int c = 0; c < n; c++) {
            int tau = (int) candTau[base + c];
            candTau[base + c] = tau + vertex(dn[tau - 1], dn[tau], dn[tau + 1]);
            rawTau[base + c] = tau + vertex(d[tau - 1], d[tau], d[tau + 1]);
        }
        nCand[frame] = n;
        return (float) Math.min(1.0, total);
    }

    /** Whether {@code d'} stays at or above {@code v} for the lags up to {@code FLOOR_MARGIN} after {@code tau}. */
    private boolean lowestAhead(float[] dn, int tau, float v) {
        int end = Math.min(tauEdge, (int) (tau * (1 + PitchTracker.FLOOR_MARGIN)));
        for (int t = tau + 2; t <= end; t++) if (dn[t] < v) return false;
        return true;
    }

    /** Inserts (tau, p) into the list sorted by descending p; returns its slot or -1 if it fell off. */
    private int insert(float[] candTau, float[] candP, int base, int n, int tau, float p) {
        int k = maxCandidates;
        int pos = n;
        while (pos > 0 && candP[base + pos - 1] < p) pos--;
        if (pos >= k) return -1;
        int last = Math.min(n, k - 1);
        for (int c = last; c > pos; c--) {
            candTau[base + c] = candTau[base + c - 1];
            candP[base + c] = candP[base + c - 1];
        }
        candTau[base + pos] = tau;
        candP[base + pos] = p;
        return pos;
    }

    /** Offset in (-1, 1) of the vertex of the parabola through (-1, a), (0, b), (1, c). */
    static float vertex(float a, float b, float c) {
        float den = a - 2 * b + c;
        if (!(den > 0)) return 0f;
        float delta = 0.5f * (a - c) / den;
        return Math.max(-1f, Math.min(1f, delta));
    }

    /** Normalized Beta(BETA_A, BETA_B) weights of the thresholds, as a cumulative table. */
    private static double[] betaThresholdCdf() {
        double[] w = new double[N_THRESHOLDS];
        double sum = 0;
        for (int i = 0; i < N_THRESHOLDS; i++) {
            double s = (i + 1.0) / N_THRESHOLDS;
            w[i] = s >= 1 ? 0 : Math.pow(s, BETA_A - 1) * Math.pow(1 - s, BETA_B - 1);
            sum += w[i];
        }
        double[] c = new double[N_THRESHOLDS + 1];
        for (int i = 0; i < N_THRESHOLDS; i++) c[i + 1] = c[i] + w[i] / sum;
        return c;
    }
}
