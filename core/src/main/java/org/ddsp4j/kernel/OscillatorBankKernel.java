package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthControls.TWO_PI;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bank of K free sinusoidal oscillators on flat arrays, forward and hand-written backward.
 *
 * <pre>
 *   audio[b,t]   = sum_k [|f_up_k(t)| &lt; sr/2] * a_up_k(t) * sin(phi_k(t))
 *   phi_k(t)     = initialPhase[b,k] + 2*pi * sum_{s&lt;=t} f_up_k(s) / sr     (double, wrapped to [0, 2*pi))
 * </pre>
 * Frequencies {@code [B, F, K]} in Hz and amplitudes {@code [B, F, K]} are upsampled from frame rate as
 * in {@link SynthControls}. Oscillators at or above Nyquist are silent at those samples (the gate is a
 * constant for the backward pass). Lanes of a double vector hold oscillators; rows run in parallel.
 * The sines and cosines are {@link VectorMath#sinCos}'s, so results do not depend on the JIT.
 * Phase state {@code [B, K]} in radians goes in and comes out for block-by-block rendering.
 */
public final class OscillatorBankKernel {
    private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
    private static final int V = SP.length();

    private OscillatorBankKernel() {}

    /**
     * Renders audio.
     *
     * @param frequencies  [B, F, K] Hz
     * @param amplitudes   [B, F, K] linear
     * @param initialPhase [B, K] radians, or null for 0
     * @param audio        [B, T] output, overwritten
     * @param finalPhase   [B, K] output phi_k(T-1) wrapped to [0, 2*pi), or null
     */
    public static void forward(int batch, int nFrames, int nOscillators, int nSamples, double sampleRate,
                               float[] frequencies, float[] amplitudes, float[] initialPhase,
                               float[] audio, float[] finalPhase) {
        check(batch, nFrames, nOscillators, nSamples, sampleRate, frequencies, amplitudes, initialPhase);
        SynthControls.checkLength("audio", audio, SynthControls.product("audio", batch, nSamples), "[batch, nSamples]");
        SynthControls.checkOptional("finalPhase", finalPhase, (long) batch * nOscillators, "[batch, nOscillators]");
        Parallel.forRange(batch, 1, (from, to) -> {
            Row r = new Row(nFrames, nOscillators, nSamples, sampleRate);
            for (int b = from; b < to; b++) r.run(b, frequencies, amplitudes, initialPhase, audio, finalPhase, null,
                    null, null, null);
        });
    }

    /**
     * Backward of {@link #forward}: ADDS dL/d(input) into the gradient arrays; null ones are skipped.
     *
     * @param gradAudio        [B, T] dL/daudio
     * @param gradFrequencies  [B, F, K] dL/dfrequencies (per Hz), added to; may be null
     * @param gradAmplitudes   [B, F, K] added to; may be null
     * @param gradInitialPhase [B, K] added to; may be null
     */
    public static void backward(int batch, int nFrames, int nOscillators, int nSamples, double sampleRate,
                                float[] frequencies, float[] amplitudes, float[] initialPhase, float[] gradAudio,
                                float[] gradFrequencies, float[] gradAmplitudes, float[] gradInitialPhase) {
        check(batch, nFrames, nOscillators, nSamples, sampleRate, frequencies, amplitudes, initialPhase);
        long bfk = (long) batch * nFrames * nOscillators;
        SynthControls.checkLength("gradAudio", gradAudio, (long) batch * nSamples, "[batch, nSamples]");
        SynthControls.checkOptional("gradFrequencies", gradFrequencies, bfk, "[batch, nFrames, nOscillators]");
        SynthControls.checkOptional("gradAmplitudes", gradAmplitudes, bfk, "[batch, nFrames, nOscillators]");
        SynthControls.checkOptional("gradInitialPhase", gradInitialPhase, (long) batch * nOscillators, "[batch, nOscillators]");
        Parallel.forRange(batch, 1, (from, to) -> {
            Row r = new Row(nFrames, nOscillators, nSamples, sampleRate);
            for (int b = from; b < to; b++) r.run(b, frequencies, amplitudes, initialPhase, null, null, gradAudio,
                    gradFrequencies, gradAmplitudes, gradInitialPhase);
        });
    }

    private static void check(int batch, int nFrames, int nOsc, int nSamples, double sampleRate,
                              float[] freq, float[] amp, float[] initialPhase) {
        SynthControls.checkSizes(batch, nFrames, nSamples, sampleRate);
        if (nOsc < 1) throw new IllegalArgumentException("nOscillators must be >= 1, got " + nOsc);
        int n = SynthControls.product("frequencies", batch, nFrames, nOsc);
        SynthControls.checkLength("frequencies", freq, n, "[batch, nFrames, nOscillators]");
        SynthControls.checkLength("amplitudes", amp, n, "[batch, nFrames, nOscillators]");
        SynthControls.checkOptional("initialPhase", initialPhase, (long) batch * nOsc, "[batch, nOscillators]");
    }

    /** Per-task scratch: one row's controls in double, padded to Kp (a multiple of V) with silent lanes. */
    private static final class Row {
        final int F, K, Kp, T;
        final double sr, nyq, scale;
        final double[] freq, amp, phase, sin, cos, lanes, gFreq, gAmp, prefix, hat;

        Row(int F, int K, int T, double sr) {
            this.F = F;
            this.K = K;
            this.Kp = (K + V - 1) / V * V;
            this.T = T;
            this.sr = sr;
            this.nyq = sr / 2;
            this.scale = SynthControls.scale(F, T);
            freq = new double[F * Kp];
            amp = new double[F * Kp];
            phase = new double[Kp];
            sin = new double[Kp];
            cos = new double[Kp];
            lanes = new double[V];
            gFreq = new double[F * Kp];
            gAmp = new double[F * Kp];
            prefix = new double[Kp];
            hat = new double[F];
        }

        /** Forward when audio != null, else backward. */
        void run(int b, float[] frequencies, float[] amplitudes, float[] initialPhase, float[] audio, float[] finalPhase,
                 float[] gradAudio, float[] gradFreq, float[] gradAmp, float[] gradPhase0) {
            for (int f = 0; f < F; f++) {
                for (int k = 0; k < K; k++) {
                    freq[f * Kp + k] = frequencies[(b * F + f) * K + k];
                    amp[f * Kp + k] = amplitudes[(b * F + f) * K + k];
                }
            }
            for (int k = 0; k < Kp; k++) phase[k] = k < K && initialPhase != null ? SynthControls.wrap(initialPhase[b * K + k]) : 0;
            boolean bwd = audio == null;
            if (bwd) {
                java.util.Arrays.fill(gFreq, 0);
                java.util.Arrays.fill(gAmp, 0);
                java.util.Arrays.fill(prefix, 0);
                java.util.Arrays.fill(hat, 0);
            }
            double inc = TWO_PI / sr;
            for (int t = 0; t < T; t++) {
                double pos = t * scale;
                int i0 = SynthControls.segment(pos, F), i1 = Math.min(i0 + 1, F - 1);
                double w = pos - i0, g = bwd ? gradAudio[b * T + t] : 0;
                if (bwd) {
                    hat[i0] += 1 - w;
                    hat[i1] += w;
                }
                // Phases of every oscillator first, then their sines (and cosines) in one call.
                for (int k = 0; k < Kp; k += V) {
                    DoubleVector f0 = DoubleVector.fromArray(SP, freq, i0 * Kp + k);
                    DoubleVector f = f0.add(DoubleVector.fromArray(SP, freq, i1 * Kp + k).sub(f0).mul(w));
                    wrap(DoubleVector.fromArray(SP, phase, k).add(f.mul(inc))).intoArray(phase, k);
                }
                VectorMath.sinCos(phase, 0, sin, 0, bwd ? cos : null, 0, Kp);
                DoubleVector acc = DoubleVector.zero(SP);
                for (int k = 0; k < Kp; k += V) {
                    DoubleVector f0 = DoubleVector.fromArray(SP, freq, i0 * Kp + k);
                    DoubleVector f = f0.add(DoubleVector.fromArray(SP, freq, i1 * Kp + k).sub(f0).mul(w));
                    DoubleVector a0 = DoubleVector.fromArray(SP, amp, i0 * Kp + k);
                    DoubleVector a = a0.add(DoubleVector.fromArray(SP, amp, i1 * Kp + k).sub(a0).mul(w));
                    VectorMask<Double> on = f.abs().compare(VectorOperators.LT, nyq);
                    DoubleVector s = DoubleVector.zero(SP).blend(DoubleVector.fromArray(SP, sin, k), on);
                    if (!bwd) {
                        acc = s.fma(a, acc);
                        continue;
                    }
                    // dL/da_up = g*s; dL/dphi = g*a*cos(phi). Frequency gradient through the prefix-sum
                    // identity sum_s hat_j(s) sum_{t>=s} d(t) = Total*H_j - sum_s hat_j(s) P(s-1).
                    DoubleVector ga = s.mul(g);
                    DoubleVector dphi = DoubleVector.zero(SP).blend(DoubleVector.fromArray(SP, cos, k), on).mul(a.mul(g));
                    DoubleVector p = DoubleVector.fromArray(SP, prefix, k);
                    addInto(gAmp, i0 * Kp + k, ga.mul(1 - w));
                    addInto(gAmp, i1 * Kp + k, ga.mul(w));
                    addInto(gFreq, i0 * Kp + k, p.mul(1 - w));
                    addInto(gFreq, i1 * Kp + k, p.mul(w));
                    p.add(dphi).intoArray(prefix, k);
                }
                if (!bwd) {
                    acc.intoArray(lanes, 0);
                    audio[b * T + t] = (float) VectorMath.sumPairwise(lanes, 0, V);
                }
            }
            if (!bwd) {
                if (finalPhase != null) for (int k = 0; k < K; k++) finalPhase[b * K + k] = (float) phase[k];
                return;
            }
            for (int f = 0; f < F; f++) {
                for (int k = 0; k < K; k++) {
                    int o = (b * F + f) * K + k, i = f * Kp + k;
                    if (gradAmp != null) gradAmp[o] += (float) gAmp[i];
                    if (gradFreq != null) gradFreq[o] += (float) (inc * (prefix[k] * hat[f] - gFreq[i]));
                }
            }
            if (gradPhase0 != null) for (int k = 0; k < K; k++) gradPhase0[b * K + k] += (float) prefix[k];
        }

        private static void addInto(double[] a, int o, DoubleVector v) {
            DoubleVector.fromArray(SP, a, o).add(v).intoArray(a, o);
        }

        /** Wraps to [0, 2*pi) lane-wise: subtract whole turns (truncation), then fix negatives. */
        private static DoubleVector wrap(DoubleVector ph) {
            DoubleVector turns = (DoubleVector) ph.mul(1 / TWO_PI).convert(VectorOperators.D2L, 0)
                    .convert(VectorOperators.L2D, 0);
            DoubleVector r = ph.sub(turns.mul(TWO_PI));
            r = r.add(TWO_PI, r.compare(VectorOperators.LT, 0.0));
            return r.sub(TWO_PI, r.compare(VectorOperators.GE, TWO_PI));
        }
    }
}
