package org.ddsp4j.tensor;

/**
 * Walks a broadcast output shape row by row (a row = the last dimension), giving each operand's
 * offset and its stride along the row (0 when stretched). Ops run tight loops per row, so the
 * per-row callback costs nothing measurable.
 */
final class Broadcast {
    /** Body for two operands viewed at the output shape. */
    interface Row2 {
        void run(int outOff, int aOff, int aStride, int bOff, int bStride, int n);
    }

    /** Body for one operand viewed at the output shape. */
    interface Row1 {
        void run(int outOff, int aOff, int aStride, int n);
    }

    private Broadcast() {}

    static void rows(int[] outShape, int[] aShape, int[] bShape, Row2 body) {
        int r = Math.max(1, outShape.length);
        int[] out = outShape.length == 0 ? new int[] {1} : outShape;
        int[] sa = Shape.broadcastStrides(aShape, out);
        int[] sb = Shape.broadcastStrides(bShape, out);
        int n = out[r - 1];
        int rows = n == 0 ? 0 : Shape.numel(out) / n;
        int[] idx = new int[r];
        int aOff = 0, bOff = 0;
        for (int row = 0; row < rows; row++) {
            body.run(row * n, aOff, sa[r - 1], bOff, sb[r - 1], n);
            for (int d = r - 2; d >= 0; d--) {
                idx[d]++;
                aOff += sa[d];
                bOff += sb[d];
                if (idx[d] < out[d]) break;
                aOff -= sa[d] * out[d];
                bOff -= sb[d] * out[d];
                idx[d] = 0;
            }
        }
    }

    static void rows(int[] outShape, int[] aShape, Row1 body) {
        rows(outShape, aShape, aShape, (o, a, as, b, bs, n) -> body.run(o, a, as, n));
    }

    /**
     * Sums {@code full} (laid out at {@code fullShape}) down to {@code target} (which broadcasts
     * to fullShape) and adds the result into {@code dst} (size of target).
     */
    static void sumInto(float[] full, int[] fullShape, int[] target, float[] dst) {
        if (java.util.Arrays.equals(fullShape, target)) {
            for (int i = 0; i < dst.length; i++) dst[i] += full[i];
            return;
        }
        rows(fullShape, target, (o, t, ts, n) -> {
            if (ts == 0) {
                float s = 0;
                for (int j = 0; j < n; j++) s += full[o + j];
                dst[t] += s;
            } else {
                for (int j = 0; j < n; j++) dst[t + j] += full[o + j];
            }
        });
    }

    /** Materializes {@code src} (shape {@code from}) at the broadcast shape {@code to}. */
    static float[] expand(float[] src, int[] from, int[] to) {
        float[] out = new float[Shape.numel(to)];
        rows(to, from, (o, a, as, n) -> {
            if (as == 0) java.util.Arrays.fill(out, o, o + n, src[a]);
            else System.arraycopy(src, a, out, o, n);
        });
        return out;
    }
}
