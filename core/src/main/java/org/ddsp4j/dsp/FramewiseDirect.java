package org.ddsp4j.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.tensor.Tensor;

/**
 * Time-varying convolution in the time domain (the same op as {@link FftConvolution}'s framewise path):
 * for short frames and IRs ({@code hop * irSize} small against an FFT of {@code hop + irSize - 1}) the
 * {@code hop * irSize} multiply-adds per frame cost several times less than three FFTs.
 *
 * <p>Every loop is output-stationary: a SIMD register accumulates one block of outputs (output
 * samples, input-gradient samples or IR-gradient taps) over the whole sum and is stored once, so no
 * store is re-loaded at a shifted offset. Zero padding around the IR / gradient rows lets blocks at
 * the edges read past the ends without branches.
 */
final class FramewiseDirect {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private FramewiseDirect() {}

    static Tensor apply(Tensor audio, Tensor ir, int batch, int t, boolean shared, int frames, int n, int start, int outLen) {
        int hop = t / frames, seg = hop + n - 1, full = t + n - 1;
        float[] x = audio.data(), h = ir.data();
        float[] y = new float[batch * outLen];
        Parallel.forRange(batch, 1, (from, to) -> {
            float[] row = new float[full + VL];
            float[] hpad = new float[n + 2 * VL]; // hpad[VL + k] = h[k], zeros around
            for (int b = from; b < to; b++) {
                java.util.Arrays.fill(row, 0f);
                for (int f = 0; f < frames; f++) {
                    System.arraycopy(h, ((shared ? 0 : b) * frames + f) * n, hpad, VL, n);
                    int xo = b * t + f * hop, ro = f * hop;
                    // y[p] = sum_i x[i] h[p - i], p in [p0, p0 + VL)
                    for (int p0 = 0; p0 < seg; p0 += VL) {
                        int iLo = Math.max(0, p0 - n + 1), iHi = Math.min(hop - 1, p0 + VL - 1);
                        FloatVector acc = FloatVector.zero(S);
                        for (int i = iLo; i <= iHi; i++) {
                            acc = FloatVector.fromArray(S, hpad, p0 - i + VL).fma(FloatVector.broadcast(S, x[xo + i]), acc);
                        }
                        acc.add(FloatVector.fromArray(S, row, ro + p0)).intoArray(row, ro + p0);
                    }
                }
                System.arraycopy(row, start, y, b * outLen, outLen);
            }
        });
        return Tensor.fromOp("convolve_framewise_direct", y, new int[] {batch, outLen}, gy -> {
            float[] gx = audio.requiresGrad() ? audio.gradBuffer() : null;
            float[] gh = ir.requiresGrad() ? ir.gradBuffer() : null;
            // dL/d(full), zero outside the crop, one padded row per batch entry.
            int stride = full + 2 * VL;
            float[] g = new float[batch * stride];
            for (int b = 0; b < batch; b++) System.arraycopy(gy, b * outLen, g, b * stride + start, outLen);
            // Each (b, f) writes only its gx frame and gh row (b, f), or row f when the IR is shared. Per-row
            // IRs: rows in parallel, frames in order (sequential memory); shared IR: frames in parallel.
            int outer = shared ? frames : batch, inner = shared ? batch : frames;
            Parallel.forRange(outer, shared ? 32 : 1, (o0, o1) -> {
                float[] tmp = new float[VL];
                for (int o = o0; o < o1; o++) {
                    for (int q = 0; q < inner; q++) {
                        int f = shared ? o : q, b = shared ? q : o;
                        int ho = ((shared ? 0 : b) * frames + f) * n, xo = b * t + f * hop, go = b * stride + f * hop;
                        if (gx != null) {
                            // gx[i] = sum_k g[i + k] h[k], i in [i0, i0 + VL)
                            for (int i0 = 0; i0 < hop; i0 += VL) {
                                FloatVector acc = FloatVector.zero(S);
                                for (int k = 0; k < n; k++) {
                                    acc = FloatVector.fromArray(S, g, go + i0 + k).fma(FloatVector.broadcast(S, h[ho + k]), acc);
                                }
                                addInto(acc, gx, xo + i0, Math.min(VL, hop - i0), tmp);
                            }
                        }
                        if (gh != null) {
                            // gh[k] += sum_i x[i] g[i + k], k in [k0, k0 + VL)
                            for (int k0 = 0; k0 < n; k0 += VL) {
                                FloatVector acc = FloatVector.zero(S);
                                for (int i = 0; i < hop; i++) {
                                    acc = FloatVector.fromArray(S, g, go + i + k0).fma(FloatVector.broadcast(S, x[xo + i]), acc);
                                }
                                addInto(acc, gh, ho + k0, Math.min(VL, n - k0), tmp);
                            }
                        }
                    }
                }
            });
        }, audio, ir);
    }

    /** {@code dst[off, off + count) += acc[0, count)}. */
    private static void addInto(FloatVector acc, float[] dst, int off, int count, float[] tmp) {
        if (count == VL) {
            acc.add(FloatVector.fromArray(S, dst, off)).intoArray(dst, off);
        } else {
            acc.intoArray(tmp, 0);
            for (int j = 0; j < count; j++) dst[off + j] += tmp[j];
        }
    }
}
