package org.ddsp4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalization over rows of {@code d} floats, optionally followed by a leaky ReLU, on flat
 * arrays (the row loops of {@code org.ddsp4j.nn.LayerNorm}):
 * <pre>
 *   xh = (x - mean) * rstd,   rstd = 1 / sqrt(var + eps)   (biased variance, two passes)
 *   z  = xh * gamma + beta,   y = z > 0 ? z : slope * z     (slope 1: y = z)
 * </pre>
 * Backward per row, with {@code gz = dy * act'(z)} and {@code g = gz * gamma}:
 * {@code dx += rstd * (g - mean(g) - xh * mean(g * xh))}, {@code dgamma += gz * xh},
 * {@code dbeta += gz}. Sums run in float vector lanes (a row of 512 is 32 terms per lane), reduced by
 * {@link VectorMath#sumPairwise}.
 */
public final class LayerNormKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private LayerNormKernel() {}

    /**
     * Rows {@code [from, to)} forward.
     *
     * @param x     {@code [rows, d]} input
     * @param gamma {@code [d]} scale
     * @param beta  {@code [d]} shift
     * @param y     {@code [rows, d]} output
     * @param mean  {@code [rows]} receives each row's mean
     * @param rstd  {@code [rows]} receives each row's {@code 1 / sqrt(var + eps)}
     */
    public static void forward(float[] x, int d, int from, int to, float eps, float[] gamma, float[] beta, float slope,
                               float[] y, float[] mean, float[] rstd) {
        forward(x, d, from, to, eps, gamma, beta, slope, y, mean, rstd, new float[VL]);
    }

    /** {@link #forward} with a scratch of one vector's lanes, so a row allocates nothing (streaming). */
    public static void forward(float[] x, int d, int from, int to, float eps, float[] gamma, float[] beta, float slope,
                               float[] y, float[] mean, float[] rstd, float[] lanes) {
        int end = S.loopBound(d);
        boolean act = slope != 1f;
        for (int r = from; r < to; r++) {
            int o = r * d;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < end; j += VL) acc = acc.add(FloatVector.fromArray(S, x, o + j));
            acc.intoArray(lanes, 0);
            double s = VectorMath.sumPairwise(lanes, 0, VL);
            for (; j < d; j++) s += x[o + j];
            float m = (float) (s / d);
            FloatVector vm = FloatVector.broadcast(S, m);
            acc = FloatVector.zero(S);
            for (j = 0; j < end; j += VL) {
                FloatVector c = FloatVector.fromArray(S, x, o + j).sub(vm);
                acc = c.fma(c, acc);
            }
            acc.intoArray(lanes, 0);
            double v = VectorMath.sumPairwise(lanes, 0, VL);
            for (; j < d; j++) {
                float c = x[o + j] - m;
                v += c * c;
            }
            float rs = (float) (1.0 / Math.sqrt(v / d + eps));
            mean[r] = m;
            rstd[r] = rs;
            FloatVector vrs = FloatVector.broadcast(S, rs);
            for (j = 0; j < end; j += VL) {
                FloatVector z = FloatVector.fromArray(S, x, o + j).sub(vm).mul(vrs)
                        .fma(FloatVector.fromArray(S, gamma, j), FloatVector.fromArray(S, beta, j));
                if (act) z = z.blend(z.mul(slope), z.compare(VectorOperators.LE, 0f));
                z.intoArray(y, o + j);
            }
            for (; j < d; j++) {
                float z = (x[o + j] - m) * rs * gamma[j] + beta[j];
                y[o + j] = act && !(z > 0) ? slope * z : z;
            }
        }
    }

    /**
     * Rows {@code [from, to)} backward; see the class doc. {@code gx} ({@code [rows, d]}),
     * {@code dGamma} and {@code dBeta} ({@code [d]}) are accumulated into; each may be null when not
     * needed.
     */
    public static void backward(float[] x, float[] gy, int d, int from, int to, float[] mean, float[] rstd,
                                float[] gamma, float[] beta, float slope, float[] gx, float[] dGamma, float[] dBeta) {
        int end = S.loopBound(d);
        boolean act = slope != 1f;
        FloatVector vSlope = FloatVector.broadcast(S, slope);
        float[] lanes = new float[VL];
        for (int r = from; r < to; r++) {
            int o = r * d;
            float m = mean[r], rs = rstd[r];
            FloatVector vm = FloatVector.broadcast(S, m), vrs = FloatVector.broadcast(S, rs);
            if (gx != null) {
                FloatVector accG = FloatVector.zero(S), accGx = FloatVector.zero(S);
                int j = 0;
                for (; j < end; j += VL) {
                    FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(vm).mul(vrs);
                    FloatVector gm = FloatVector.fromArray(S, gamma, j);
                    FloatVector gz = FloatVector.fromArray(S, gy, o + j);
                    if (act) gz = gz.blend(gz.mul(vSlope), xh.fma(gm, FloatVector.fromArray(S, beta, j)).compare(VectorOperators.LE, 0f));
                    FloatVector g = gz.mul(gm);
                    accG = accG.add(g);
                    accGx = g.fma(xh, accGx);
                }
                accG.intoArray(lanes, 0);
                double sg = VectorMath.sumPairwise(lanes, 0, VL);
                accGx.intoArray(lanes, 0);
                double sgx = VectorMath.sumPairwise(lanes, 0, VL);
                for (; j < d; j++) {
                    float xh = (x[o + j] - m) * rs, g = gradZ(gy[o + j], xh, gamma[j], beta[j], act, slope) * gamma[j];
                    sg += g;
                    sgx += g * xh;
                }
                float mg = (float) (sg / d), mgx = (float) (sgx / d);
                FloatVector vmg = FloatVector.broadcast(S, mg), vmgx = FloatVector.broadcast(S, mgx);
                for (j = 0; j < end; j += VL) {
                    FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(vm).mul(vrs);
                    FloatVector gm = FloatVector.fromArray(S, gamma, j);
                    FloatVector gz = FloatVector.fromArray(S, gy, o + j);
                    if (act) gz = gz.blend(gz.mul(vSlope), xh.fma(gm, FloatVector.fromArray(S, beta, j)).compare(VectorOperators.LE, 0f));
                    FloatVector dx = gz.mul(gm).sub(vmg).sub(xh.mul(vmgx)).mul(vrs);
                    dx.add(FloatVector.fromArray(S, gx, o + j)).intoArray(gx, o + j);
                    if (dGamma != null) gz.fma(xh, FloatVector.fromArray(S, dGamma, j)).intoArray(dGamma, j);
                    if (dBeta != null) gz.add(FloatVector.fromArray(S, dBeta, j)).intoArray(dBeta, j);
                }
                for (; j < d; j++) {
                    float xh = (x[o + j] - m) * rs, gz = gradZ(gy[o + j], xh, gamma[j], beta[j], act, slope);
                    gx[o + j] += rs * (gz * gamma[j] - mg - xh * mgx);
                    if (dGamma != null) dGamma[j] += gz * xh;
                    if (dBeta != null) dBeta[j] += gz;
                }
            } else if (dGamma != null || dBeta != null) {
                for (int j = 0; j < d; j++) {
                    float xh = (x[o + j] - m) * rs, gz = gradZ(gy[o + j], xh, gamma[j], beta[j], act, slope);
                    if (dGamma != null) dGamma[j] += gz * xh;
                    if (dBeta != null) dBeta[j] += gz;
                }
            }
        }
    }

    /** dL/dz from dL/dy through the activation. */
    private static float gradZ(float gy, float xh, float gamma, float beta, boolean act, float slope) {
        return act && !(xh * gamma + beta > 0) ? slope * gy : gy;
    }
}
