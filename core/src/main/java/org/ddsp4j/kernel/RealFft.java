package org.ddsp4j.kernel;

import java.util.concurrent.atomic.AtomicReferenceArray;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Real FFT of a power-of-two size {@code n} on flat float arrays.
 *
 * <p>Conventions (the same as {@code numpy.fft.rfft} / {@code irfft} and {@code torch.fft}):
 * <ul>
 *   <li>{@link #forward}: {@code n} real samples in, {@code n/2+1} complex bins out, interleaved
 *       {@code (re0, im0, re1, im1, ..., re_{n/2}, im_{n/2})}, i.e. {@code n+2} floats.
 *       Unnormalized: {@code X_k = sum_t x_t e^{-2 pi i k t / n}}.
 *   <li>{@link #inverse}: {@code n/2+1} interleaved bins in, {@code n} real samples out, scaled by
 *       {@code 1/n} so that {@code inverse(forward(x)) == x}. The imaginary parts of bin 0 and bin
 *       {@code n/2} are ignored.
 * </ul>
 *
 * <p>Method: the {@code n} reals are read as {@code n/2} complex numbers {@code z_j = x_{2j} + i
 * x_{2j+1}}, transformed by an iterative radix-2 decimation-in-time complex FFT of size {@code n/2}
 * (first two stages fused, stages with at least one full SIMD vector of butterflies use the Vector
 * API), then split into the spectra of the even and odd samples and recombined. Everything is done
 * in place in the output array, so a plan holds only immutable tables (twiddles computed in double)
 * and is safe to share between threads. {@code in} and {@code out} may be the same array at the same
 * offset (in-place transform).
 */
public final class RealFft {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Swaps the real and imaginary lanes of interleaved complex numbers. */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
    /** Reverses the order of the complex numbers in a vector (keeping re, im order within each). */
    private static final VectorShuffle<Float> REV = VectorShuffle.fromOp(S, i -> (VL - 2 - (i & ~1)) + (i & 1));
    /** (+1, -1, +1, -1, ...): conjugates interleaved complex numbers by multiplication. */
    private static final FloatVector CONJ = FloatVector.fromArray(S, alternating(VL), 0);
    /** Half-width species for the stage whose span is half a preferred vector. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            jdk.incubator.vector.VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final int HL = H.length();
    private static final VectorShuffle<Float> HSWAP = VectorShuffle.fromOp(H, i -> i ^ 1);
    private static final AtomicReferenceArray<RealFft> CACHE = new AtomicReferenceArray<>(31);

    private final int n;
    /** Complex FFT size, n/2. */
    private final int m;
    /** Bit reversal of log2(m) bits, for j in [0, m). */
    private final int[] rev;
    /**
     * Stage twiddles for half-size h (butterfly span) stored from offset 2(h-1), 2h floats each:
     * {@code wr[2j] = wr[2j+1] = cos(pi j / h)}; {@code wx[2j] = sin(pi j / h), wx[2j+1] = -sin(pi j / h)}
     * so that {@code b * w = b * wr + swap(b) * wx} for {@code w = e^{-i pi j / h}}.
     */
    private final float[] wr, wx;
    /** Split twiddles {@code e^{-2 pi i k / n} = c - i s} for k in [0, m/2]. */
    private final float[] splitCos, splitSin;
    /** The same interleaved for SIMD: {@code (c_k, c_k)} and {@code (s_k, -s_k)}. */
    private final float[] splitC2, splitS2;

    /**
     * Creates a plan. Prefer {@link #of(int)}, which shares plans.
     *
     * @param n transform size, a power of two {@code >= 2}
     * @throws IllegalArgumentException if {@code n} is not a power of two {@code >= 2}
     */
    public RealFft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            long pad = n < 2 ? 2 : Long.highestOneBit(n) << 1;
            throw new IllegalArgumentException("n must be a power of two, got " + n + "; pad to " + pad);
        }
        this.n = n;
        this.m = n / 2;
        int bits = Integer.numberOfTrailingZeros(m);
        rev = new int[m];
        for (int j = 0; j < m; j++) rev[j] = bits == 0 ? 0 : Integer.reverse(j) >>> (32 - bits);
        int tw = Math.max(2, 2 * (2 * m - 1));
        wr = new float[tw];
        wx = new float[tw];
        for (int h = 1; h < m; h <<= 1) {
            int base = 2 * (h - 1);
            for (int j = 0; j < h; j++) {
                double a = Math.PI * j / h;
                float c = (float) Math.cos(a), s = (float) Math.sin(a);
                wr[base + 2 * j] = c;
                wr[base + 2 * j + 1] = c;
                wx[base + 2 * j] = s;
                wx[base + 2 * j + 1] = -s;
            }
        }
        splitCos = new float[m / 2 + 1];
        splitSin = new float[m / 2 + 1];
        for (int k = 0; k <= m / 2; k++) {
            double a = 2 * Math.PI * k / n;
            splitCos[k] = (float) Math.cos(a);
            splitSin[k] = (float) Math.sin(a);
        }
        splitC2 = new float[2 * (m / 2 + 1)];
        splitS2 = new float[2 * (m / 2 + 1)];
        for (int k = 0; k <= m / 2; k++) {
            splitC2[2 * k] = splitC2[2 * k + 1] = splitCos[k];
            splitS2[2 * k] = splitSin[k];
            splitS2[2 * k + 1] = -splitSin[k];
        }
    }

    private static float[] alternating(int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (i & 1) == 0 ? 1f : -1f;
        return a;
    }

    /** A shared plan of size {@code n} (created on first use; plans are immutable). */
    public static RealFft of(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) return new RealFft(n); // throws with the message
        int b = Integer.numberOfTrailingZeros(n);
        RealFft p = CACHE.get(b);
        if (p == null) {
            CACHE.compareAndSet(b, null, new RealFft(n));
            p = CACHE.get(b);
        }
        return p;
    }

    /** Transform size {@code n} (real samples). */
    public int size() {
        return n;
    }

    /** Number of complex bins, {@code n/2+1}. */
    public int bins() {
        return m + 1;
    }

    /**
     * Forward real FFT.
     *
     * @param in     {@code n} real samples from {@code inOff}
     * @param out    receives {@code n/2+1} interleaved complex bins ({@code n+2} floats) from {@code outOff};
     *               may be {@code in} at the same offset
     */
    public void forward(float[] in, int inOff, float[] out, int outOff) {
        checkRange(in, inOff, n, "in");
        checkRange(out, outOff, n + 2, "out");
        if (in == out) {
            if (inOff != outOff) System.arraycopy(in, inOff, out, outOff, n);
            bitReverseInPlace(out, outOff);
        } else {
            bitReverseCopy(in, inOff, out, outOff, n);
        }
        transformAndSplit(out, outOff);
    }

    /**
     * Forward real FFT of {@code in[inOff .. inOff+len)} zero-padded to {@code n} samples, without
     * a padded copy: the zeros are written straight into the bit-reversed order (one pass over
     * {@code out} instead of copy, fill and an in-place permutation).
     *
     * @param len number of samples read, {@code 0 <= len <= n}
     * @param out receives {@code n+2} floats from {@code outOff}; must not be {@code in}
     * @throws IllegalArgumentException for a bad {@code len}, too short arrays, or {@code in == out}
     */
    public void forwardPadded(float[] in, int inOff, int len, float[] out, int outOff) {
        if (len < 0 || len > n) throw new IllegalArgumentException("len must be in [0, " + n + "], got " + len);
        checkRange(in, inOff, len, "in");
        checkRange(out, outOff, n + 2, "out");
        if (in == out) throw new IllegalArgumentException("forwardPadded needs distinct in and out arrays");
        bitReverseCopy(in, inOff, out, outOff, len);
        transformAndSplit(out, outOff);
    }

    /** Complex FFT of the bit-reversed data at {@code out[outOff]}, then the real split. */
    private void transformAndSplit(float[] out, int outOff) {
        complexFft(out, outOff);
        // Split: Z_k = E_k + i O_k where E, O are the spectra of the even / odd samples.
        // X_k = E_k + W^k O_k, X_{m-k} = conj(E_k - W^k O_k), W = e^{-2 pi i / n}.
        float z0r = out[outOff], z0i = out[outOff + 1];
        out[outOff] = z0r + z0i;
        out[outOff + 1] = 0f;
        out[outOff + n] = z0r - z0i;
        out[outOff + n + 1] = 0f;
        int k = 1;
        // SIMD: VL/2 bins k.. and their mirrors m-k.. at once, while the two blocks do not overlap.
        for (int hv = VL / 2; 2 * k + VL - 2 < m; k += hv) {
            int p = outOff + 2 * k, q = outOff + 2 * (m - k - hv + 1);
            FloatVector a = FloatVector.fromArray(S, out, p);
            FloatVector b = FloatVector.fromArray(S, out, q).rearrange(REV).mul(CONJ);
            FloatVector e = a.add(b).mul(0.5f);
            FloatVector d = a.sub(b).mul(0.5f);
            FloatVector o = d.rearrange(SWAP).mul(CONJ); // -i D
            FloatVector t = o.mul(FloatVector.fromArray(S, splitC2, 2 * k))
                    .add(o.rearrange(SWAP).mul(FloatVector.fromArray(S, splitS2, 2 * k)));
            e.add(t).intoArray(out, p);
            e.sub(t).mul(CONJ).rearrange(REV).intoArray(out, q);
        }
        for (int half = m / 2; k <= half; k++) {
            int p = outOff + 2 * k, q = outOff + 2 * (m - k);
            float ar = out[p], ai = out[p + 1], br = out[q], bi = -out[q + 1];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            // O = (A - B) / (2i) = (ai - bi, -(ar - br)) / 2
            float or = 0.5f * (ai - bi), oi = -0.5f * (ar - br);
            float c = splitCos[k], s = splitSin[k]; // W^k = c - i s
            float tr = or * c + oi * s, ti = oi * c - or * s;
            out[p] = er + tr;
            out[p + 1] = ei + ti;
            out[q] = er - tr;
            out[q + 1] = -(ei - ti);
        }
    }

    /**
     * Inverse real FFT, normalized by {@code 1/n}.
     *
     * @param in  {@code n/2+1} interleaved complex bins ({@code n+2} floats) from {@code inOff}; the
     *            imaginary parts of bins 0 and {@code n/2} are ignored
     * @param out receives {@code n} real samples from {@code outOff}; may be {@code in} at the same offset
     */
    public void inverse(float[] in, int inOff, float[] out, int outOff) {
        checkRange(in, inOff, n + 2, "in");
        checkRange(out, outOff, n, "out");
        if (in == out && inOff != outOff) { // overlapping shifted ranges: rare, work on a copy
            in = java.util.Arrays.copyOfRange(in, inOff, inOff + n + 2);
            inOff = 0;
        }
        // Rebuild Z_k = E_k + i O_k, conjugated so that the forward complex FFT computes the inverse;
        // the 1/2 of the split and the 1/m of the inverse make 1/n. Written in natural order (each
        // pair k, m-k is read before it is overwritten, so in == out works), then bit-reversed.
        float g = 1f / n;
        float x0 = in[inOff], xm = in[inOff + n];
        float z0r = g * (x0 + xm), z0i = g * (x0 - xm); // E_0 = (X_0 + X_m)/2, O_0 = (X_0 - X_m)/2
        out[outOff] = z0r;
        out[outOff + 1] = -z0i;
        int k = 1;
        // SIMD: VL/2 bins k.. and their mirrors m-k.. at once, while the two blocks do not overlap.
        for (int hv = VL / 2; 2 * k + VL - 2 < m; k += hv) {
            int p = inOff + 2 * k, q = inOff + 2 * (m - k - hv + 1);
            FloatVector a = FloatVector.fromArray(S, in, p);
            FloatVector b = FloatVector.fromArray(S, in, q).rearrange(REV).mul(CONJ); // conj(X_{m-k})
            FloatVector e = a.add(b).mul(g);
            FloatVector d = a.sub(b).mul(g);
            // O = D (c + i s) = D c - swap(D) (s, -s)
            FloatVector o = d.mul(FloatVector.fromArray(S, splitC2, 2 * k))
                    .sub(d.rearrange(SWAP).mul(FloatVector.fromArray(S, splitS2, 2 * k)));
            FloatVector io = o.rearrange(SWAP).mul(CONJ); // -i O
            // out_k = conj(E + i O), out_{m-k} = conj(conj(E) + i conj(O)) = E - i O
            e.sub(io).mul(CONJ).intoArray(out, outOff + 2 * k);
            e.add(io).rearrange(REV).intoArray(out, outOff + 2 * (m - k - hv + 1));
        }
        for (int half = m / 2; k <= half; k++) {
            int p = inOff + 2 * k, q = inOff + 2 * (m - k);
            float ar = in[p], ai = in[p + 1], br = in[q], bi = -in[q + 1]; // B = conj(X_{m-k})
            float er = g * (ar + br), ei = g * (ai + bi);
            float dr = g * (ar - br), di = g * (ai - bi);
            float c = splitCos[k], s = splitSin[k]; // O = D * W^{-k}, W^{-k} = c + i s
            float or = dr * c - di * s, oi = dr * s + di * c;
            // Z_k = E + i O; Z_{m-k} = conj(E) + i conj(O) (E, O are spectra of real sequences)
            float zkr = er - oi, zki = ei + or;
            float zqr = er + oi, zqi = -ei + or;
            int dk = outOff + 2 * k, dq = outOff + 2 * (m - k);
            out[dk] = zkr;
            out[dk + 1] = -zki;
            out[dq] = zqr;
            out[dq + 1] = -zqi;
        }
        bitReverseInPlace(out, outOff);
        complexFft(out, outOff);
        int j = outOff, end = outOff + n;
        for (int ev = outOff + S.loopBound(n); j < ev; j += VL) FloatVector.fromArray(S, out, j).mul(CONJ).intoArray(out, j);
        for (j++; j < end; j += 2) out[j] = -out[j];
    }

    /**
     * Forward transforms of {@code count} signals: signal {@code b} is read from
     * {@code inOff + b*inStride} ({@code n} floats) and its {@code n+2} spectrum floats are written at
     * {@code outOff + b*outStride}. Runs on several cores when the batch is large.
     */
    public void forwardBatch(float[] in, int inOff, int inStride, float[] out, int outOff, int outStride, int count) {
        checkBatch(in, inOff, inStride, n, out, outOff, outStride, n + 2, count);
        Parallel.forRange(count, minBatchChunk(), (from, to) -> {
            for (int b = from; b < to; b++) forward(in, inOff + b * inStride, out, outOff + b * outStride);
        });
    }

    /**
     * Inverse transforms of {@code count} spectra: spectrum {@code b} ({@code n+2} floats) is read from
     * {@code inOff + b*inStride} and its {@code n} samples are written at {@code outOff + b*outStride}.
     */
    public void inverseBatch(float[] in, int inOff, int inStride, float[] out, int outOff, int outStride, int count) {
        checkBatch(in, inOff, inStride, n + 2, out, outOff, outStride, n, count);
        Parallel.forRange(count, minBatchChunk(), (from, to) -> {
            for (int b = from; b < to; b++) inverse(in, inOff + b * inStride, out, outOff + b * outStride);
        });
    }

    /** Transforms per task so that each task does at least ~64k samples of work. */
    private int minBatchChunk() {
        return Math.max(1, 65536 / n);
    }

    // ---------------------------------------------------------------------------------------------
    // Complex FFT of size m on interleaved data that is already in bit-reversed order.

    private void complexFft(float[] a, int off) {
        if (m == 1) return;
        int h;
        if (VL == 16 && 2 * m >= VL) {
            // The three stages whose butterflies stay inside one 512-bit vector, in one sweep.
            inVectorStages(a, off);
            h = VL / 2;
        } else if (m >= 4) {
            radix4First(a, off);
            h = 4;
        } else {
            // m == 2: one butterfly
            float r0 = a[off], i0 = a[off + 1], r1 = a[off + 2], i1 = a[off + 3];
            a[off] = r0 + r1;
            a[off + 1] = i0 + i1;
            a[off + 2] = r0 - r1;
            a[off + 3] = i0 - i1;
            return;
        }
        while (h < m) {
            if (2 * h >= VL && 4 * h <= m) {
                vectorStagePair(a, off, h);
                h <<= 2;
                continue;
            }
            if (2 * h >= VL) vectorStage(a, off, h);
            else if (2 * h == HL) halfVectorStage(a, off, h);
            else scalarStage(a, off, h);
            h <<= 1;
        }
    }

    /**
     * Per in-vector stage t (span h = 1, 2, 4 complex numbers): the partner shuffle (lane i with
     * lane i ^ 2h), the mask of lanes in the upper half of their butterfly, and the twiddle
     * vectors in the {@code wr, wx} convention with the butterfly's sign folded in (+ lower, - upper).
     */
    private static final VectorShuffle<Float>[] IV_PARTNER;
    private static final jdk.incubator.vector.VectorMask<Float>[] IV_UPPER;
    private static final FloatVector[] IV_WR, IV_WX;

    static {
        int stages = Integer.numberOfTrailingZeros(Math.max(1, VL / 2));
        @SuppressWarnings("unchecked")
        VectorShuffle<Float>[] partner = new VectorShuffle[stages];
        @SuppressWarnings("unchecked")
        jdk.incubator.vector.VectorMask<Float>[] upper = new jdk.incubator.vector.VectorMask[stages];
        FloatVector[] wrs = new FloatVector[stages], wxs = new FloatVector[stages];
        for (int t = 0; t < stages; t++) {
            int h = 1 << t;
            partner[t] = VectorShuffle.fromOp(S, i -> i ^ (2 * h));
            boolean[] up = new boolean[VL];
            float[] wr = new float[VL], wx = new float[VL];
            for (int i = 0; i < VL; i++) {
                int c = i / 2, j = c % h;
                up[i] = (c & h) != 0;
                float sg = up[i] ? -1f : 1f;
                double ang = Math.PI * j / h;
                wr[i] = sg * (float) Math.cos(ang);
                wx[i] = sg * ((i & 1) == 0 ? (float) Math.sin(ang) : -(float) Math.sin(ang));
            }
            upper[t] = jdk.incubator.vector.VectorMask.fromArray(S, up, 0);
            wrs[t] = FloatVector.fromArray(S, wr, 0);
            wxs[t] = FloatVector.fromArray(S, wx, 0);
        }
        IV_PARTNER = partner;
        IV_UPPER = upper;
        IV_WR = wrs;
        IV_WX = wxs;
    }

    /**
     * Stages with spans 1, 2 and 4 complex numbers (all butterflies inside one 16-float vector) in
     * one sweep: lane i of a stage is {@code lower ? x_i + w x_p : x_p - w x_i} with p its partner,
     * i.e. {@code first + w' * second} with {@code first, second} blended from x and its partner
     * shuffle and the sign folded into w'. Replaces two scalar passes and a half-vector pass.
     */
    private void inVectorStages(float[] a, int off) {
        VectorShuffle<Float> p0 = IV_PARTNER[0], p1 = IV_PARTNER[1], p2 = IV_PARTNER[2];
        jdk.incubator.vector.VectorMask<Float> u0 = IV_UPPER[0], u1 = IV_UPPER[1], u2 = IV_UPPER[2];
        FloatVector r0 = IV_WR[0], r1 = IV_WR[1], r2 = IV_WR[2];
        FloatVector x0 = IV_WX[0], x1 = IV_WX[1], x2 = IV_WX[2];
        for (int s = off, end = off + 2 * m; s < end; s += VL) {
            FloatVector x = FloatVector.fromArray(S, a, s);
            FloatVector y = x.rearrange(p0);
            FloatVector f = x.blend(y, u0), g = y.blend(x, u0);
            x = f.add(g.mul(r0)).add(g.rearrange(SWAP).mul(x0));
            y = x.rearrange(p1);
            f = x.blend(y, u1);
            g = y.blend(x, u1);
            x = f.add(g.mul(r1)).add(g.rearrange(SWAP).mul(x1));
            y = x.rearrange(p2);
            f = x.blend(y, u2);
            g = y.blend(x, u2);
            f.add(g.mul(r2)).add(g.rearrange(SWAP).mul(x2)).intoArray(a, s);
        }
    }

    /** The first two radix-2 stages (spans 1 and 2) fused: twiddles are 1 and -i. */
    private void radix4First(float[] a, int off) {
        for (int s = off, end = off + 2 * m; s < end; s += 8) {
            float r0 = a[s], i0 = a[s + 1], r1 = a[s + 2], i1 = a[s + 3];
            float r2 = a[s + 4], i2 = a[s + 5], r3 = a[s + 6], i3 = a[s + 7];
            float ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
            float cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
            // span 2: (a, c) with w = 1; (b, d) with w = -i: d * -i = (di, -dr)
            a[s] = ar + cr;
            a[s + 1] = ai + ci;
            a[s + 4] = ar - cr;
            a[s + 5] = ai - ci;
            a[s + 2] = br + di;
            a[s + 3] = bi - dr;
            a[s + 6] = br - di;
            a[s + 7] = bi + dr;
        }
    }

    private void scalarStage(float[] a, int off, int h) {
        int base = 2 * (h - 1), span = 2 * h;
        for (int s = off, end = off + 2 * m; s < end; s += 2 * span) {
            for (int j = 0; j < span; j += 2) {
                float c = wr[base + j], si = wx[base + j + 1]; // w = c + i si (si = -sin)
                int p = s + j, q = p + span;
                float br = a[q], bi = a[q + 1];
                float tr = br * c - bi * si, ti = br * si + bi * c;
                float ar = a[p], ai = a[p + 1];
                a[p] = ar + tr;
                a[p + 1] = ai + ti;
                a[q] = ar - tr;
                a[q + 1] = ai - ti;
            }
        }
    }

    private void vectorStage(float[] a, int off, int h) {
        int base = 2 * (h - 1), span = 2 * h;
        for (int s = off, end = off + 2 * m; s < end; s += 2 * span) {
            for (int j = 0; j < span; j += VL) {
                int p = s + j, q = p + span;
                FloatVector b = FloatVector.fromArray(S, a, q);
                FloatVector w1 = FloatVector.fromArray(S, wr, base + j);
                FloatVector w2 = FloatVector.fromArray(S, wx, base + j);
                FloatVector t = b.rearrange(SWAP).mul(w2).add(b.mul(w1));
                FloatVector x = FloatVector.fromArray(S, a, p);
                x.add(t).intoArray(a, p);
                x.sub(t).intoArray(a, q);
            }
        }
    }

    /**
     * Stages h and 2h in one sweep (a radix-4 pass built from two radix-2 levels): each group of
     * four vectors is loaded once, goes through both butterfly levels in registers and is stored
     * once, which halves the passes over an array that for large n lives in L2 or L3.
     */
    private void vectorStagePair(float[] a, int off, int h) {
        int base1 = 2 * (h - 1), base2 = 2 * (2 * h - 1), span = 2 * h;
        for (int s = off, end = off + 2 * m; s < end; s += 4 * span) {
            for (int j = 0; j < span; j += VL) {
                int p0 = s + j, p1 = p0 + span, p2 = p1 + span, p3 = p2 + span;
                FloatVector w1 = FloatVector.fromArray(S, wr, base1 + j);
                FloatVector w2 = FloatVector.fromArray(S, wx, base1 + j);
                FloatVector x1 = FloatVector.fromArray(S, a, p1);
                FloatVector x3 = FloatVector.fromArray(S, a, p3);
                FloatVector t1 = x1.rearrange(SWAP).mul(w2).add(x1.mul(w1));
                FloatVector t3 = x3.rearrange(SWAP).mul(w2).add(x3.mul(w1));
                FloatVector x0 = FloatVector.fromArray(S, a, p0);
                FloatVector x2 = FloatVector.fromArray(S, a, p2);
                FloatVector y0 = x0.add(t1), y1 = x0.sub(t1), y2 = x2.add(t3), y3 = x2.sub(t3);
                // Level 2h: (y0, y2) with twiddle j, (y1, y3) with twiddle j + span.
                FloatVector u1 = FloatVector.fromArray(S, wr, base2 + j);
                FloatVector u2 = FloatVector.fromArray(S, wx, base2 + j);
                FloatVector v1 = FloatVector.fromArray(S, wr, base2 + span + j);
                FloatVector v2 = FloatVector.fromArray(S, wx, base2 + span + j);
                FloatVector t2 = y2.rearrange(SWAP).mul(u2).add(y2.mul(u1));
                FloatVector t4 = y3.rearrange(SWAP).mul(v2).add(y3.mul(v1));
                y0.add(t2).intoArray(a, p0);
                y0.sub(t2).intoArray(a, p2);
                y1.add(t4).intoArray(a, p1);
                y1.sub(t4).intoArray(a, p3);
            }
        }
    }

    /** A stage whose span {@code 2h} floats is exactly one half-width vector. */
    private void halfVectorStage(float[] a, int off, int h) {
        int base = 2 * (h - 1), span = 2 * h;
        FloatVector w1 = FloatVector.fromArray(H, wr, base);
        FloatVector w2 = FloatVector.fromArray(H, wx, base);
        for (int s = off, end = off + 2 * m; s < end; s += 2 * span) {
            FloatVector b = FloatVector.fromArray(H, a, s + span);
            FloatVector t = b.rearrange(HSWAP).mul(w2).add(b.mul(w1));
            FloatVector x = FloatVector.fromArray(H, a, s);
            x.add(t).intoArray(a, s);
            x.sub(t).intoArray(a, s + span);
        }
    }

    /** Tile side bits of the cache-blocked bit reversal: 16 x 16 complex numbers per tile. */
    private static final int TQ = 4;
    /**
     * Tiles only from 2^13 complex numbers (64 KiB, twice L1): below that the plain loop hits L1
     * anyway and the tile bookkeeping costs more than it saves (2048-point transforms lost ~30 %).
     */
    private static final int TILE_MIN_BITS = Math.max(2 * TQ + 1, 13);
    /** Bit reversal of TQ bits. */
    private static final int[] REV_Q = new int[1 << TQ];

    static {
        for (int i = 0; i < REV_Q.length; i++) REV_Q[i] = Integer.reverse(i) >>> (32 - TQ);
    }

    private void bitReverseInPlace(float[] a, int off) {
        int bits = Integer.numberOfTrailingZeros(m);
        if (bits < TILE_MIN_BITS) {
            for (int j = 0; j < m; j++) {
                int r = rev[j];
                if (r > j) swap(a, off + 2 * j, off + 2 * r);
            }
            return;
        }
        // j = (hi, mid, lo) with TQ-bit hi and lo; rev(j) = (rev(lo), rev(mid), rev(hi)). Tile mid
        // (16 runs of 16 contiguous numbers, 2^(bits-4) numbers apart) swaps with tile rev(mid)
        // transposed. Both tiles are read run by run into a local buffer and written back run by
        // run: a plain loop over j misses the cache on nearly every swap for large n, and touching
        // the 16 runs of a tile column-wise would thrash L1 (their power-of-two stride maps them
        // all to one cache set).
        int midBits = bits - 2 * TQ, q = 1 << TQ, hiShift = bits - TQ;
        float[] t0 = new float[2 * q * q], t1 = new float[2 * q * q];
        for (int mid = 0, mids = 1 << midBits; mid < mids; mid++) {
            int rmid = Integer.reverse(mid) >>> (32 - midBits);
            if (rmid < mid) continue;
            loadTile(a, off + 2 * (mid << TQ), hiShift, t0);
            if (rmid != mid) loadTile(a, off + 2 * (rmid << TQ), hiShift, t1);
            storeTileTransposed(t0, a, off + 2 * (rmid << TQ), hiShift);
            if (rmid != mid) storeTileTransposed(t1, a, off + 2 * (mid << TQ), hiShift);
        }
    }

    /** t[hi][lo] (complex) = a[base + 2 * (hi << hiShift | lo)] for the TQ x TQ tile at {@code base}. */
    private static void loadTile(float[] a, int base, int hiShift, float[] t) {
        int q = 1 << TQ;
        for (int hi = 0; hi < q; hi++) System.arraycopy(a, base + 2 * (hi << hiShift), t, 2 * q * hi, 2 * q);
    }

    /** a[base + 2 * (rev(lo) << hiShift | rev(hi))] = t[hi][lo]: the bit-reversed placement of a tile. */
    private static void storeTileTransposed(float[] t, float[] a, int base, int hiShift) {
        int q = 1 << TQ;
        for (int lo = 0; lo < q; lo++) {
            int d = base + 2 * (REV_Q[lo] << hiShift);
            for (int hi = 0; hi < q; hi++) {
                int s = 2 * (q * hi + lo), o = d + 2 * REV_Q[hi];
                a[o] = t[s];
                a[o + 1] = t[s + 1];
            }
        }
    }

    /**
     * Copies m complex numbers from {@code in} to {@code out} in bit-reversed order, reading only
     * the first {@code len} floats of {@code in} and taking the rest as zeros.
     */
    private void bitReverseCopy(float[] in, int inOff, float[] out, int outOff, int len) {
        int bits = Integer.numberOfTrailingZeros(m);
        if (bits < TILE_MIN_BITS) {
            if (len < n) java.util.Arrays.fill(out, outOff, outOff + n, 0f);
            int full = len / 2;
            for (int j = 0; j < full; j++) {
                int d = outOff + 2 * rev[j], s = inOff + 2 * j;
                out[d] = in[s];
                out[d + 1] = in[s + 1];
            }
            if ((len & 1) != 0) out[outOff + 2 * rev[full]] = in[inOff + len - 1];
            return;
        }
        int midBits = bits - 2 * TQ, hiShift = bits - TQ;
        float[] t = new float[2 << (2 * TQ)];
        for (int mid = 0, mids = 1 << midBits; mid < mids; mid++) {
            int rmid = Integer.reverse(mid) >>> (32 - midBits);
            loadTilePadded(in, inOff, len, 2 * (mid << TQ), hiShift, t);
            storeTileTransposed(t, out, outOff + 2 * (rmid << TQ), hiShift);
        }
    }

    /** {@link #loadTile} from {@code in[inOff ..]} where floats at or past {@code len} read as zero. */
    private static void loadTilePadded(float[] in, int inOff, int len, int base, int hiShift, float[] t) {
        int q = 1 << TQ, run = 2 * q;
        for (int hi = 0; hi < q; hi++) {
            int src = base + 2 * (hi << hiShift), have = Math.max(0, Math.min(run, len - src));
            if (have > 0) System.arraycopy(in, inOff + src, t, run * hi, have);
            if (have < run) java.util.Arrays.fill(t, run * hi + have, run * hi + run, 0f);
        }
    }

    private static void swap(float[] a, int p, int q) {
        float t0 = a[p], t1 = a[p + 1];
        a[p] = a[q];
        a[p + 1] = a[q + 1];
        a[q] = t0;
        a[q + 1] = t1;
    }

    private static void checkRange(float[] a, int off, int len, String what) {
        if (off < 0 || (long) off + len > a.length) {
            throw new IllegalArgumentException(what + ": need " + len + " floats from offset " + off
                    + " but the array has " + a.length);
        }
    }

    private static void checkBatch(float[] in, int inOff, int inStride, int inLen, float[] out, int outOff,
                                   int outStride, int outLen, int count) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (count == 0) return;
        if (inStride < 0 || outStride < 0) {
            throw new IllegalArgumentException("strides must be >= 0, got in " + inStride + ", out " + outStride);
        }
        if (out == in) throw new IllegalArgumentException("batch transforms need distinct in and out arrays");
        if (outStride < outLen && count > 1) {
            throw new IllegalArgumentException("out stride " + outStride + " < " + outLen
                    + " floats per transform: outputs would overlap");
        }
        checkRange(in, inOff, (int) Math.min(Integer.MAX_VALUE, (long) inStride * (count - 1) + inLen), "in");
        checkRange(out, outOff, (int) Math.min(Integer.MAX_VALUE, (long) outStride * (count - 1) + outLen), "out");
    }
}
