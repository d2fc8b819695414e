package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise gate math of a GRU step (PyTorch/cuDNN form, gate order r, z, n) for one batch
 * row of {@code hidden} units, on flat arrays; the matrix products are done by the caller with
 * {@link Gemm}. Pre-activations of one row are laid out {@code [r | z | n]} ({@code 3 * hidden}).
 *
 * <pre>
 *   r = sigmoid(gx_r + gh_r)      z = sigmoid(gx_z + gh_z)
 *   n = tanh(gx_n + r * gh_n)     h = (1 - z) * n + z * hPrev
 * </pre>
 * where {@code gx = W_ih x + b_ih} and {@code gh = W_hh hPrev + b_hh}.
 */
public final class GruGates {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private GruGates() {}

    /**
     * Forward gates of one row. Writes the new state to {@code h[hOff ..]} ({@code h} may be
     * {@code hPrev}, in place) and overwrites {@code g[gOff ..]} with {@code [r | z | n]}. When
     * {@code ghn} is not null it receives {@code gh_n}, which backward needs with {@code [r | z | n]}.
     * The sigmoids and tanh are {@link VectorMath}'s (the same bits in every JIT tier and at every
     * position of the row).
     */
    public static void forwardRow(int hidden, float[] g, int gOff, float[] gh, int ghOff,
                                  float[] hPrev, int hpOff, float[] h, int hOff, float[] ghn, int ghnOff) {
        int H = hidden, j = 0;
        // r, z: pre-activations gx + gh, then sigmoid, in place.
        for (int bound = S.loopBound(2 * H); j < bound; j += S.length()) {
            FloatVector.fromArray(S, g, gOff + j).add(FloatVector.fromArray(S, gh, ghOff + j)).intoArray(g, gOff + j);
        }
        for (; j < 2 * H; j++) g[gOff + j] += gh[ghOff + j];
        VectorMath.sigmoid(g, gOff, g, gOff, 2 * H);
        // n: tanh(gx_n + r * gh_n), in place.
        int n0 = gOff + 2 * H, hn0 = ghOff + 2 * H;
        j = 0;
        for (int bound = S.loopBound(H); j < bound; j += S.length()) {
            FloatVector.fromArray(S, g, gOff + j).fma(FloatVector.fromArray(S, gh, hn0 + j), FloatVector.fromArray(S, g, n0 + j))
                    .intoArray(g, n0 + j);
        }
        for (; j < H; j++) g[n0 + j] = Math.fma(g[gOff + j], gh[hn0 + j], g[n0 + j]);
        VectorMath.tanh(g, n0, g, n0, H);
        // h = (1 - z) * n + z * hPrev.
        j = 0;
        for (int bound = S.loopBound(H); j < bound; j += S.length()) {
            FloatVector z = FloatVector.fromArray(S, g, gOff + H + j), n = FloatVector.fromArray(S, g, n0 + j);
            z.fma(FloatVector.fromArray(S, hPrev, hpOff + j).sub(n), n).intoArray(h, hOff + j);
        }
        for (; j < H; j++) {
            float n = g[n0 + j];
            h[hOff + j] = Math.fma(g[gOff + H + j], hPrev[hpOff + j] - n, n);
        }
        if (ghn != null) System.arraycopy(gh, hn0, ghn, ghnOff, H);
    }

    /**
     * Backward of one row's gates. Inputs: {@code dy} (dL/dh from this step's output),
     * {@code dh} (dL/dh carried from the step after, updated in place to the direct part of
     * dL/dhPrev, {@code dh * z}), the saved {@code [r | z | n]} in {@code g} and {@code gh_n} in
     * {@code ghn}, and {@code hPrev}. Outputs: {@code g} is overwritten with dL/d(gx)
     * {@code [dar | daz | dan]}; {@code dgh} receives dL/d(gh) {@code [dar | daz | dan * r]};
     * {@code ghn} is overwritten with {@code dan * r} (the n part of dL/d(gh), kept for dW_hh).
     */
    public static void backwardRow(int hidden, float[] dy, int dyOff, float[] dh, int dhOff,
                                   float[] g, int gOff, float[] ghn, int ghnOff, float[] hPrev, int hpOff,
                                   float[] dgh, int dghOff) {
        int H = hidden, j = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int bound = S.loopBound(H); j < bound; j += S.length()) {
            FloatVector d = FloatVector.fromArray(S, dy, dyOff + j).add(FloatVector.fromArray(S, dh, dhOff + j));
            FloatVector r = FloatVector.fromArray(S, g, gOff + j);
            FloatVector z = FloatVector.fromArray(S, g, gOff + H + j);
            FloatVector n = FloatVector.fromArray(S, g, gOff + 2 * H + j);
            FloatVector hn = FloatVector.fromArray(S, ghn, ghnOff + j);
            FloatVector hp = FloatVector.fromArray(S, hPrev, hpOff + j);
            FloatVector dan = d.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector daz = d.mul(hp.sub(n)).mul(z).mul(one.sub(z));
            FloatVector dar = dan.mul(hn).mul(r).mul(one.sub(r));
            FloatVector dgn = dan.mul(r);
            d.mul(z).intoArray(dh, dhOff + j);
            dar.intoArray(g, gOff + j);
            daz.intoArray(g, gOff + H + j);
            dan.intoArray(g, gOff + 2 * H + j);
            dar.intoArray(dgh, dghOff + j);
            daz.intoArray(dgh, dghOff + H + j);
            dgn.intoArray(dgh, dghOff + 2 * H + j);
            dgn.intoArray(ghn, ghnOff + j);
        }
        for (; j < H; j++) {
            float d = dy[dyOff + j] + dh[dhOff + j];
            float r = g[gOff + j], z = g[gOff + H + j], n = g[gOff + 2 * H + j];
            float hn = ghn[ghnOff + j], hp = hPrev[hpOff + j];
            float dan = d * (1f - z) * (1f - n * n);
            float daz = d * (hp - n) * z * (1f - z);
            float dar = dan * hn * r * (1f - r);
            float dgn = dan * r;
            dh[dhOff + j] = d * z;
            g[gOff + j] = dar;
            g[gOff + H + j] = daz;
            g[gOff + 2 * H + j] = dan;
            dgh[dghOff + j] = dar;
            dgh[dghOff + H + j] = daz;
            dgh[dghOff + 2 * H + j] = dgn;
            ghn[ghnOff + j] = dgn;
        }
    }
}
