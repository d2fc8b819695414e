package org.ddsp4j.features;

/**
 * Monophonic f0 tracker: probabilistic YIN (pYIN, Mauch and Dixon 2014) candidates, decoded by a
 * Viterbi pass over the per-frame candidates, with an energy gate for silence.
 *
 * <h2>Framing (shared with loudness)</h2>
 * {@code hop = sampleRate / frameRate} samples, which must be an integer (else
 * {@link IllegalArgumentException}); a signal of {@code nSamples} gives
 * {@code nFrames = nSamples / hop + 1} frames (integer division), and frame {@code i} is centred at
 * sample {@code i * hop}, i.e. at {@code i / frameRate} seconds. The signal is zero-padded at both
 * ends, so the first and last frames see half a window of silence.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Per frame, the YIN difference function {@code d(tau)} over an integration window of
 *       {@code W >= sampleRate / fMinHz} samples (a whole number of hops) for lags up to
 *       {@code tauMax = ceil(sampleRate / fMinHz)}, computed exactly by {@link YinDifference}
 *       (block partial sums shared by overlapping frames), then its cumulative-mean-normalized form
 *       {@code d'(tau)}. For lag {@code tau} the window starts {@code tau/2} samples earlier (rounded
 *       to whole hops), so the midpoints of the compared pairs {@code (x[j], x[j+tau])} are centred
 *       on the frame centre for every lag; a fixed window start would bias low and high pitches in
 *       opposite directions in time (one frame of bias costs ~0.6% RPA on the rendered instruments).</li>
 *   <li>pYIN stage 1: every local minimum of {@code d'} in {@code [sampleRate/fMaxHz, tauMax]} is a
 *       candidate; a Beta(2, 11.33) prior over 100 YIN thresholds {@code 0.01 .. 1.00} gives each
 *       candidate the mass of the thresholds for which it is the first dip below threshold (the
 *       global minimum gets 1% of the thresholds no dip is below). The candidate period is refined
 *       by parabolic interpolation; the frame's total mass is its voicing probability and the
 *       reported {@link PitchTrack#confidence()}.</li>
 *   <li>Frames whose RMS over the integration window is below {@code silenceDb} dBFS, or 30 dB
 *       below the RMS over the whole analysis span (the window is silent but the lagged samples
 *       reach into a coming note), get no candidates: their difference function is {@code ~0/0}
 *       and shows false dips.</li>
 *   <li>Viterbi over {unvoiced, candidate 1..K} per frame: emission {@code log p_k} for a candidate,
 *       {@code log(1 - P)} for unvoiced; a Laplacian pitch-jump cost per semitone between voiced
 *       states (this is the octave-error guard: an isolated octave jump costs two jumps of 12
 *       semitones) and a fixed cost for switching voicing.</li>
 *   <li>The chosen period is refined once more by parabolic interpolation of the raw difference
 *       function {@code d} (less biased than {@code d'} whose normalization tilts the dip).</li>
 *   <li>Onset relabelling ({@link Builder#onsetRelabelling}, on by default): between two notes A and B
 *       (read 64 ms before and after a frame), a frame whose f0 is not yet B takes B when the frame is a
 *       crossfade of the two: after cancelling A with a lag-A comb, cancelling B removes energy from the
 *       residual (joint cancellation, de Cheveigné 1993), and no single period between A and B cancels
 *       the frame nearly as well (a glide or vibrato is one periodicity at a time; see
 *       {@link #isCrossfade}). In legato the old note's release dominates the new note's attack for
 *       40..100 ms, and the merged dip of {@code d'} slides from A to B late; the cancellation test
 *       finds B however weak it is. Frame centres do not move; only the f0 label of such frames changes.</li>
 * </ol>
 * Unvoiced frames take the f0 of the nearest voiced frame (see {@link PitchTrack#f0Hz()}).
 *
 * <p>Cost per frame is {@code O(hop * tauMax)} vectorized multiply-adds plus {@code O(tauMax)}
 * scalar work; instances are immutable and {@link #track} allocates only per call, so one instance
 * may be shared by threads.
 */
public final class PitchTracker {
    /** Thresholds of the pYIN prior: {@code s_i = (i + 1) / N_THRESHOLDS}. */
    private static final int N_THRESHOLDS = 100;
    private static final double BETA_A = 2.0, BETA_B = 11.33;
    private static final double EPS = 1e-9;
    /** A frame whose window is this much quieter (power) than its whole analysis span is unvoiced (-30 dB). */
    private static final double RELATIVE_GATE = 1e-3;
    /** Onset relabelling: seconds to each side where the old and new notes are read (16 frames at 250 fps). */
    private static final double ONSET_LOOK_SECONDS = 0.064;
    /** Onset relabelling: least interval (cents) between the notes; below it the cancellations overlap. */
    private static final double ONSET_MIN_STEP_CENTS = 80;
    /** Onset relabelling: the new note must hold within this many cents for 4 frames (not vibrato swing). */
    private static final double ONSET_HOLD_CENTS = 30;
    /** Seconds over which the cancellation residuals are compared (256 samples at 16 kHz). */
    private static final double CANCEL_WINDOW_SECONDS = 0.016;
    /** Onset relabelling: the best single-period cancellation must leave at least this share of the frame (-20 dB). */
    private static final double CROSSFADE_MIN_SINGLE_RESIDUAL = 0.01;
    /** Onset relabelling: two combs must leave less than this times the single-comb residual (white noise: 2). */
    private static final double CROSSFADE_NOISE_RATIO = 2.0;
    /** Shortest cancellation lag (24 samples at 16 kHz) and the span searched for a near-integer multiple. */
    private static final double CANCEL_MIN_LAG_SECONDS = 0.0015, CANCEL_SPAN_SECONDS = 0.004;

    private final int sampleRate, frameRate, hop;
    private final float fMinHz, fMaxHz;
    private final int tauMin, tauMax, nLags, nLagsPadded, nBlocks, window, maxShift, ringSize, offset;
    /** Weight of each block of the integration window, {@code [nBlocks]}. */
    private final float[] blockWeight;
    private final double silenceRms;
    private final double jumpCostPerSemitone, switchCost, unvoicedBias;
    private final int maxCandidates;
    /** Onset relabelling in samples/frames at this rate (see the *_SECONDS constants). */
    private final int onsetLook, cancelWindow, cancelMinLag, cancelSpan;
    private final boolean onsetRelabelling;
    /** {@code cdf[k] = sum_{i<k} w_i}, the prior mass of the first k thresholds, {@code [N_THRESHOLDS + 1]}. */
    private final double[] cdf;

    private PitchTracker(Builder b) {
        if (b.sampleRate < 1000 || b.sampleRate > 400_000) {
            throw new IllegalArgumentException("sampleRate " + b.sampleRate + " Hz out of range [1000, 400000]");
        }
        if (b.frameRate <= 0 || b.sampleRate % b.frameRate != 0) {
            throw new IllegalArgumentException("sampleRate " + b.sampleRate + " is not a multiple of frameRate "
                    + b.frameRate + ": the hop must be a whole number of samples; pick a frameRate that divides it");
        }
        float fMax = b.fMaxHz != null ? b.fMaxHz : Math.min(2100f, b.sampleRate / 4f);
        if (!(b.fMinHz > 0) || !(fMax > b.fMinHz) || fMax > b.sampleRate / 4f) {
            throw new IllegalArgumentException("need 0 < fMinHz < fMaxHz <= sampleRate/4, got fMinHz " + b.fMinHz
                    + ", fMaxHz " + fMax + ", sampleRate " + b.sampleRate);
        }
        if (b.maxCandidates < 1) {
            throw new IllegalArgumentException("maxCandidates must be >= 1, got " + b.maxCandidates);
        }
        sampleRate = b.sampleRate;
        frameRate = b.frameRate;
        hop = sampleRate / frameRate;
        fMinHz = b.fMinHz;
        fMaxHz = fMax;
        tauMin = Math.max(2, (int) Math.floor(sampleRate / fMaxHz));
        tauMax = (int) Math.ceil(sampleRate / fMinHz);
        nLags = tauMax + 2; // d'(tauMax + 1) is needed to call tauMax a local minimum
        nLagsPadded = YinDifference.paddedLags(nLags);
        int w = b.windowSamples > 0 ? b.windowSamples : tauMax;
        nBlocks = Math.max(1, (w + hop - 1) / hop);
        window = nBlocks * hop;
        // Lag tau compares x[j] with x[j + tau]: the pairs' midpoints are centred on the frame when
        // the window starts tau/2 samples early. The start is rounded to whole blocks, so lag tau
        // uses the blocks shifted back by k(tau) = round(tau / (2 hop)) (centring error <= hop/2).
        maxShift = Math.round((nLags - 1) / (2f * hop));
        ringSize = nBlocks + maxShift;
        offset = window / 2 + maxShift * hop;
        blockWeight = new float[nBlocks];
        // Uniform weights: Hann/sine/triangular tapers over the blocks were tried and changed RPA on
        // the rendered instruments by < 0.001 (docs/results/pitch.md).
        java.util.Arrays.fill(blockWeight, 1f);
        silenceRms = Math.pow(10, b.silenceDb / 20);
        jumpCostPerSemitone = b.jumpCostPerSemitone;
        switchCost = b.switchCost;
        unvoicedBias = b.unvoicedBias;
        maxCandidates = b.maxCandidates;
        cdf = betaThresholdCdf();
        onsetRelabelling = b.onsetRelabelling;
        onsetLook = Math.max(1, (int) Math.round(ONSET_LOOK_SECONDS * frameRate));
        cancelWindow = Math.max(16, (int) Math.round(CANCEL_WINDOW_SECONDS * sampleRate));
        cancelMinLag = Math.max(2, (int) Math.round(CANCEL_MIN_LAG_SECONDS * sampleRate));
        cancelSpan = (int) Math.round(CANCEL_SPAN_SECONDS * sampleRate);
    }

    /** A tracker with all defaults at this sample rate. */
    public PitchTracker(int sampleRate) {
        this(new Builder(sampleRate));
    }

    public static Builder builder(int sampleRate) {
        return new Builder(sampleRate);
    }

    /** Options; every setter has a documented default. */
    public static final class Builder {
        private final int sampleRate;
        private int frameRate = 250;
        private float fMinHz = 40f;
        private Float fMaxHz;
        private double silenceDb = -70;
        private double jumpCostPerSemitone = 1.0, switchCost = 10.0, unvoicedBias = -2.0;
        private int maxCandidates = 8;
        private int windowSamples = 0;
        private boolean onsetRelabelling = true;

        private Builder(int sampleRate) {
            this.sampleRate = sampleRate;
        }

        /** Frames per second (default 250); must divide the sample rate. */
        public Builder frameRate(int v) { frameRate = v; return this; }
        /** Lowest detectable f0 in Hz (default 40); sets the window length {@code ~ sampleRate / fMinHz}. */
        public Builder fMinHz(float v) { fMinHz = v; return this; }
        /** Highest detectable f0 in Hz (default {@code min(2100, sampleRate / 4)}, at most sampleRate / 4). */
        public Builder fMaxHz(float v) { fMaxHz = v; return this; }
        /** Frames quieter than this RMS level in dBFS are unvoiced with confidence 0 (default -70). */
        public Builder silenceDb(double v) { silenceDb = v; return this; }
        /** Viterbi cost (nats) per semitone of f0 change between voiced frames (default 1). */
        public Builder jumpCostPerSemitone(double v) { jumpCostPerSemitone = v; return this; }
        /** Viterbi cost (nats) of a voiced/unvoiced switch (default 10). */
        public Builder switchCost(double v) { switchCost = v; return this; }
        /** Added to the unvoiced log-emission (nats, default -2); positive favours unvoiced. The default
         * leans to voiced because an unvoiced frame inside a note loses the pitch, while a voiced
         * frame in a release tail still carries a sensible f0. */
        public Builder unvoicedBias(double v) { unvoicedBias = v; return this; }
        /** Candidates kept per frame, highest prior mass first (default 8). */
        public Builder maxCandidates(int v) { maxCandidates = v; return this; }

        /**
         * YIN integration window in samples, rounded up to whole hops (default {@code 0}: one period
         * of {@code fMinHz}).
         */
        public Builder windowSamples(int v) { windowSamples = v; return this; }

        /**
         * Onset relabelling (step 6 of the class doc; default on). Raises pooled RPA on the rendered
         * legato instruments from 0.959 to 0.984 (docs/results/pitch.md); continuous glides and vibrato
         * are left alone by its single-period test. Off gives the plain Viterbi track.
         */
        public Builder onsetRelabelling(boolean v) { onsetRelabelling = v; return this; }

        public PitchTracker build() {
            return new PitchTracker(this);
        }
    }

    public int sampleRate() { return sampleRate; }
    public int frameRate() { return frameRate; }
    /** Samples between frame centres. */
    public int hop() { return hop; }
    public float fMinHz() { return fMinHz; }
    public float fMaxHz() { return fMaxHz; }

    /** Frames for a signal of {@code nSamples}: {@code nSamples / hop + 1}. */
    public int nFrames(int nSamples) {
        return nSamples / hop + 1;
    }

    /**
     * Tracks f0 of a mono signal.
     *
     * @param mono samples at {@link #sampleRate()}, {@code [nSamples]}, nominally in [-1, 1] (the
     *     silence gate is in dBFS)
     * @return a track of {@code nSamples / hop + 1} frames
     */
    public PitchTrack track(float[] mono) {
        int nFrames = nFrames(mono.length);
        int k = maxCandidates;
        // Zero-padded signal: padded index = original index + offset; block b starts at padded b * hop;
        // frame i (centre at padded i * hop + offset) uses blocks i + maxShift - k(tau) + m, m < nBlocks.
        int nPadded = (nFrames + ringSize) * hop + nLagsPadded;
        float[] x = new float[nPadded];
        for (int i = 0; i < mono.length; i++) {
            if (!Float.isFinite(mono[i])) {
                throw new IllegalArgumentException("sample " + i + " is " + mono[i] + "; the signal must be finite");
            }
        }
        System.arraycopy(mono, 0, x, offset, mono.length);
        double[] energy = new double[nPadded + 1]; // prefix sums of x^2
        for (int i = 0; i < nPadded; i++) energy[i + 1] = energy[i] + (double) x[i] * x[i];
        int span = ringSize * hop + tauMax;
        double gate = silenceRms * silenceRms * window;

        float[][] ring = new float[ringSize][nLagsPadded];
        float[] d = new float[nLagsPadded];
        float[] dn = new float[nLags];
        int[] nCand = new int[nFrames];
        float[] candTau = new float[nFrames * k];
        float[] candP = new float[nFrames * k];
        float[] rawTau = new float[nFrames * k]; // tau refined on raw d, used for the output f0
        float[] conf = new float[nFrames];
        for (int b = 0; b < ringSize - 1; b++) YinDifference.block(x, b * hop, hop, nLags, ring[b]);
        for (int i = 0; i < nFrames; i++) {
            int nb = i + ringSize - 1;
            YinDifference.block(x, nb * hop, hop, nLags, ring[nb % ringSize]);
            // Gate on the integration window itself: when it is silent but the lagged samples reach
            // into a note (just before an onset), d(tau) is ~0 for short lags and d' shows false dips.
            int start = i * hop, centre = start + maxShift * hop;
            double central = energy[centre + window] - energy[centre];
            double whole = energy[start + span] - energy[start];
            if (central < gate || central * span < RELATIVE_GATE * whole * window) continue;
            java.util.Arrays.fill(d, 0f);
            for (int shift = 0; shift <= maxShift; shift++) {
                int lo = Math.max(0, (2 * shift - 1) * hop), hi = Math.min(nLags, (2 * shift + 1) * hop);
                for (int m = 0; m < nBlocks; m++) {
                    YinDifference.addScaled(d, ring[(i + maxShift - shift + m) % ringSize], blockWeight[m], lo, hi);
                }
            }
            YinDifference.cmndf(d, nLags, dn);
            conf[i] = candidates(d, dn, i * k, candTau, candP, rawTau, nCand, i);
        }
        int[] path = viterbi(nFrames, nCand, candTau, candP, conf);
        float[] f0 = new float[nFrames];
        boolean[] voiced = new boolean[nFrames];
        for (int i = 0; i < nFrames; i++) {
            if (path[i] > 0) {
                voiced[i] = true;
                f0[i] = sampleRate / rawTau[i * k + path[i] - 1];
            }
        }
        if (onsetRelabelling) relabelOnsets(x, f0, voiced);
        fillUnvoiced(f0, voiced);
        return new PitchTrack(f0, conf, voiced, frameRate);
    }

    /**
     * pYIN stage 1 for one frame: writes up to {@code maxCandidates} (tau, mass) pairs at {@code base}
     * and returns the total mass (voicing probability).
     */
    private float candidates(float[] d, float[] dn, int base, float[] candTau, float[] candP, float[] rawTau,
                             int[] nCand, int frame) {
        int k = maxCandidates;
        int n = 0;
        double prefixMin = Double.POSITIVE_INFINITY;
        double total = 0;
        int globalTau = -1;
        double globalVal = Double.POSITIVE_INFINITY;
        int globalSlot = -1;
        // A dip whose minimum lies below tauMin belongs to a pitch above fMaxHz: it never passes the
        // local-minimum test at tauMin because d'(tauMin - 1) is lower.
        for (int tau = tauMin; tau <= tauMax; tau++) {
            float v = dn[tau];
            if (!(v < dn[tau - 1] && v <= dn[tau + 1])) continue;
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
        if (globalTau < 0) return 0f; // no dip in range at all
        // Thresholds below every dip: pYIN gives 1% of their mass to the global minimum.
        int loGlobal = Math.max(0, Math.min(N_THRESHOLDS, (int) Math.floor(globalVal * N_THRESHOLDS)));
        double fallback = 0.01 * cdf[loGlobal];
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

    /**
     * Viterbi over states {0 = unvoiced, 1..nCand[i] = candidate}; returns the state per frame.
     */
    private int[] viterbi(int nFrames, int[] nCand, float[] candTau, float[] candP, float[] conf) {
        int k = maxCandidates, ns = k + 1;
        int[] back = new int[nFrames * ns];
        double[] prev = new double[ns], cur = new double[ns];
        float[] prevLogTau = new float[ns], curLogTau = new float[ns];
        int prevN = 0;
        double semis = 12 / Math.log(2);
        prev[0] = 0;
        for (int i = 0; i < nFrames; i++) {
            int n = nCand[i];
            int base = i * k;
            // Unvoiced state.
            double best = prev[0];
            int arg = 0;
            for (int j = 1; j <= prevN; j++) {
                double s = prev[j] - switchCost;
                if (s > best) { best = s; arg = j; }
            }
            cur[0] = best + Math.log(1 - conf[i] + EPS) + unvoicedBias;
            back[i * ns] = arg;
            for (int c = 1; c <= n; c++) {
                float lt = (float) Math.log(candTau[base + c - 1]);
                curLogTau[c] = lt;
                best = prev[0] - switchCost;
                arg = 0;
                for (int j = 1; j <= prevN; j++) {
                    double s = prev[j] - jumpCostPerSemitone * semis * Math.abs(lt - prevLogTau[j]);
                    if (s > best) { best = s; arg = j; }
                }
                cur[c] = best + Math.log(candP[base + c - 1] + EPS);
                back[i * ns + c] = arg;
            }
            double[] t = prev; prev = cur; cur = t;
            float[] tl = prevLogTau; prevLogTau = curLogTau; curLogTau = tl;
            prevN = n;
        }
        int[] path = new int[nFrames];
        int s = 0;
        for (int j = 1; j <= prevN; j++) if (prev[j] > prev[s]) s = j;
        for (int i = nFrames - 1; i >= 0; i--) {
            path[i] = s;
            s = back[i * ns + s];
        }
        return path;
    }

    /**
     * Onset relabelling (step 6 of the class doc): a frame between two different notes takes the
     * later note's f0 when that note is already present under the earlier one.
     *
     * <p>For voiced frame {@code i}, A = f0 {@code ONSET_LOOK_SECONDS} earlier and B = f0 as many frames
     * later (B held within {@code ONSET_HOLD_CENTS} for 4 more frames). If A and B are at least
     * {@code ONSET_MIN_STEP_CENTS} apart and f0[i] is not already B, the frame is tested with
     * {@link #isCrossfade}: cancel A, then see whether cancelling B removes energy from what is
     * left, and whether the pair explains the frame where no single period between A and B does. The test does not care how weak B is next to A, which the difference function does:
     * when the old note's release dominates, d' has one merged dip that slides from A to B as the
     * mixture changes (a pseudo-glide that lags the real onset by 40..100 ms).
     *
     * @param x zero-padded signal (frame {@code i} centred at {@code i * hop + offset})
     * @param f0 per-frame f0 in Hz, {@code [nFrames]}, rewritten in place
     * @param voiced per-frame voicing, {@code [nFrames]}, unchanged
     */
    private void relabelOnsets(float[] x, float[] f0, boolean[] voiced) {
        int n = f0.length;
        int g = onsetLook;
        float[] out = f0.clone(); // decisions use the Viterbi track, not earlier relabellings
        for (int i = g; i + g + 4 < n; i++) {
            int ia = i - g, ib = i + g;
            if (!voiced[i] || !voiced[ia] || !voiced[ib]) continue;
            float fA = f0[ia], fB = f0[ib];
            if (Math.abs(cents(fA, fB)) < ONSET_MIN_STEP_CENTS) continue;
            if (Math.abs(cents(f0[i], fB)) < 50) continue; // already on the new note
            boolean stable = true;
            for (int j = ib + 1; j <= ib + 4; j++) stable &= voiced[j] && Math.abs(cents(f0[j], fB)) <= ONSET_HOLD_CENTS;
            if (!stable) continue;
            int lagA = cancelLag(sampleRate / fA), lagB = cancelLag(sampleRate / fB);
            if (isCrossfade(x, i * hop + offset, sampleRate / fA, sampleRate / fB, lagA, lagB)) out[i] = fB;
        }
        System.arraycopy(out, 0, f0, 0, n);
    }

    private static double cents(float a, float b) {
        return 1200 * Math.log((double) a / b) / Math.log(2);
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
     * The crossfade test of {@link #relabelOnsets} for the frame centred at padded sample {@code centre}
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
        return e1 >= CROSSFADE_MIN_SINGLE_RESIDUAL && zz / xx < CROSSFADE_NOISE_RATIO * e1;
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

    /** Unvoiced frames take the f0 of the nearest voiced frame (the earlier one on ties). */
    private void fillUnvoiced(float[] f0, boolean[] voiced) {
        int n = f0.length;
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (voiced[i]) {
                prev = i;
                continue;
            }
            int next = i + 1;
            while (next < n && !voiced[next]) next++;
            for (int j = i; j < next; j++) {
                boolean usePrev = prev >= 0 && (next >= n || j - prev <= next - j);
                f0[j] = usePrev ? f0[prev] : next < n ? f0[next]
                        : (float) Math.sqrt((double) fMinHz * fMaxHz); // nothing voiced at all
            }
            i = next - 1;
        }
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
