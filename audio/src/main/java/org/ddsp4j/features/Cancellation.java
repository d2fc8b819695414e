package org.ddsp4j.features;

/**
 * Cancellation tests on a signal (de Cheveigné 1993), shared by the onset relabelling of
 * {@link PitchTracker} and {@link LiveTracker}: a lag-{@code L} comb {@code y[j] = x[j] - x[j - L]} removes a
 * period of {@code L} samples; a note crossfading into another leaves what one comb cannot remove and two
 * combs can. Every test reads {@code cancelWindow} samples (16 ms) whose comb pairs are centred on a given
 * sample; a causal caller moves that centre back so the window ends before the samples it has.
 * Immutable; allocates nothing.
 */
final class Cancellation {
    /** Seconds over which the cancellation residuals are compared (256 samples at 16 kHz). */
    private static final double CANCEL_WINDOW_SECONDS = 0.016;
    /** The best single-period cancellation must leave at least this share of the frame (-20 dB). */
    private static final double CROSSFADE_MIN_SINGLE_RESIDUAL = 0.01;
    /** Two combs must leave less than this times the single-comb residual (white noise: 2). */
    private static final double CROSSFADE_NOISE_RATIO = 2.0;
    /** Shortest cancellation lag (24 samples at 16 kHz) and the span searched for a near-integer multiple. */
    private static final double CANCEL_MIN_LAG_SECONDS = 0.0015, CANCEL_SPAN_SECONDS = 0.004;

    /** In samples at the sample rate (see the *_SECONDS constants). */
    final int cancelWindow, cancelMinLag, cancelSpan;

    Cancellation(int sampleRate) {
        cancelWindow = Math.max(16, (int) Math.round(CANCEL_WINDOW_SECONDS * sampleRate));
        cancelMinLag = Math.max(2, (int) Math.round(CANCEL_MIN_LAG_SECONDS * sampleRate));
        cancelSpan = (int) Math.round(CANCEL_SPAN_SECONDS * sampleRate);
    }

    /**
     * Integer lag for cancelling a period (samples): among the multiples {@code k * period} from
     * {@code cancelMinLag} up to {@code max(cancelMinLag + period, cancelSpan)} samples, the one nearest a whole
     * number of samples (short multiples first), so high notes (11.4 samples at 1400 Hz) cancel
     * without fractional delays while vibrato, which grows with the lag, stays harmless.
     */
    int cancelLag(float period) {
        int best = Math.round(period);
        double bestErr = Double.POSITIVE_INFINITY;
        for (int k = 1; k < 64; k++) {
            double l = k * period;
            if (l < cancelMinLag) continue;
            if (l > Math.max(cancelMinLag + period, cancelSpan)) break;
            double e = Math.abs(l - Math.rint(l));
            if (e < bestErr - 0.02) { bestErr = e; best = (int) Math.rint(l); }
        }
        return best;
    }

    /**
     * Share of the energy left after cancelling lag {@code a} that cancelling lag {@code b} removes:
     * with {@code y[j] = x[j] - x[j-a]} and {@code z[j] = y[j] - y[j-b]},
     * {@code 1 - sum z^2 / sum y^2} over {@code cancelWindow} samples whose filter spans are centred
     * on {@code centre}. Near 1 when the residual is periodic in {@code b}; about -1 for a residual
     * that is noise (differencing doubles white noise), so {@code > 0} means "b is present".
     * Returns -1 where the window leaves {@code x} or {@code y} is all zero.
     */
    double residualShare(float[] x, int centre, int a, int b) {
        int start = centre - cancelWindow / 2 + (a + b) / 2;
        if (start - a - b < 0 || start + cancelWindow > x.length) return -1;
        double ya = 0, zz = 0;
        for (int j = start; j < start + cancelWindow; j++) {
            float y = x[j] - x[j - a];
            float z = y - (x[j - b] - x[j - a - b]);
            ya += y * y;
            zz += z * z;
        }
        return ya > 0 ? 1 - zz / ya : -1;
    }

    /**
     * The crossfade test of the onset relabelling for the frame centred at padded sample {@code centre}
     * between notes of periods {@code periodA} and {@code periodB} (samples), cancelled with the integer
     * lags {@code lagA} and {@code lagB} ({@link #cancelLag}). Three conditions, all needed:
     * <ol>
     *   <li>{@code residualShare(a, b) > 0}: once A is cancelled, cancelling B removes energy.</li>
     *   <li>{@code e1 >= CROSSFADE_MIN_SINGLE_RESIDUAL}, where {@code e1} = {@link #singlePitchResidual}
     *       over the periods between A and B: no single period in between cancels the frame. A continuous
     *       glide or vibrato is one periodicity at a time; some intermediate lag cancels it to
     *       {@code e1 < 0.004} (synthetic glides with +-50 cent vibrato), while a crossfade leaves the
     *       weaker note ({@code e1 >= 0.05} on 95% of the correct relabellings on the rendered instruments).</li>
     *   <li>{@code e2 < CROSSFADE_NOISE_RATIO * e1}, {@code e2} the A-then-B residual over the frame energy:
     *       the pair of combs must explain the frame better than one. For a residual that is white noise,
     *       the double comb passes 4x the noise power and the single comb 2x, so {@code e2 / e1 = 2}; this
     *       keeps glides in noise (where {@code e1} is the noise floor) from passing condition 2.</li>
     * </ol>
     */
    boolean isCrossfade(float[] x, int centre, float periodA, float periodB, int lagA, int lagB) {
        return isCrossfade(x, centre, periodA, periodB, lagA, lagB, CROSSFADE_MIN_SINGLE_RESIDUAL);
    }

    /**
     * {@link #isCrossfade(float[], int, float, float, int, int)} with another least single-period residual
     * (condition 2): the live tracker, which finds B in the present instead of reading it from the future,
     * asks for a clearer mixture.
     */
    boolean isCrossfade(float[] x, int centre, float periodA, float periodB, int lagA, int lagB, double minSingleResidual) {
        if (!(residualShare(x, centre, lagA, lagB) > 0)) return false;
        int start = centre - cancelWindow / 2 + (lagA + lagB) / 2;
        double xx = 0, zz = 0;
        for (int j = start; j < start + cancelWindow; j++) {
            float z = x[j] - x[j - lagA] - x[j - lagB] + x[j - lagA - lagB];
            xx += x[j] * x[j];
            zz += z * z;
        }
        if (!(xx > 0)) return false;
        double e1 = singlePitchResidual(x, centre, Math.min(periodA, periodB), Math.max(periodA, periodB));
        return e1 >= minSingleResidual && zz / xx < CROSSFADE_NOISE_RATIO * e1;
    }

    /**
     * One past the last sample, relative to {@code centre}, that {@link #isCrossfade} reads for these periods
     * and lags; a causal caller centres the test at most this far before the end of its samples.
     */
    int crossfadeReach(float periodA, float periodB, int lagA, int lagB) {
        double lo = Math.min(periodA, periodB), hi = Math.max(periodA, periodB);
        int k = Math.max(1, (int) Math.ceil(cancelMinLag / lo));
        int longest = Math.max(lagA + lagB, (int) Math.ceil(k * hi) + 1);
        return cancelWindow - cancelWindow / 2 + longest / 2 + 1;
    }

    /**
     * Best single-period cancellation of a frame: with {@code k} the least multiple that makes
     * {@code k * periodLo >= cancelMinLag}, scans every integer lag {@code L} from
     * {@code floor(k * periodLo) - 1} to {@code ceil(k * periodHi) + 1} and returns
     * {@code min_L sum (x[j] - x[j-L])^2 / sum x[j]^2} over {@code cancelWindow} samples whose pairs are
     * centred on {@code centre}; the minimum is refined by a parabola through its neighbours (the
     * residual grows ~quadratically with the lag error, so this stands in for a fractional lag) and
     * clamped at 0. 0 for a pure periodic frame with a period in range, ~2 for white noise; returns 1
     * where the frame is silent and 2 where the window leaves {@code x}.
     *
     * @param periodLo shortest period scanned (samples), {@code > 0}
     * @param periodHi longest period scanned (samples), {@code >= periodLo}
     */
    double singlePitchResidual(float[] x, int centre, double periodLo, double periodHi) {
        int k = Math.max(1, (int) Math.ceil(cancelMinLag / periodLo));
        int lo = Math.max(1, (int) Math.floor(k * periodLo) - 1), hi = (int) Math.ceil(k * periodHi) + 1;
        double best = Double.POSITIVE_INFINITY, left = 0, right = 0, prev = Double.POSITIVE_INFINITY, xxBest = 0;
        boolean takeNext = false;
        for (int lag = lo; lag <= hi; lag++) {
            int start = centre - cancelWindow / 2 + lag / 2;
            if (start - lag < 0 || start + cancelWindow > x.length) return 2;
            double xx = 0, yy = 0;
            for (int j = start; j < start + cancelWindow; j++) {
                float y = x[j] - x[j - lag];
                xx += x[j] * x[j];
                yy += y * y;
            }
            if (!(xx > 0)) return 1;
            double e = yy / xx;
            if (takeNext) { right = e; takeNext = false; }
            if (e < best) {
                best = e;
                left = prev;
                xxBest = xx;
                takeNext = true;
                right = Double.POSITIVE_INFINITY;
            }
            prev = e;
        }
        if (Double.isFinite(left) && Double.isFinite(right)) {
            double den = left - 2 * best + right;
            if (den > 0) {
                double delta = 0.5 * (left - right) / den;
                best -= 0.25 * (left - right) * delta;
            }
        }
        return xxBest > 0 ? Math.max(0, best) : 1;
    }

}
