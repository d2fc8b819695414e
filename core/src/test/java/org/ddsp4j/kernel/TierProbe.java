package org.ddsp4j.kernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ddsp4j.spectral.SpectralLoss;
import org.ddsp4j.spectral.StftKernel;
import org.ddsp4j.tensor.Tensor;

/**
 * Small fixed workloads of every kernel whose rounding could depend on the JIT (elementary
 * functions, lane sums, the GRU gates, synthesizers, layer norm, GEMM paths, the spectral loss),
 * plus the scalar {@link Math} functions the kernels call, each reduced to a hash of its output
 * bits. {@link JitTierTest} runs {@link #main} in JVMs pinned to the interpreter, to C1 and to C2
 * and compares the hashes.
 *
 * <p>{@code main(reps)}: runs every workload {@code reps} times (warm-up, so that the JIT compiles
 * them), then prints one {@code name=hash} line per workload, plus {@code control=...}: the Vector
 * API's own {@code lanewise(EXP)}, which does change with the tier (informational only).
 */
public final class TierProbe {
    private TierProbe() {}

    /** The workloads by name; each returns a hash of everything it computed. */
    static Map<String, Supplier<Long>> workloads() {
        Map<String, Supplier<Long>> w = new LinkedHashMap<>();
        w.put("vectormath", TierProbe::vectorMath);
        w.put("sums", TierProbe::sums);
        w.put("gru", TierProbe::gru);
        w.put("harmonic", TierProbe::harmonic);
        w.put("oscillators", TierProbe::oscillators);
        w.put("layernorm", TierProbe::layerNorm);
        w.put("gemm", TierProbe::gemm);
        w.put("spectral", TierProbe::spectral);
        w.put("scalarmath", TierProbe::scalarMath);
        return w;
    }

    public static void main(String[] args) {
        int reps = Integer.parseInt(args[0]);
        Map<String, Supplier<Long>> w = workloads();
        for (int r = 0; r < reps; r++) {
            for (Supplier<Long> s : w.values()) s.get();
            control();
        }
        for (var e : w.entrySet()) System.out.println(e.getKey() + "=" + Long.toHexString(e.getValue().get()));
        System.out.println("control=" + Long.toHexString(control()));
    }

    /** Inputs with every kind of float: zeros, subnormals, huge values, infinities, NaN, and a spread of ordinary ones. */
    static float[] floats() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, -1e-30f, 1f, -1f, 0.5f,
            0.625f, -0.625f, 9.01f, -9.01f, 20f, -20f, 88.7f, 88.8f, -87.4f, -103f, -104f, 1e30f, -1e30f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] x = Arrays.copyOf(special, 301);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = special.length; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.exp(r.nextDouble(-8, 5)));
        return x;
    }

    static long vectorMath() {
        float[] x = floats(), y = new float[x.length];
        long h = 17;
        VectorMath.exp(x, 0, y, 0, x.length);
        h = mix(h, y);
        VectorMath.log(x, 0, y, 0, x.length);
        h = mix(h, y);
        VectorMath.tanh(x, 0, y, 0, x.length);
        h = mix(h, y);
        VectorMath.sigmoid(x, 0, y, 0, x.length);
        h = mix(h, y);
        double[] d = new double[203], s = new double[d.length], c = new double[d.length];
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < d.length; i++) d[i] = i < 8 ? new double[] {0, -0.0, 1e300, -1e-310, Double.NaN,
            Double.POSITIVE_INFINITY, 0x1p20, Math.PI}[i] : r.nextDouble(-30, 30);
        VectorMath.sinCos(d, 0, s, 0, c, 0, d.length);
        return mix(mix(h, s), c);
    }

    static long sums() {
        int fl = FloatVector.SPECIES_PREFERRED.length();
        float[] x = floats(), lanes = new float[fl];
        long h = 19;
        for (int i = 0; i + fl <= x.length; i += fl) {
            // finite values with very different magnitudes, so that the order of the additions shows
            for (int l = 0; l < fl; l++) lanes[l] = Float.isFinite(x[i + l]) ? x[i + l] : 1f;
            h = h * 31 + Float.floatToIntBits(VectorMath.sumPairwise(lanes, 0, fl));
        }
        return h;
    }

    static long gru() {
        int hidden = 37, g3 = 3 * hidden;
        SplittableRandom r = new SplittableRandom(13);
        float[] g = rand(r, g3, 3), gh = rand(r, g3, 3), hp = rand(r, hidden, 1), h = new float[hidden];
        float[] ghn = new float[hidden], dy = rand(r, hidden, 1), dh = rand(r, hidden, 1), dgh = new float[g3];
        GruGates.forwardRow(hidden, g, 0, gh, 0, hp, 0, h, 0, ghn, 0);
        long k = mix(mix(23, h), g);
        GruGates.backwardRow(hidden, dy, 0, dh, 0, g, 0, ghn, 0, hp, 0, dgh, 0);
        return mix(mix(mix(k, g), dgh), dh);
    }

    static long harmonic() {
        int frames = 6, harmonics = 9, samples = 5 * 64;
        SplittableRandom r = new SplittableRandom(14);
        float[] f0 = new float[frames], amp = new float[frames], dist = rand(r, frames * harmonics, 1);
        for (int f = 0; f < frames; f++) {
            f0[f] = (float) r.nextDouble(100, 1500);
            amp[f] = (float) r.nextDouble(0, 1);
        }
        float[] audio = new float[samples], end = new float[1];
        HarmonicKernel.forward(1, frames, harmonics, samples, 16000, f0, amp, dist, new float[] {0.3f}, audio, end);
        float[] gf = new float[frames], ga = new float[frames], gd = new float[dist.length], gp = new float[1];
        HarmonicKernel.backward(1, frames, harmonics, samples, 16000, f0, amp, dist, new float[] {0.3f}, rand(r, samples, 1),
                gf, ga, gd, gp);
        return mix(mix(mix(mix(mix(mix(29, audio), end), gf), ga), gd), gp);
    }

    static long oscillators() {
        int frames = 4, osc = 11, samples = 96;
        SplittableRandom r = new SplittableRandom(15);
        float[] freq = new float[frames * osc], amp = rand(r, frames * osc, 1);
        for (int i = 0; i < freq.length; i++) freq[i] = (float) r.nextDouble(50, 9000);
        float[] audio = new float[samples], end = new float[osc];
        OscillatorBankKernel.forward(1, frames, osc, samples, 16000, freq, amp, null, audio, end);
        float[] gf = new float[freq.length], ga = new float[freq.length], gp = new float[osc];
        OscillatorBankKernel.backward(1, frames, osc, samples, 16000, freq, amp, null, rand(r, samples, 1), gf, ga, gp);
        return mix(mix(mix(mix(mix(31, audio), end), gf), ga), gp);
    }

    static long layerNorm() {
        int d = 37, rows = 3;
        SplittableRandom r = new SplittableRandom(16);
        float[] x = rand(r, rows * d, 2), gamma = rand(r, d, 1), beta = rand(r, d, 1), y = new float[x.length];
        float[] mean = new float[rows], rstd = new float[rows];
        LayerNormKernel.forward(x, d, 0, rows, 1e-3f, gamma, beta, 0.2f, y, mean, rstd);
        float[] gx = new float[x.length], dg = new float[d], db = new float[d];
        LayerNormKernel.backward(x, rand(r, x.length, 1), d, 0, rows, mean, rstd, gamma, beta, 0.2f, gx, dg, db);
        return mix(mix(mix(mix(mix(mix(37, y), mean), rstd), gx), dg), db);
    }

    static long gemm() {
        SplittableRandom r = new SplittableRandom(17);
        long h = 41;
        int[][] shapes = {{4, 12, 40}, {2, 20, 33}, {20, 50, 30}, {9, 7, 70}};
        for (int[] s : shapes) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = rand(r, m * k, 1), b = rand(r, k * n, 1), c = new float[m * n];
                Gemm.sgemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, tb ? k : n, 0f, c, 0, n);
                h = mix(h, c);
            }
        }
        return h;
    }

    static long spectral() {
        SplittableRandom r = new SplittableRandom(18);
        Tensor x = Tensor.randn(r, 0.1f, 1, 1024).requiresGrad(true), t = Tensor.randn(r, 0.1f, 1, 1024);
        Tensor loss = SpectralLoss.builder().fftSizes(256, 64).build().loss(t, x);
        loss.backward();
        float[] w = new float[129], p = new float[9];
        for (int i = 0; i < w.length; i++) w[i] = 1f / (1 + i);
        new StftKernel(256, 128, StftKernel.Padding.REFLECT).weightedPower(t.data(), 0, 1024, w, p, 0);
        return mix(mix(mix(43, new float[] {loss.item()}), x.grad()), p);
    }

    /** The scalar Math functions the kernels rely on being the same in every tier (HotSpot's stubs). */
    static long scalarMath() {
        SplittableRandom r = new SplittableRandom(19);
        long h = 47;
        for (int i = 0; i < 400; i++) {
            double v = i < 4 ? new double[] {0, 1e-310, 700, -745}[i] : r.nextGaussian() * Math.exp(r.nextDouble(-5, 5));
            double[] f = {Math.exp(v), Math.log(Math.abs(v)), Math.log10(Math.abs(v)), Math.sin(v), Math.cos(v), Math.tan(v),
                Math.tanh(v), Math.pow(Math.abs(v), 0.37), Math.atan2(v, 0.3), Math.cbrt(v), Math.sqrt(Math.abs(v))};
            for (double d : f) h = h * 31 + Double.doubleToLongBits(d);
        }
        return h;
    }

    /** The Vector API's own EXP: SVML once C2 compiles this method, a Java fallback before (what VectorMath replaces). */
    static long control() {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        SplittableRandom r = new SplittableRandom(20);
        float[] x = rand(r, 256, 4), y = new float[x.length];
        for (int i = 0; i + fs.length() <= x.length; i += fs.length()) {
            FloatVector.fromArray(fs, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        return mix(53, y);
    }

    private static float[] rand(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return x;
    }

    private static long mix(long h, float[] x) {
        for (float v : x) h = h * 1_000_003L + Float.floatToIntBits(v);
        return h;
    }

    private static long mix(long h, double[] x) {
        for (double v : x) h = h * 1_000_003L + Double.doubleToLongBits(v);
        return h;
    }
}
