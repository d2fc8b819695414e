package org.ddsp4j.kernel;

import static org.ddsp4j.kernel.SynthControls.TWO_PI;

/**
 * Time-varying wavetable synthesizer on flat arrays, forward and hand-written backward.
 *
 * <pre>
 *   x(t)       = phi(t) / (2*pi) * W                      position in the table, [0, W)
 *   n0 = floor(x), n1 = (n0 + 1) mod W, r = x - n0
 *   audio[b,t] = amp_up(t) * ((1 - r) * table_up(t, n0) + r * table_up(t, n1))
 *   phi(t)     = initialPhase[b] + 2*pi * sum_{s&lt;=t} f0_up(s) / sr   (double, wrapped to [0, 2*pi))
 * </pre>
 * {@code wavetable [B, F, W]} holds one period of W samples per frame; it, {@code f0Hz [B, F]} and
 * {@code amplitude [B, F]} are upsampled from frame rate as in {@link SynthControls}. The table is read
 * with linear interpolation and no band-limiting: keep the table's content below {@code sr / (2 f0)}
 * harmonics to avoid aliasing. The f0 gradient is that of the piecewise-linear reading (its slope
 * {@code W/(2*pi) * (table(n1) - table(n0))} in each table cell). Rows run in parallel; the inner work
 * is a gather per sample, so it stays scalar.
 */
public final class WavetableKernel {
    private WavetableKernel() {}

    /**
     * Renders audio.
     *
     * @param wavetable    [B, F, W] table samples
     * @param f0Hz         [B, F] Hz
     * @param amplitude    [B, F] linear
     * @param initialPhase [B] radians or null for 0
     * @param audio        [B, T] output, overwritten
     * @param finalPhase   [B] output phi(T-1) wrapped to [0, 2*pi), or null
     */
    public static void forward(int batch, int nFrames, int tableSize, int nSamples, double sampleRate,
                               float[] wavetable, float[] f0Hz, float[] amplitude, float[] initialPhase,
                               float[] audio, float[] finalPhase) {
        check(batch, nFrames, tableSize, nSamples, sampleRate, wavetable, f0Hz, amplitude, initialPhase);
        SynthControls.checkLength("audio", audio, SynthControls.product("audio", batch, nSamples), "[batch, nSamples]");
        SynthControls.checkOptional("finalPhase", finalPhase, batch, "[batch]");
        Parallel.forRange(batch, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                double end = row(b, nFrames, tableSize, nSamples, sampleRate, wavetable, f0Hz, amplitude,
                        initialPhase, audio, null, null, null, null, null);
                if (finalPhase != null) finalPhase[b] = (float) end;
            }
        });
    }

    /**
     * Backward of {@link #forward}: ADDS dL/d(input) into the gradient arrays; null ones are skipped.
     *
     * @param gradAudio        [B, T] dL/daudio
     * @param gradWavetable    [B, F, W] added to; may be null
     * @param gradF0           [B, F] per Hz, added to; may be null
     * @param gradAmplitude    [B, F] added to; may be null
     * @param gradInitialPhase [B] added to; may be null
     */
    public static void backward(int batch, int nFrames, int tableSize, int nSamples, double sampleRate,
                                float[] wavetable, float[] f0Hz, float[] amplitude, float[] initialPhase,
                                float[] gradAudio, float[] gradWavetable, float[] gradF0, float[] gradAmplitude,
                                float[] gradInitialPhase) {
        check(batch, nFrames, tableSize, nSamples, sampleRate, wavetable, f0Hz, amplitude, initialPhase);
        long bf = (long) batch * nFrames;
        SynthControls.checkLength("gradAudio", gradAudio, (long) batch * nSamples, "[batch, nSamples]");
        SynthControls.checkOptional("gradWavetable", gradWavetable, bf * tableSize, "[batch, nFrames, tableSize]");
        SynthControls.checkOptional("gradF0", gradF0, bf, "[batch, nFrames]");
        SynthControls.checkOptional("gradAmplitude", gradAmplitude, bf, "[batch, nFrames]");
        SynthControls.checkOptional("gradInitialPhase", gradInitialPhase, batch, "[batch]");
        Parallel.forRange(batch, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                row(b, nFrames, tableSize, nSamples, sampleRate, wavetable, f0Hz, amplitude, initialPhase, null,
                        gradAudio, gradWavetable, gradF0, gradAmplitude, gradInitialPhase);
            }
        });
    }

    private static void check(int batch, int nFrames, int W, int nSamples, double sampleRate, float[] table,
                              float[] f0, float[] amp, float[] initialPhase) {
        SynthControls.checkSizes(batch, nFrames, nSamples, sampleRate);
        if (W < 1) throw new IllegalArgumentException("tableSize must be >= 1, got " + W);
        SynthControls.checkLength("wavetable", table, SynthControls.product("wavetable", batch, nFrames, W),
                "[batch, nFrames, tableSize]");
        SynthControls.checkLength("f0Hz", f0, (long) batch * nFrames, "[batch, nFrames]");
        SynthControls.checkLength("amplitude", amp, (long) batch * nFrames, "[batch, nFrames]");
        SynthControls.checkOptional("initialPhase", initialPhase, batch, "[batch]");
    }

    /** One row: forward when audio != null (returns the final phase), else backward. */
    private static double row(int b, int F, int W, int T, double sr, float[] table, float[] f0Hz, float[] amplitude,
                              float[] initialPhase, float[] audio, float[] gradAudio, float[] gTable, float[] gF0,
                              float[] gAmp, float[] gPhase0) {
        boolean bwd = audio == null;
        double scale = SynthControls.scale(F, T), inc = TWO_PI / sr, toPos = W / TWO_PI;
        double phase = SynthControls.wrap(initialPhase == null ? 0 : initialPhase[b]);
        int fo = b * F, to = b * F * W;
        double[] dPhi = bwd ? new double[T] : null, gAmpRow = bwd ? new double[F] : null;
        for (int t = 0; t < T; t++) {
            double pos = t * scale;
            int i0 = SynthControls.segment(pos, F), i1 = Math.min(i0 + 1, F - 1);
            double w = pos - i0;
            double f0 = (1 - w) * f0Hz[fo + i0] + w * f0Hz[fo + i1];
            double amp = (1 - w) * amplitude[fo + i0] + w * amplitude[fo + i1];
            phase += inc * f0;
            if (phase >= TWO_PI || phase < 0) phase = SynthControls.wrap(phase);
            double x = phase * toPos;
            int n0 = Math.min((int) x, W - 1), n1 = n0 + 1 == W ? 0 : n0 + 1;
            double r = x - n0;
            int a0 = to + i0 * W, a1 = to + i1 * W;
            double v0 = (1 - w) * table[a0 + n0] + w * table[a1 + n0];
            double v1 = (1 - w) * table[a0 + n1] + w * table[a1 + n1];
            double v = (1 - r) * v0 + r * v1;
            if (!bwd) {
                audio[b * T + t] = (float) (amp * v);
                continue;
            }
            double g = gradAudio[b * T + t], ga = g * amp;
            gAmpRow[i0] += (1 - w) * g * v;
            gAmpRow[i1] += w * g * v;
            if (gTable != null) {
                gTable[a0 + n0] += (float) ((1 - w) * (1 - r) * ga);
                gTable[a0 + n1] += (float) ((1 - w) * r * ga);
                gTable[a1 + n0] += (float) (w * (1 - r) * ga);
                gTable[a1 + n1] += (float) (w * r * ga);
            }
            dPhi[t] = ga * (v1 - v0) * toPos;
        }
        if (!bwd) return phase;
        if (gAmp != null) for (int f = 0; f < F; f++) gAmp[fo + f] += (float) gAmpRow[f];
        // f0: reverse cumulative sum of dL/dphi times 2*pi/sr, then the transpose of the upsampling.
        java.util.Arrays.fill(gAmpRow, 0);
        double rev = 0;
        for (int t = T - 1; t >= 0; t--) {
            rev += dPhi[t];
            double pos = t * scale, gf = rev * inc;
            int i0 = SynthControls.segment(pos, F), i1 = Math.min(i0 + 1, F - 1);
            double w = pos - i0;
            gAmpRow[i0] += (1 - w) * gf;
            gAmpRow[i1] += w * gf;
        }
        if (gF0 != null) for (int f = 0; f < F; f++) gF0[fo + f] += (float) gAmpRow[f];
        if (gPhase0 != null) gPhase0[b] += (float) rev;
        return phase;
    }
}
