package org.ddsp4j.features;

import java.util.Arrays;
import org.ddsp4j.spectral.Loudness;

/**
 * Causal f0, confidence, voicing and loudness for live input: push samples, get frames, with a bounded
 * look-ahead and nothing allocated per frame. The stages are {@link PitchTracker}'s own ({@link YinFrames},
 * {@link YinCandidates}, {@link PitchViterbi}, {@link Cancellation}), run forward only.
 *
 * <h2>Framing and latency</h2>
 * The frame grid is the offline one: frame {@code k} is centred at sample {@code k * hop}, samples before the
 * first are zeros, and {@link #finish} pads zeros after the last, so a signal of {@code n} samples gives
 * {@code n / hop + 1} frames, as {@link AudioFeatures#compute} does. Frame {@code k} comes out as soon as
 * sample {@code k * hop + lookAhead - 1} has been pushed: {@link #lookAheadSamples()} (default 16 ms, 256
 * samples at 16 kHz, at most {@link #MAX_LOOK_AHEAD_SECONDS}) is the tracker's whole latency.
 *
 * <h2>Per frame</h2>
 * <ol>
 *   <li>Loudness: {@link Loudness.Meter}, the window of {@link Loudness#loudnessDb} centred on the frame
 *       (512 samples at 16 kHz, reaching 256 samples ahead): equal to the offline value when the look-ahead
 *       is at least half the window (the default); with less, the window ends at the look-ahead (centred up
 *       to {@code nFft/2 - lookAhead} samples early).</li>
 *   <li>YIN difference function ({@link YinFrames}) over a 16 ms window with the look-ahead left after the
 *       decision delay ({@code lookAhead - delayFrames * hop} samples): short lags are centred on the frame,
 *       long ones (low notes) a little before it. pYIN candidates and the silence gate as offline.</li>
 *   <li>Causal onset relabelling (on by default; the offline step 6 in causal form), before the Viterbi step:
 *       the frame is tested for a crossfade from the note A the track had {@link Builder#onsetLookFrames}
 *       frames earlier (64 ms) into a note B at most 750 cents away. A is cancelled with its comb, B is the
 *       best pYIN candidate of the residual's difference function, and {@link Cancellation#isCrossfade} must
 *       hold on the latest samples, asking for a clearer mixture than offline (no single period between A
 *       and B leaves less than 20% of the frame). A crossfading frame gets B as its only candidate, so the
 *       path goes from A to B at once instead of through the common period of the two notes (a sub-octave)
 *       or through unvoiced frames. The offline step reads B 64 ms ahead in the finished track; here B comes
 *       from the present.</li>
 *   <li>Viterbi forward pass (the offline transition and emission costs); frame {@code k} takes the state on
 *       the best path into frame {@code k + delayFrames}, traced back (fixed-lag decoding, default 1 frame at
 *       250 frames/s).</li>
 *   <li>Unvoiced frames hold the f0 of the last voiced frame (the offline track takes the nearest voiced
 *       frame, which may lie ahead).</li>
 * </ol>
 * Not thread-safe: one instance per stream, driven by one thread.
 */
public final class LiveTracker {
    /** Scratch of one vector's lanes for {@link YinDifference#lag}: a frame allocates nothing. */
    private final float[] lagLanes = new float[jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()];

    /** Most look-ahead a live tracker may be given. */
    public static final double MAX_LOOK_AHEAD_SECONDS = 0.016;
    /** Default YIN integration window (256 samples at 16 kHz; the offline default is one period of fMinHz). */
    private static final double WINDOW_SECONDS = 0.016;
    /**
     * Onset relabelling: the largest interval (cents) between notes A and B that is tested. The residual of a
     * cancelled note is still periodic in (multiples of) its period; wider intervals found B at sub-octaves
     * of A (octave errors 1.1% on the rendered instruments instead of 0.08%).
     */
    private static final double ONSET_MAX_STEP_CENTS = 750;
    /** Onset relabelling: least share of the frame no single period between A and B cancels (-7 dB). */
    private static final double ONSET_MIN_SINGLE_RESIDUAL = 0.2;
    /** Onset relabelling: the voicing probability and mass a crossfading frame's one candidate B gets at least. */
    private static final float ONSET_MASS = 0.5f;

    private final PitchTracker settings;
    private final int sampleRate, frameRate, hop, lookAhead, delayFrames, yinLookAhead, onsetLook;
    private final boolean onsetRelabelling;
    private final YinFrames yin;
    private final YinCandidates candidates;
    private final PitchViterbi viterbi;
    private final Cancellation comb;
    private final Loudness.Meter meter;
    private final int loudnessStart; // window start relative to the frame centre
    private final int nLags, k, ns, ring;

    // Samples: buf[0 .. fill) are absolute samples [bufStart, bufStart + fill).
    private final float[] buf;
    private long bufStart;
    private int fill;
    private final int history;
    private long pushed;

    // Per analysed frame (ring of delayFrames + 1 frames).
    private final float[] d, dn, candTau, candP, rawTau, conf;
    private final int[] nCand, back;
    private double[] prev, cur;
    private float[] prevLogTau, curLogTau;
    private int prevN;
    private long next; // next frame to analyse

    // Decided frames (ring of onsetLook + 1) for the causal relabelling.
    private final float[] pastF0;
    private final boolean[] pastVoiced;
    private float lastVoicedF0;

    // Residual analysis scratch.
    private final float[] resid, residD, residDn, rTau, rP, rRaw;
    private final int[] rN = new int[1];

    private LiveTracker(Builder b) {
        settings = b.pitch != null ? b.pitch : PitchTracker.builder(b.sampleRate).frameRate(b.frameRate).build();
        sampleRate = settings.sampleRate;
        frameRate = settings.frameRate;
        hop = settings.hop;
        int maxLook = (int) Math.floor(MAX_LOOK_AHEAD_SECONDS * sampleRate + 1e-9);
        lookAhead = b.lookAheadSamples >= 0 ? b.lookAheadSamples : maxLook;
        if (lookAhead < 0 || lookAhead > maxLook) {
            throw new IllegalArgumentException("look-ahead " + lookAhead + " samples is outside [0, " + maxLook
                    + "] (at most " + MAX_LOOK_AHEAD_SECONDS * 1000 + " ms at " + sampleRate + " Hz)");
        }
        delayFrames = b.delayFrames >= 0 ? b.delayFrames : lookAhead >= 2 * hop ? 1 : 0;
        yinLookAhead = lookAhead - delayFrames * hop;
        if (yinLookAhead < 0) {
            throw new IllegalArgumentException("decision delay " + delayFrames + " frames (" + delayFrames * hop
                    + " samples) is longer than the " + lookAhead + "-sample look-ahead");
        }
        nLags = settings.nLags;
        int w = b.windowSamples > 0 ? b.windowSamples : (int) Math.round(WINDOW_SECONDS * sampleRate);
        int nBlocks = Math.max(1, (w + hop - 1) / hop);
        yin = new YinFrames(hop, nLags, nBlocks, yinLookAhead);
        candidates = settings.candidates;
        viterbi = settings.viterbi;
        comb = settings.comb;
        onsetRelabelling = b.onsetRelabelling;
        onsetLook = b.onsetLookFrames;
        if (onsetLook <= delayFrames) {
            throw new IllegalArgumentException("onset look-back " + onsetLook + " frames must exceed the decision delay "
                    + delayFrames + " (the note A must be decided)");
        }
        meter = new Loudness.Meter(sampleRate, frameRate);
        loudnessStart = -meter.nFft() / 2 - Math.max(0, meter.nFft() / 2 - lookAhead);

        k = candidates.maxCandidates;
        ns = k + 1;
        ring = delayFrames + 1;
        d = new float[nLags];
        dn = new float[nLags];
        candTau = new float[ring * k];
        candP = new float[ring * k];
        rawTau = new float[ring * k];
        conf = new float[ring];
        nCand = new int[ring];
        back = new int[ring * ns];
        prev = new double[ns];
        cur = new double[ns];
        prevLogTau = new float[ns];
        curLogTau = new float[ns];
        pastF0 = new float[onsetLook + 1];
        pastVoiced = new boolean[onsetLook + 1];
        resid = new float[comb.cancelWindow + nLags + 1];
        residD = new float[nLags];
        residDn = new float[nLags];
        rTau = new float[k];
        rP = new float[k];
        rRaw = new float[k];

        // History: the oldest sample any stage reads, behind the oldest frame still to be emitted.
        int tauMax = candidates.tauMax;
        int cancelBack = comb.cancelWindow + 3 * (tauMax + comb.cancelSpan) + 2;
        history = Math.max(Math.max(-yin.firstOffset(), -loudnessStart), cancelBack) + delayFrames * hop + hop;
        buf = new float[history + lookAhead + 8 * hop + 4096];
        reset();
    }

    /** A tracker with every default at this sample rate (250 frames/s, 16 ms look-ahead). */
    public LiveTracker(int sampleRate) {
        this(new Builder(sampleRate));
    }

    public static Builder builder(int sampleRate) {
        return new Builder(sampleRate);
    }

    /** Options; each has a documented default. */
    public static final class Builder {
        private final int sampleRate;
        private int frameRate = 250;
        private PitchTracker pitch;
        private int lookAheadSamples = -1, delayFrames = -1, windowSamples = 0, onsetLookFrames = 16;
        private boolean onsetRelabelling = true;

        private Builder(int sampleRate) {
            this.sampleRate = sampleRate;
        }

        /** Frames per second (default 250); ignored when {@link #pitch} is given. */
        public Builder frameRate(int v) { frameRate = v; return this; }

        /** The offline tracker whose settings (rates, f0 range, silence gate, costs) this one runs causally. */
        public Builder pitch(PitchTracker v) { pitch = v; return this; }

        /** Samples after a frame's centre it may read (default and most: {@link #MAX_LOOK_AHEAD_SECONDS}). */
        public Builder lookAheadSamples(int v) { lookAheadSamples = v; return this; }

        /** Frames the Viterbi decision waits for, out of the look-ahead (default 1, or 0 when the look-ahead is
         * under two hops). */
        public Builder delayFrames(int v) { delayFrames = v; return this; }

        /** YIN integration window in samples, rounded up to whole hops (default 16 ms: 256 samples at 16 kHz). */
        public Builder windowSamples(int v) { windowSamples = v; return this; }

        /** Causal onset relabelling (default on). */
        public Builder onsetRelabelling(boolean v) { onsetRelabelling = v; return this; }

        /** Frames back to the note a crossfade starts from (default 16: 64 ms at 250 frames/s). */
        public Builder onsetLookFrames(int v) { onsetLookFrames = v; return this; }

        public LiveTracker build() {
            return new LiveTracker(this);
        }
    }

    public int sampleRate() { return sampleRate; }
    public int frameRate() { return frameRate; }
    public int hop() { return hop; }

    /** Samples after a frame's centre that must arrive before the frame comes out: the tracker's latency. */
    public int lookAheadSamples() { return lookAhead; }

    /** Most frames one {@link #push} of {@code nSamples} (or {@link #finish}, with 0) can return. */
    public int maxFrames(int nSamples) {
        return (nSamples + lookAhead) / hop + 2;
    }

    /** Starts a new stream: the next sample pushed is sample 0, preceded by silence. */
    public void reset() {
        Arrays.fill(buf, 0f);
        bufStart = -history;
        fill = history;
        pushed = 0;
        next = 0;
        yin.reset();
        Arrays.fill(prev, 0);
        prevN = 0;
        Arrays.fill(pastF0, 0f);
        Arrays.fill(pastVoiced, false);
        lastVoicedF0 = (float) Math.sqrt((double) settings.fMinHz * settings.fMaxHz);
    }

    /**
     * Feeds samples and writes the frames that became ready.
     *
     * @param x          mono samples at {@link #sampleRate()}, nominally in [-1, 1]; a non-finite sample counts as 0
     * @param f0Hz       receives f0 in Hz per frame (held from the last voiced frame where unvoiced)
     * @param confidence receives the voicing probability in [0, 1]
     * @param voiced     receives the voicing decision
     * @param loudnessDb receives A-weighted loudness in dB
     * @param outOff     where the first frame goes in each output array (room for {@link #maxFrames} frames)
     * @return the number of frames written
     */
    public int push(float[] x, int off, int len, float[] f0Hz, float[] confidence, boolean[] voiced, float[] loudnessDb,
                    int outOff) {
        if (off < 0 || len < 0 || off + len > x.length) {
            throw new IllegalArgumentException("push: [" + off + ", " + (off + len) + ") is not inside x [" + x.length + "]");
        }
        int produced = 0;
        while (len > 0) {
            if (fill == buf.length) compact();
            int n = Math.min(len, buf.length - fill);
            for (int i = 0; i < n; i++) {
                float v = x[off + i];
                buf[fill + i] = Float.isFinite(v) ? v : 0f;
            }
            fill += n;
            off += n;
            len -= n;
            pushed += n;
            produced += drain(f0Hz, confidence, voiced, loudnessDb, outOff + produced);
        }
        return produced;
    }

    /**
     * Ends the stream: pads silence until every frame of the samples pushed ({@code pushed / hop + 1} in all)
     * has come out, writes those frames and {@link #reset}s.
     *
     * @return the number of frames written
     */
    public int finish(float[] f0Hz, float[] confidence, boolean[] voiced, float[] loudnessDb, int outOff) {
        long total = pushed / hop + 1;
        int produced = 0;
        while (next - delayFrames < total) {
            if (fill == buf.length) compact();
            int n = (int) Math.min(hop, buf.length - fill);
            Arrays.fill(buf, fill, fill + n, 0f);
            fill += n;
            produced += drain(f0Hz, confidence, voiced, loudnessDb, outOff + produced);
        }
        // The padding may have made frames past the end ready; they are not part of this signal.
        int extra = (int) Math.max(0, (next - delayFrames) - total);
        reset();
        return produced - extra;
    }

    /** Analyses every frame whose samples are in; returns the frames emitted. */
    private int drain(float[] f0Hz, float[] confidence, boolean[] voiced, float[] loudnessDb, int outOff) {
        int produced = 0;
        long end = bufStart + fill;
        while (next * hop + yinLookAhead <= end) {
            analyse(next);
            long frame = next - delayFrames;
            next++;
            if (frame < 0) continue;
            emit(frame, f0Hz, confidence, voiced, loudnessDb, outOff + produced);
            produced++;
        }
        return produced;
    }

    /** Pitch stage of frame {@code i}: candidates and one Viterbi step. */
    private void analyse(long i) {
        int slot = (int) (i % ring), base = slot * k;
        long c = i * hop;
        int xOff = (int) -bufStart;
        // Silence gate over the samples this frame reads.
        int w0 = (int) (c - yin.half - Math.max(0, yin.window - yin.half - yinLookAhead) + xOff);
        double central = energy(w0, w0 + yin.window);
        int s0 = (int) (c + yin.firstOffset() + xOff);
        int s1 = (int) (c + Math.min((long) yin.window - yin.half + candidates.tauEdge, yinLookAhead) + xOff);
        double whole = energy(s0, s1);
        double gate = settings.silenceRms * settings.silenceRms * yin.window;
        conf[slot] = 0f;
        nCand[slot] = 0;
        if (!yin.gated(central, whole, s1 - s0, gate, PitchTracker.RELATIVE_GATE)) {
            yin.difference(buf, xOff, i, d);
            YinDifference.cmndf(d, nLags, dn);
            conf[slot] = candidates.extract(d, dn, base, candTau, candP, rawTau, nCand, slot);
            if (onsetRelabelling) {
                float pB = crossfadePeriod(i, c + xOff, c + yinLookAhead + xOff);
                if (pB > 0) {
                    float m = Math.max(conf[slot], ONSET_MASS);
                    candTau[base] = pB;
                    rawTau[base] = pB;
                    candP[base] = m;
                    conf[slot] = m;
                    nCand[slot] = 1;
                }
            }
        }
        viterbi.step(prev, prevLogTau, prevN, candTau, candP, base, nCand[slot], conf[slot], cur, curLogTau, back, slot * ns);
        // Scores only matter relative to each other; keep them near 0 for endless streams.
        int n = nCand[slot];
        double top = cur[PitchViterbi.argmax(cur, n)];
        for (int j = 0; j <= n; j++) cur[j] -= top;
        double[] t = prev; prev = cur; cur = t;
        float[] tl = prevLogTau; prevLogTau = curLogTau; curLogTau = tl;
        prevN = n;
    }

    private double energy(int from, int to) {
        double e = 0;
        for (int j = from; j < to; j++) e += (double) buf[j] * buf[j];
        return e;
    }

    /** Decides frame {@code frame} ({@code next - 1 - delayFrames}) and writes it. */
    private void emit(long frame, float[] f0Hz, float[] confidence, boolean[] voiced, float[] loudnessDb, int o) {
        int s = PitchViterbi.argmax(prev, prevN);
        for (long t = next - 1; t > frame; t--) s = back[(int) (t % ring) * ns + s];
        int slot = (int) (frame % ring);
        boolean v = s > 0;
        float f = v ? sampleRate / rawTau[slot * k + s - 1] : lastVoicedF0;
        long c = frame * hop;
        int xOff = (int) -bufStart;
        int p = (int) (frame % (onsetLook + 1));
        pastF0[p] = f;
        pastVoiced[p] = v;
        if (v) lastVoicedF0 = f;
        f0Hz[o] = f;
        confidence[o] = conf[slot];
        voiced[o] = v;
        loudnessDb[o] = meter.frameDb(buf, (int) (c + loudnessStart + xOff));
    }

    /**
     * Causal onset relabelling: the period of the note B that frame {@code frame} (centred at buffer index
     * {@code centre}, samples in up to buffer index {@code end}) is crossfading into from the note A of
     * {@link Builder#onsetLookFrames} frames earlier, or 0.
     */
    private float crossfadePeriod(long frame, long centre, long end) {
        if (frame < onsetLook) return 0f;
        int pa = (int) ((frame - onsetLook) % (onsetLook + 1));
        if (!pastVoiced[pa]) return 0f;
        float fA = pastF0[pa];
        float periodA = sampleRate / fA;
        int lagA = comb.cancelLag(periodA);
        // Residual of A, y[j] = x[j] - x[j - lagA], over the last cw + nLags samples we have.
        int cw = comb.cancelWindow;
        int len = cw + nLags, y0 = (int) (end - len);
        for (int j = 0; j < len; j++) resid[j] = buf[y0 + j] - buf[y0 + j - lagA];
        // Its difference function, each lag's pairs centred on the frame as far as the samples allow.
        residD[0] = 0f;
        for (int tau = 1; tau < nLags; tau++) {
            long wEnd = Math.min(centre + cw - cw / 2 + (tau + 1) / 2, end - tau);
            residD[tau] = YinDifference.lag(resid, (int) (wEnd - cw - y0), cw, tau, lagLanes);
        }
        YinDifference.cmndf(residD, nLags, residDn);
        candidates.extract(residD, residDn, 0, rTau, rP, rRaw, rN, 0);
        if (rN[0] == 0) return 0f;
        float periodB = rRaw[0], fB = sampleRate / periodB;
        double step = Math.abs(PitchTracker.cents(fB, fA));
        if (step < PitchTracker.ONSET_MIN_STEP_CENTS || step > ONSET_MAX_STEP_CENTS) return 0f;
        int lagB = comb.cancelLag(periodB);
        // The crossfade test centred on the frame, or as late as the samples allow.
        long testCentre = Math.min(centre, end - comb.crossfadeReach(periodA, periodB, lagA, lagB));
        boolean xf = comb.isCrossfade(buf, (int) testCentre, periodA, periodB, lagA, lagB, ONSET_MIN_SINGLE_RESIDUAL);
        return xf ? periodB : 0f;
    }

    /** Moves the samples still needed to the front of the buffer. */
    private void compact() {
        long oldest = (next - delayFrames) * hop - history; // oldest sample any pending frame reads
        int drop = (int) Math.max(0, Math.min(fill, oldest - bufStart));
        if (drop == 0) throw new IllegalStateException("live tracker buffer full (" + buf.length + " samples)");
        System.arraycopy(buf, drop, buf, 0, fill - drop);
        fill -= drop;
        bufStart += drop;
    }

    /**
     * The whole track of a recording, frame for frame what pushing it block by block gives (a convenience for
     * evaluation and tests; allocates).
     */
    public PitchTrack track(float[] mono) {
        int n = mono.length / hop + 1;
        float[] f0 = new float[n + maxFrames(0)], c = new float[f0.length], l = new float[f0.length];
        boolean[] v = new boolean[f0.length];
        reset();
        int got = 0;
        for (int off = 0; off < mono.length; off += 4096) {
            int len = Math.min(4096, mono.length - off);
            got += push(mono, off, len, f0, c, v, l, got);
        }
        got += finish(f0, c, v, l, got);
        if (got != n) throw new IllegalStateException("live tracker gave " + got + " frames for " + n);
        return new PitchTrack(Arrays.copyOf(f0, n), Arrays.copyOf(c, n), Arrays.copyOf(v, n), frameRate);
    }
}
