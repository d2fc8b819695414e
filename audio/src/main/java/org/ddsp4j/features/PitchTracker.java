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
 * Each stage is a class of its own, shared with the causal {@link LiveTracker}: the difference function per
 * frame ({@link YinFrames} over {@link YinDifference}'s kernels), pYIN candidates ({@link YinCandidates}), the
 * Viterbi recursion ({@link PitchViterbi}) and the comb tests of onset relabelling ({@link Cancellation}).
 * <ol>
 *   <li>Per frame, the YIN difference function {@code d(tau)} over an integration window of
 *       {@code W >= sampleRate / fMinHz} samples (a whole number of hops) for lags up to
 *       {@code tauMax = ceil(sampleRate / fMinHz)} and {@link #FLOOR_MARGIN} past it, computed exactly by {@link YinDifference}
 *       (block partial sums shared by overlapping frames), then its cumulative-mean-normalized form
 *       {@code d'(tau)}. For lag {@code tau} the window starts {@code tau/2} samples earlier (rounded
 *       to whole hops), so the midpoints of the compared pairs {@code (x[j], x[j+tau])} are centred
 *       on the frame centre for every lag; a fixed window start would bias low and high pitches in
 *       opposite directions in time (one frame of bias costs ~0.6% RPA on the rendered instruments).</li>
 *   <li>pYIN stage 1: every local minimum of {@code d'} in {@code [sampleRate/fMaxHz, tauMax]} that
 *       {@code d'} does not undercut within {@link #FLOOR_MARGIN} of its lag after it is a candidate (lags are
 *       computed that far past {@code tauMax}; a slope that goes on falling past the floor is no pitch at the
 *       floor, see {@link YinCandidates}); a Beta(2, 11.33) prior over 100 YIN thresholds {@code 0.01 .. 1.00} gives each
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
 *       {@link Cancellation#isCrossfade}). In legato the old note's release dominates the new note's attack for
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
    /** A frame whose window is this much quieter (power) than its whole analysis span is unvoiced (-30 dB). */
    static final double RELATIVE_GATE = 1e-3;
    /** Onset relabelling: seconds to each side where the old and new notes are read (16 frames at 250 fps). */
    private static final double ONSET_LOOK_SECONDS = 0.064;
    /** Onset relabelling: least interval (cents) between the notes; below it the cancellations overlap. */
    static final double ONSET_MIN_STEP_CENTS = 80;
    /** Onset relabelling: the new note must hold within this many cents for 4 frames (not vibrato swing). */
    private static final double ONSET_HOLD_CENTS = 30;

    final int sampleRate, frameRate, hop;
    final float fMinHz, fMaxHz;
    /**
     * The lag range is searched this much (relative) past the floor's period, so that a dip at the floor is seen
     * from both sides and one past it is no pitch ({@link YinCandidates}, class doc).
     */
    static final double FLOOR_MARGIN = 0.06;

    /** Lags {@code 0 .. nLags - 1} of the difference function ({@code tauEdge + 2}: d'(tauEdge + 1) is needed to call
     * tauEdge a local minimum) and the integration window in blocks of {@code hop}. */
    final int nLags, nBlocks;
    final double silenceRms;
    final YinCandidates candidates;
    final PitchViterbi viterbi;
    final Cancellation comb;
    /** Onset relabelling: frames to each side where the old and new notes are read. */
    private final int onsetLook;
    private final boolean onsetRelabelling;

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
        int tauMin = Math.max(2, (int) Math.floor(sampleRate / fMaxHz));
        int tauMax = (int) Math.ceil(sampleRate / fMinHz);
        int tauEdge = (int) Math.ceil(tauMax * (1 + FLOOR_MARGIN));
        nLags = tauEdge + 2;
        int w = b.windowSamples > 0 ? b.windowSamples : tauMax;
        // Uniform weights over the blocks: Hann/sine/triangular tapers were tried and changed RPA on the
        // rendered instruments by < 0.001 (docs/results/pitch.md).
        nBlocks = Math.max(1, (w + hop - 1) / hop);
        silenceRms = Math.pow(10, b.silenceDb / 20);
        candidates = new YinCandidates(tauMin, tauMax, tauEdge, b.maxCandidates);
        viterbi = new PitchViterbi(b.jumpCostPerSemitone, b.switchCost, b.unvoicedBias);
        comb = new Cancellation(sampleRate);
        onsetRelabelling = b.onsetRelabelling;
        onsetLook = Math.max(1, (int) Math.round(ONSET_LOOK_SECONDS * frameRate));
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
        int k = candidates.maxCandidates, tauEdge = candidates.tauEdge;
        YinFrames yin = new YinFrames(hop, nLags, nBlocks, Integer.MAX_VALUE);
        // Zero-padded signal: padded index = original index + offset, so the first frame's earliest block fits.
        int offset = -yin.firstOffset(), ringSize = yin.maxShift + nBlocks;
        int nPadded = (nFrames + ringSize) * hop + YinDifference.paddedLags(nLags);
        float[] x = new float[nPadded];
        for (int i = 0; i < mono.length; i++) {
            if (!Float.isFinite(mono[i])) {
                throw new IllegalArgumentException("sample " + i + " is " + mono[i] + "; the signal must be finite");
            }
        }
        System.arraycopy(mono, 0, x, offset, mono.length);
        double[] energy = new double[nPadded + 1]; // prefix sums of x^2
        for (int i = 0; i < nPadded; i++) energy[i + 1] = energy[i] + (double) x[i] * x[i];
        int span = ringSize * hop + tauEdge;
        double gate = silenceRms * silenceRms * yin.window;

        float[] d = new float[nLags];
        float[] dn = new float[nLags];
        int[] nCand = new int[nFrames];
        float[] candTau = new float[nFrames * k];
        float[] candP = new float[nFrames * k];
        float[] rawTau = new float[nFrames * k]; // tau refined on raw d, used for the output f0
        float[] conf = new float[nFrames];
        for (int i = 0; i < nFrames; i++) {
            // Gate on the integration window itself: when it is silent but the lagged samples reach
            // into a note (just before an onset), d(tau) is ~0 for short lags and d' shows false dips.
            int start = i * hop, centre = start + yin.maxShift * hop;
            double central = energy[centre + yin.window] - energy[centre];
            double whole = energy[start + span] - energy[start];
            if (yin.gated(central, whole, span, gate, RELATIVE_GATE)) continue;
            yin.difference(x, offset, i, d);
            YinDifference.cmndf(d, nLags, dn);
            conf[i] = candidates.extract(d, dn, i * k, candTau, candP, rawTau, nCand, i);
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
        if (onsetRelabelling) relabelOnsets(x, offset, f0, voiced);
        fillUnvoiced(f0, voiced);
        return new PitchTrack(f0, conf, voiced, frameRate);
    }

    /** Viterbi over states {0 = unvoiced, 1..nCand[i] = candidate}, traced back from the end; returns the state per frame. */
    private int[] viterbi(int nFrames, int[] nCand, float[] candTau, float[] candP, float[] conf) {
        int k = candidates.maxCandidates, ns = k + 1;
        int[] back = new int[nFrames * ns];
        double[] prev = new double[ns], cur = new double[ns];
        float[] prevLogTau = new float[ns], curLogTau = new float[ns];
        int prevN = 0;
        for (int i = 0; i < nFrames; i++) {
            viterbi.step(prev, prevLogTau, prevN, candTau, candP, i * k, nCand[i], conf[i], cur, curLogTau, back, i * ns);
            double[] t = prev; prev = cur; cur = t;
            float[] tl = prevLogTau; prevLogTau = curLogTau; curLogTau = tl;
            prevN = nCand[i];
        }
        int[] path = new int[nFrames];
        int s = PitchViterbi.argmax(prev, prevN);
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
     * {@link Cancellation#isCrossfade}: cancel A, then see whether cancelling B removes energy from what is
     * left, and whether the pair explains the frame where no single period between A and B does. The test does not care how weak B is next to A, which the difference function does:
     * when the old note's release dominates, d' has one merged dip that slides from A to B as the
     * mixture changes (a pseudo-glide that lags the real onset by 40..100 ms).
     *
     * @param x zero-padded signal (frame {@code i} centred at {@code i * hop + offset})
     * @param f0 per-frame f0 in Hz, {@code [nFrames]}, rewritten in place
     * @param voiced per-frame voicing, {@code [nFrames]}, unchanged
     */
    private void relabelOnsets(float[] x, int offset, float[] f0, boolean[] voiced) {
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
            int lagA = comb.cancelLag(sampleRate / fA), lagB = comb.cancelLag(sampleRate / fB);
            if (comb.isCrossfade(x, i * hop + offset, sampleRate / fA, sampleRate / fB, lagA, lagB)) out[i] = fB;
        }
        System.arraycopy(out, 0, f0, 0, n);
    }

    static double cents(float a, float b) {
        return 1200 * Math.log((double) a / b) / Math.log(2);
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
}
