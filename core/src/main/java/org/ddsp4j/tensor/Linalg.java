package org.ddsp4j.tensor;

import java.util.Arrays;
import org.ddsp4j.kernel.Gemm;

/** Matrix multiply (batched, broadcasting over leading dimensions), on the {@link Gemm} kernel. */
public final class Linalg {
    private Linalg() {}

    /**
     * {@code a [..., m, k] @ b [..., k, n] -> [..., m, n]}. Both operands need rank >= 2. When
     * {@code b} is a matrix (rank 2) it is shared by every matrix of {@code a} and the product runs
     * as one large GEMM (the Dense-layer case); otherwise leading dimensions broadcast.
     */
    static Tensor matmul(Tensor a, Tensor b) {
        int ra = a.shape.length, rb = b.shape.length;
        if (ra < 2 || rb < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + Shape.str(a.shape) + " and " + Shape.str(b.shape));
        }
        int m = a.shape[ra - 2], k = a.shape[ra - 1], kb = b.shape[rb - 2], n = b.shape[rb - 1];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(a.shape) + " @ " + Shape.str(b.shape));
        }
        if (rb == 2) return matmulShared(a, b, m, k, n);
        int[] batchA = Arrays.copyOf(a.shape, ra - 2), batchB = Arrays.copyOf(b.shape, rb - 2);
        int[] batch = Shape.broadcast(batchA, batchB, "matmul");
        int[] fullA = concatDims(batch, m, k), fullB = concatDims(batch, k, n);
        Tensor ea = Arrays.equals(a.shape, fullA) ? a : a.broadcastTo(fullA);
        Tensor eb = Arrays.equals(b.shape, fullB) ? b : b.broadcastTo(fullB);
        int nb = Shape.numel(batch);
        float[] y = new float[nb * m * n];
        float[] ad = ea.data, bd = eb.data;
        Gemm.sgemmBatched(false, false, nb, m, n, k, 1f, ad, 0, m * k, k, bd, 0, k * n, n, 0f, y, 0, m * n, n);
        return Tensor.fromOp("matmul", y, concatDims(batch, m, n), gy -> {
            if (ea.requiresGrad()) {  // dA = dY B^T
                Gemm.sgemmBatched(false, true, nb, m, k, n, 1f, gy, 0, m * n, n, bd, 0, k * n, n, 1f, ea.gradBuffer(), 0, m * k, k);
            }
            if (eb.requiresGrad()) {  // dB = A^T dY
                Gemm.sgemmBatched(true, false, nb, k, n, m, 1f, ad, 0, m * k, k, gy, 0, m * n, n, 1f, eb.gradBuffer(), 0, k * n, n);
            }
        }, ea, eb);
    }

    private static Tensor matmulShared(Tensor a, Tensor b, int m, int k, int n) {
        int rows = a.data.length / Math.max(1, k);
        if (k == 0) rows = Shape.numel(a.shape) == 0 ? 0 : Shape.numel(Arrays.copyOf(a.shape, a.shape.length - 1));
        int[] outShape = a.shape.clone();
        outShape[outShape.length - 1] = n;
        float[] y = new float[Shape.numel(outShape)];
        final int mm = rows;
        if (mm > 0 && n > 0) Gemm.sgemm(false, false, mm, n, k, 1f, a.data, 0, k, b.data, 0, n, 0f, y, 0, n);
        return Tensor.fromOp("matmul", y, outShape, gy -> {
            if (mm == 0 || n == 0 || k == 0) return;
            if (a.requiresGrad()) Gemm.sgemm(false, true, mm, k, n, 1f, gy, 0, n, b.data, 0, n, 1f, a.gradBuffer(), 0, k);
            if (b.requiresGrad()) Gemm.sgemm(true, false, k, n, mm, 1f, a.data, 0, k, gy, 0, n, 1f, b.gradBuffer(), 0, n);
        }, a, b);
    }

    private static int[] concatDims(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
