package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthControls.TWO_PI;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused DDSP harmonic synthesizer on flat arrays, forward and hand-written backward.
 *
 * <pre>
 *   audio[b,t] = amp_up(t) * sum_{k=1..K} [k*|f0_up(t)| &lt; sr/2] * dist_up_k(t) * sin(k * phi(t))
 *   phi(t)     = initialPhase[b] + 2*pi * sum_{s&lt;=t} f0_up(s) / sr
 * </pre>
 * Controls come at frame rate and are upsampled linearly with {@code align_corners=True} semantics
 * (see {@link SynthControls}). The harmonic distribution is used as given (normalize it before); the
 * kernel itself silences harmonic {@code k} at every sample where {@code k*|f0_up(t)| >= sr/2}, so a
 * glide never aliases. The Nyquist gate is treated as a constant in the backward pass.
 *
 * <p>Speed: {@code [batch, nSamples, nHarmonics]} is never materialized. Lanes of a double vector hold
 * consecutive samples; {@code sin(k*phi)} (and {@code cos(k*phi)} in backward) come from the Chebyshev
 * recurrence {@code s_{k+1} = 2cos(phi) s_k - s_{k-1}} seeded with {@link VectorMath#sinCos} of the
 * double phase (so the same bits whether the JIT has compiled the kernel or not). In double its error grows at most like {@code k^2 * 1e-16} (below 1e-11 for 200 harmonics), so
 * no re-seeding is needed. Rows of the batch run in parallel.
 *
 * <p>All arrays are row-major: {@code f0Hz, amplitude [batch, nFrames]},
 * {@code harmonicDistribution [batch, nFrames, nHarmonics]}, {@code audio [batch, nSamples]},
 * {@code initialPhase, finalPhase [batch]} in radians.
 */
public final class HarmonicKernel {
    private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
    private static final int V = SP.length();
    /** Samples per scalar control pre-pass; a multiple of the vector length. */
    private static final int BLOCK = 512;

    private HarmonicKernel() {}

    /**
     * Renders audio.
     *
     * @param batch                rows B
     * @param nFrames              control frames F
     * @param nHarmonics           harmonics K
     * @param nSamples             audio samples T per row
     * @param sampleRate           Hz
     * @param f0Hz                 [B, F] fundamental frequency in Hz
     * @param amplitude            [B, F] overall amplitude (linear)
     * @param harmonicDistribution [B, F, K] harmonic weights (normalized by the caller)
     * @param initialPhase         [B] phase in radians before the first sample, or null for 0
     * @param audio                [B, T] output, overwritten
     * @param finalPhase           [B] output: phi(T-1) wrapped to [0, 2*pi), the initial phase of the
     *                             next block for seamless block-by-block rendering; may be null
     */
    public static void forward(int batch, int nFrames, int nHarmonics, int nSamples, double sampleRate,
                               float[] f0Hz, float[] amplitude, float[] harmonicDistribution,
                               float[] initialPhase, float[] audio, float[] finalPhase) {
        forward(batch, nFrames, nHarmonics, nSamples, SynthControls.scale(nFrames, nSamples), sampleRate, f0Hz, amplitude,
                harmonicDistribution, initialPhase, audio, finalPhase);
    }

    /**
     * {@link #forward} with an explicit frame position per sample: sample {@code t} reads frame
     * position {@code min(t * framesPerSample, nFrames - 1)}. {@code 1 / hop} is the streaming frame
     * convention (frame k at sample {@code k * hop}, the last frame held); {@code (F - 1) / (T - 1)}
     * is align-corners (what the overload without it uses).
     */
    public static void forward(int batch, int nFrames, int nHarmonics, int nSamples, double framesPerSample, double sampleRate,
                               float[] f0Hz, float[] amplitude, float[] harmonicDistribution,
                               float[] initialPhase, float[] audio, float[] finalPhase) {
        checkInputs(batch, nFrames, nHarmonics, nSamples, sampleRate, f0Hz, amplitude, harmonicDistribution, initialPhase);
        SynthControls.checkLength("audio", audio, SynthControls.product("audio", batch, nSamples), "[batch, nSamples]");
        SynthControls.checkOptional("finalPhase", finalPhase, batch, "[batch]");
        Parallel.forRange(batch, minRows(nSamples, nHarmonics), (from, to) -> {
            Row r = new Row(nFrames, nHarmonics, nSamples, framesPerSample, sampleRate, false);
            for (int b = from; b < to; b++) {
                double end = r.forwardRow(b, f0Hz, amplitude, harmonicDistribution,
                        initialPhase == null ? 0.0 : initialPhase[b], audio);
                if (finalPhase != null) finalPhase[b] = (float) end;
            }
        });
    }

    /**
     * Backward pass of {@link #forward}: given {@code gradAudio = dL/daudio}, ADDS dL/d(input) into the
     * gradient arrays (so callers can accumulate); null gradient arrays are skipped.
     *
     * @param gradAudio        [B, T] dL/daudio
     * @param gradF0           [B, F] dL/df0Hz (per Hz), added to; may be null
     * @param gradAmplitude    [B, F] dL/damplitude, added to; may be null
     * @param gradDistribution [B, F, K] dL/dharmonicDistribution, added to; may be null
     * @param gradInitialPhase [B] dL/dinitialPhase (per radian), added to; may be null
     */
    public static void backward(int batch, int nFrames, int nHarmonics, int nSamples, double sampleRate,
                                float[] f0Hz, float[] amplitude, float[] harmonicDistribution,
                                float[] initialPhase, float[] gradAudio,
                                float[] gradF0, float[] gradAmplitude, float[] gradDistribution,
                                float[] gradInitialPhase) {
        backward(batch, nFrames, nHarmonics, nSamples, SynthControls.scale(nFrames, nSamples), sampleRate, f0Hz, amplitude,
                harmonicDistribution, initialPhase, gradAudio, gradF0, gradAmplitude, gradDistribution, gradInitialPhase);
    }

    /** Backward pass of {@link #forward(int, int, int, int, double, double, float[], float[], float[], float[], float[], float[])}. */
    public static void backward(int batch, int nFrames, int nHarmonics, int nSamples, double framesPerSample, double sampleRate,
                                float[] f0Hz, float[] amplitude, float[] harmonicDistribution,
                                float[] initialPhase, float[] gradAudio,
                                float[] gradF0, float[] gradAmplitude, float[] gradDistribution,
                                float[] gradInitialPhase) {
        checkInputs(batch, nFrames, nHarmonics, nSamples, sampleRate, f0Hz, amplitude, harmonicDistribution, initialPhase);
        int bf = batch * nFrames;
        SynthControls.checkLength("gradAudio", gradAudio, (long) batch * nSamples, "[batch, nSamples]");
        SynthControls.checkOptional("gradF0", gradF0, bf, "[batch, nFrames]");
        SynthControls.checkOptional("gradAmplitude", gradAmplitude, bf, "[batch, nFrames]");
        SynthControls.checkOptional("gradDistribution", gradDistribution, (long) bf * nHarmonics, "[batch, nFrames, nHarmonics]");
        SynthControls.checkOptional("gradInitialPhase", gradInitialPhase, batch, "[batch]");
        Parallel.forRange(batch, minRows(nSamples, nHarmonics), (from, to) -> {
            Row r = new Row(nFrames, nHarmonics, nSamples, framesPerSample, sampleRate, true);
            for (int b = from; b < to; b++) {
                r.backwardRow(b, f0Hz, amplitude, harmonicDistribution,
                        initialPhase == null ? 0.0 : initialPhase[b], gradAudio,
                        gradF0, gradAmplitude, gradDistribution, gradInitialPhase);
            }
        });
    }

    /**
     * Renders one frame interval at a time for streaming, with the phase carried in double between
     * calls (the offline kernel's own accumulator, so a stream of blocks equals one offline render).
     * Sample {@code j} of a block reads frame position {@code j / hop} between the block's two
     * control frames. Single-threaded; allocates nothing per block.
     */
    public static final class BlockRenderer {
        private final Row row;
        private final float[] audio;
        private double phase;

        /** @param hop samples per block (one frame interval) */
        public BlockRenderer(int nHarmonics, int hop, double sampleRate) {
            SynthControls.checkSizes(1, 2, hop, sampleRate);
            if (nHarmonics < 1) throw new IllegalArgumentException("nHarmonics must be >= 1, got " + nHarmonics);
            row = new Row(2, nHarmonics, hop, 1.0 / hop, sampleRate, false);
            audio = new float[hop];
        }

        /** Phase 0 (the start of a new stream). */
        public void reset() {
            phase = 0;
        }

        /**
         * @param f0Hz      {@code [2]} this frame's and the next frame's f0
         * @param amplitude {@code [2]}
         * @param dist      {@code [2, nHarmonics]} normalized distributions
         * @return the block's {@code hop} samples (an internal buffer, valid until the next call)
         */
        public float[] render(float[] f0Hz, float[] amplitude, float[] dist) {
            phase = row.forwardRow(0, f0Hz, amplitude, dist, phase, audio);
            return audio;
        }
    }

    private static int minRows(int nSamples, int nHarmonics) {
        long work = (long) nSamples * nHarmonics;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, 200_000 / Math.max(1, work)));
    }

    private static void checkInputs(int batch, int nFrames, int nHarmonics, int nSamples, double sampleRate,
                                    float[] f0Hz, float[] amplitude, float[] dist, float[] initialPhase) {
        SynthControls.checkSizes(batch, nFrames, nSamples, sampleRate);
        if (nHarmonics < 1) throw new IllegalArgumentException("nHarmonics must be >= 1, got " + nHarmonics);
        int bf = SynthControls.product("f0Hz", batch, nFrames);
        SynthControls.checkLength("f0Hz", f0Hz, bf, "[batch, nFrames]");
        SynthControls.checkLength("amplitude", amplitude, bf, "[batch, nFrames]");
        SynthControls.checkLength("harmonicDistribution", dist,
                SynthControls.product("harmonicDistribution", batch, nFrames, nHarmonics), "[batch, nFrames, nHarmonics]");
        SynthControls.checkOptional("initialPhase", initialPhase, batch, "[batch]");
    }

    /** Per-task scratch and the row loops; one instance per thread chunk, reused across rows. */
    private static final class Row {
        final int nFrames, nHarmonics, nSamples;
        final double sampleRate, nyquist, scale, lastFrame;
        // Per-block controls at audio rate (padded to a multiple of V).
        final int[] seg = new int[BLOCK];
        final double[] segD = new double[BLOCK], w = new double[BLOCK], amp = new double[BLOCK];
        final double[] cos1 = new double[BLOCK], sin1 = new double[BLOCK], nAct = new double[BLOCK];
        final double[] y = new double[BLOCK];
        // Backward only.
        final double[] g, gAmpUp, dPhi, gAmpRow, accA, accB;
        double phase;

        Row(int nFrames, int nHarmonics, int nSamples, double framesPerSample, double sampleRate, boolean backward) {
            this.nFrames = nFrames;
            this.nHarmonics = nHarmonics;
            this.nSamples = nSamples;
            this.sampleRate = sampleRate;
            this.nyquist = sampleRate / 2;
            this.scale = framesPerSample;
            this.lastFrame = nFrames - 1;
            if (backward) {
                g = new double[BLOCK];
                gAmpUp = new double[BLOCK];
                dPhi = new double[nSamples];
                gAmpRow = new double[nFrames];
                accA = new double[nHarmonics * V];
                accB = new double[nHarmonics * V];
            } else {
                g = gAmpUp = dPhi = gAmpRow = accA = accB = null;
            }
        }

        /**
         * Scalar pre-pass over samples [t0, t0+n): segment, weight, amplitude, Nyquist count and the
         * seeds cos/sin(phi) from the double phase accumulator. Pads to a multiple of V with silent lanes.
         * Returns the padded length.
         */
        int controls(int row, float[] f0Hz, float[] amplitude, int t0, int n) {
            int fo = row * nFrames;
            double inc = TWO_PI / sampleRate;
            double ph = phase;
            for (int i = 0; i < n; i++) {
                int t = t0 + i;
                double pos = Math.min(t * scale, lastFrame);
                int i0 = SynthControls.segment(pos, nFrames);
                int i1 = Math.min(i0 + 1, nFrames - 1);
                double wt = pos - i0;
                double f0 = (1 - wt) * f0Hz[fo + i0] + wt * f0Hz[fo + i1];
                seg[i] = i0;
                segD[i] = i0;
                w[i] = wt;
                amp[i] = (1 - wt) * amplitude[fo + i0] + wt * amplitude[fo + i1];
                nAct[i] = f0; // frequency for now; turned into the audible-harmonic count below
                ph += inc * f0;
                if (ph >= TWO_PI || ph < 0) ph = SynthControls.wrap(ph);
                sin1[i] = ph; // the phase for now; turned into its sine below
            }
            phase = ph;
            int padded = (n + V - 1) / V * V;
            for (int i = n; i < padded; i++) {
                seg[i] = seg[n - 1];
                segD[i] = segD[n - 1];
                w[i] = 0;
                amp[i] = 0;
                nAct[i] = 0; // silent lane: every harmonic gated off
                sin1[i] = 0;
            }
            // Seeds cos/sin(phi) over whole vectors: VectorMath.sinCos is several times faster than
            // scalar Math.sin/cos, within 1 ulp, and rounds the same in every JIT tier.
            VectorMath.sinCos(sin1, 0, sin1, 0, cos1, 0, padded);
            for (int i = 0; i < padded; i += V) audible(DoubleVector.fromArray(SP, nAct, i)).intoArray(nAct, i);
            return padded;
        }

        double forwardRow(int row, float[] f0Hz, float[] amplitude, float[] dist, double phi0, float[] audio) {
            phase = SynthControls.wrap(phi0);
            int K = nHarmonics;
            DoubleVector zero = DoubleVector.zero(SP), one = DoubleVector.broadcast(SP, 1.0);
            int distRow = row * nFrames * K;
            for (int t0 = 0; t0 < nSamples; t0 += BLOCK) {
                int n = Math.min(BLOCK, nSamples - t0);
                int padded = controls(row, f0Hz, amplitude, t0, n);
                for (int i = 0; i < padded; i += V) {
                    DoubleVector c2 = DoubleVector.fromArray(SP, cos1, i).mul(2.0);
                    DoubleVector s1 = DoubleVector.fromArray(SP, sin1, i);
                    DoubleVector wv = DoubleVector.fromArray(SP, w, i);
                    DoubleVector na = DoubleVector.fromArray(SP, nAct, i);
                    DoubleVector sv = DoubleVector.fromArray(SP, segD, i);
                    DoubleVector out = zero;
                    // One pass per frame segment touched by this chunk (usually one); lanes of other
                    // segments get weight 0, so passes just add up.
                    for (int j = seg[i]; j <= seg[i + V - 1]; j++) {
                        VectorMask<Double> in = sv.compare(VectorOperators.EQ, (double) j);
                        DoubleVector b = zero.blend(wv, in);
                        DoubleVector a = zero.blend(one.sub(wv), in);
                        int kLo = K, kHi = 0;
                        for (int l = 0; l < V; l++) {
                            if (seg[i + l] != j) continue;
                            int c = (int) nAct[i + l];
                            kLo = Math.min(kLo, c);
                            kHi = Math.max(kHi, c);
                        }
                        int o0 = distRow + j * K, o1 = distRow + Math.min(j + 1, nFrames - 1) * K;
                        DoubleVector acc0 = zero, acc1 = zero, sPrev = zero, s = s1;
                        int k = 0;
                        for (; k < kLo; k++) { // all lanes below Nyquist
                            acc0 = s.fma(DoubleVector.broadcast(SP, dist[o0 + k]), acc0);
                            acc1 = s.fma(DoubleVector.broadcast(SP, dist[o1 + k]), acc1);
                            DoubleVector sNext = c2.fma(s, sPrev.neg());
                            sPrev = s;
                            s = sNext;
                        }
                        for (; k < kHi; k++) { // some lanes gated: harmonic k+1 sounds where k < nAct
                            DoubleVector sm = zero.blend(s, na.compare(VectorOperators.GT, (double) k));
                            acc0 = sm.fma(DoubleVector.broadcast(SP, dist[o0 + k]), acc0);
                            acc1 = sm.fma(DoubleVector.broadcast(SP, dist[o1 + k]), acc1);
                            DoubleVector sNext = c2.fma(s, sPrev.neg());
                            sPrev = s;
                            s = sNext;
                        }
                        out = acc0.fma(a, out);
                        out = acc1.fma(b, out);
                    }
                    out.mul(DoubleVector.fromArray(SP, amp, i)).intoArray(y, i);
                }
                int ao = row * nSamples + t0;
                for (int i = 0; i < n; i++) audio[ao + i] = (float) y[i];
            }
            return phase;
        }

        void backwardRow(int row, float[] f0Hz, float[] amplitude, float[] dist, double phi0, float[] gradAudio,
                         float[] gradF0, float[] gradAmplitude, float[] gradDist, float[] gradPhase0) {
            phase = SynthControls.wrap(phi0);
            int K = nHarmonics, F = nFrames;
            DoubleVector zero = DoubleVector.zero(SP), one = DoubleVector.broadcast(SP, 1.0);
            int distRow = row * F * K;
            java.util.Arrays.fill(gAmpRow, 0);
            java.util.Arrays.fill(accA, 0);
            java.util.Arrays.fill(accB, 0);
            int openSeg = -1; // segment whose dist-gradient accumulators accA/accB are live
            for (int t0 = 0; t0 < nSamples; t0 += BLOCK) {
                int n = Math.min(BLOCK, nSamples - t0);
                int padded = controls(row, f0Hz, amplitude, t0, n);
                int go = row * nSamples + t0;
                for (int i = 0; i < n; i++) g[i] = gradAudio[go + i];
                for (int i = n; i < padded; i++) g[i] = 0;
                java.util.Arrays.fill(gAmpUp, 0, padded, 0);
                for (int i = 0; i < padded; i += V) {
                    DoubleVector c1 = DoubleVector.fromArray(SP, cos1, i);
                    DoubleVector c2 = c1.mul(2.0);
                    DoubleVector s1 = DoubleVector.fromArray(SP, sin1, i);
                    DoubleVector wv = DoubleVector.fromArray(SP, w, i);
                    DoubleVector na = DoubleVector.fromArray(SP, nAct, i);
                    DoubleVector sv = DoubleVector.fromArray(SP, segD, i);
                    DoubleVector gv = DoubleVector.fromArray(SP, g, i);
                    DoubleVector u = gv.mul(DoubleVector.fromArray(SP, amp, i)); // dL/d(sum) per lane
                    DoubleVector gAmp = zero, dPh = zero;
                    for (int j = seg[i]; j <= seg[i + V - 1]; j++) {
                        if (j != openSeg) {
                            if (openSeg >= 0) flush(openSeg, distRow, gradDist);
                            openSeg = j;
                        }
                        VectorMask<Double> in = sv.compare(VectorOperators.EQ, (double) j);
                        DoubleVector b = zero.blend(wv, in);
                        DoubleVector a = zero.blend(one.sub(wv), in);
                        DoubleVector ua = u.mul(a), ub = u.mul(b);
                        int kLo = K, kHi = 0;
                        for (int l = 0; l < V; l++) {
                            if (seg[i + l] != j) continue;
                            int c = (int) nAct[i + l];
                            kLo = Math.min(kLo, c);
                            kHi = Math.max(kHi, c);
                        }
                        int o0 = distRow + j * K, o1 = distRow + Math.min(j + 1, F - 1) * K;
                        DoubleVector s0 = zero, s1acc = zero, q0 = zero, q1 = zero;
                        DoubleVector sPrev = zero, s = s1, cPrev = one, c = c1;
                        for (int k = 0; k < kHi; k++) {
                            DoubleVector sm = s, cm = c;
                            if (k >= kLo) { // gate harmonic k+1 where k >= nAct
                                VectorMask<Double> on = na.compare(VectorOperators.GT, (double) k);
                                sm = zero.blend(s, on);
                                cm = zero.blend(c, on);
                            }
                            double d0 = dist[o0 + k], d1 = dist[o1 + k], kk = k + 1;
                            s0 = sm.fma(DoubleVector.broadcast(SP, d0), s0);
                            s1acc = sm.fma(DoubleVector.broadcast(SP, d1), s1acc);
                            q0 = cm.fma(DoubleVector.broadcast(SP, kk * d0), q0);
                            q1 = cm.fma(DoubleVector.broadcast(SP, kk * d1), q1);
                            int ko = k * V;
                            sm.fma(ua, DoubleVector.fromArray(SP, accA, ko)).intoArray(accA, ko);
                            sm.fma(ub, DoubleVector.fromArray(SP, accB, ko)).intoArray(accB, ko);
                            DoubleVector sNext = c2.fma(s, sPrev.neg());
                            DoubleVector cNext = c2.fma(c, cPrev.neg());
                            sPrev = s;
                            s = sNext;
                            cPrev = c;
                            c = cNext;
                        }
                        gAmp = s0.fma(a, gAmp);
                        gAmp = s1acc.fma(b, gAmp);
                        dPh = q0.fma(ua, dPh);
                        dPh = q1.fma(ub, dPh);
                    }
                    gAmp.mul(gv).intoArray(gAmpUp, i);
                    if (i + V <= n) {
                        dPh.intoArray(dPhi, t0 + i);
                    } else {
                        dPh.intoArray(y, 0);
                        for (int l = 0; l < n - i; l++) dPhi[t0 + i + l] = y[l];
                    }
                }
                for (int i = 0; i < n; i++) { // transpose of the amplitude upsampling
                    int i1 = Math.min(seg[i] + 1, F - 1);
                    gAmpRow[seg[i]] += (1 - w[i]) * gAmpUp[i];
                    gAmpRow[i1] += w[i] * gAmpUp[i];
                }
            }
            if (openSeg >= 0) flush(openSeg, distRow, gradDist);
            int fo = row * F;
            if (gradAmplitude != null) {
                for (int f = 0; f < F; f++) gradAmplitude[fo + f] += (float) gAmpRow[f];
            }
            // f0: dL/df0_up(s) = 2*pi/sr * sum_{t>=s} dL/dphi(t) (reverse cumulative sum, in double),
            // then the transpose of the upsampling. gAmpRow is reused as the frame accumulator.
            java.util.Arrays.fill(gAmpRow, 0);
            double rev = 0, inc = TWO_PI / sampleRate;
            for (int t = nSamples - 1; t >= 0; t--) {
                rev += dPhi[t];
                double gf = rev * inc, pos = Math.min(t * scale, lastFrame);
                int i0 = SynthControls.segment(pos, F), i1 = Math.min(i0 + 1, F - 1);
                double wt = pos - i0;
                gAmpRow[i0] += (1 - wt) * gf;
                gAmpRow[i1] += wt * gf;
            }
            if (gradF0 != null) {
                for (int f = 0; f < F; f++) gradF0[fo + f] += (float) gAmpRow[f];
            }
            if (gradPhase0 != null) gradPhase0[row] += (float) rev;
        }

        /**
         * Per lane, the number of harmonics k in 1..K with {@code k * |f0| < nyquist} (those that sound),
         * exact for that double comparison: truncating nyquist/|f0| is off by at most one, fixed up
         * by comparing the products. |f0| = 0 gives K, NaN gives 0.
         */
        DoubleVector audible(DoubleVector f0) {
            DoubleVector af = f0.abs();
            DoubleVector q = DoubleVector.broadcast(SP, nyquist).div(af).min((double) nHarmonics);
            DoubleVector n = (DoubleVector) q.convert(VectorOperators.D2L, 0).convert(VectorOperators.L2D, 0);
            n = n.sub(1.0, n.mul(af).compare(VectorOperators.GE, nyquist).and(n.compare(VectorOperators.GT, 0.0)));
            DoubleVector n1 = n.add(1.0);
            return n.blend(n1, n1.mul(af).compare(VectorOperators.LT, nyquist).and(n1.compare(VectorOperators.LE, nHarmonics)));
        }

        /** Adds the lane sums of segment j's dist-gradient accumulators to frames j and j+1; zeroes them. */
        private void flush(int j, int distRow, float[] gradDist) {
            int K = nHarmonics;
            int o0 = distRow + j * K, o1 = distRow + Math.min(j + 1, nFrames - 1) * K;
            for (int k = 0; k < K; k++) {
                int ko = k * V;
                double a = VectorMath.sumPairwise(accA, ko, V);
                double b = VectorMath.sumPairwise(accB, ko, V);
                if (gradDist != null) {
                    gradDist[o0 + k] += (float) a;
                    gradDist[o1 + k] += (float) b;
                }
            }
            java.util.Arrays.fill(accA, 0);
            java.util.Arrays.fill(accB, 0);
        }
    }
}
