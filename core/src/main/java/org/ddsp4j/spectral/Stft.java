package org.ddsp4j.spectral;

import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * Differentiable short-time Fourier transform: fused tensor ops with hand-written backward (the
 * adjoint STFT: per-frame inverse FFT of the spectral gradient, times the window, overlap-added and
 * folded back through the padding; see {@link StftFrames}).
 *
 * <p>Conventions are those of {@link StftKernel} (= {@code torch.stft} with a periodic Hann window of
 * length {@code nFft}, {@code onesided=True}, no normalization): {@link Padding#REFLECT} is
 * {@code center=True} (torch's default pad mode), {@link Padding#NONE} is {@code center=False}.
 */
public final class Stft {
    private Stft() {}

    /**
     * Complex STFT.
     *
     * @param audio   {@code [batch, nSamples]}
     * @param nFft    FFT size = Hann window length, a power of two
     * @param hop     hop in samples
     * @param padding edge handling (REFLECT = torch {@code center=True})
     * @return {@code [batch, frames, nFft/2+1, 2]} (re, im); frames as {@link StftKernel#frames}
     */
    public static Tensor complex(Tensor audio, int nFft, int hop, Padding padding) {
        StftKernel k = new StftKernel(nFft, hop, padding);
        int rows = rows(audio, "Stft.complex"), nSamples = audio.dim(1), frames = k.frames(nSamples), bins = k.bins();
        float[] spec = new float[rows * frames * (nFft + 2)];
        StftFrames.forward(k, audio.data(), rows, nSamples, spec);
        return Tensor.fromOp("stft", spec, new int[] {rows, frames, bins, 2}, g ->
                StftFrames.adjoint(k, rows, nSamples, audio.gradBuffer(), task -> (b, f, out) -> {
                    System.arraycopy(g, (b * frames + f) * (nFft + 2), out, 0, nFft + 2);
                    return true;
                }), audio);
    }

    /**
     * Magnitude STFT {@code |X|}. The value is exact (no eps); the gradient at {@code |X| = 0} is taken
     * as 0 (the subgradient torch's {@code abs} uses), so it is finite everywhere.
     *
     * @param audio {@code [batch, nSamples]}
     * @return {@code [batch, frames, nFft/2+1]}
     */
    public static Tensor magnitude(Tensor audio, int nFft, int hop, Padding padding) {
        StftKernel k = new StftKernel(nFft, hop, padding);
        int rows = rows(audio, "Stft.magnitude"), nSamples = audio.dim(1), frames = k.frames(nSamples), bins = k.bins();
        int row = nFft + 2;
        float[] spec = new float[rows * frames * row];
        StftFrames.forward(k, audio.data(), rows, nSamples, spec);
        float[] mag = new float[rows * frames * bins];
        Parallel.forRange(rows * frames, StftFrames.framesPerTask(nFft), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < bins; j++) {
                    float re = spec[i * row + 2 * j], im = spec[i * row + 2 * j + 1];
                    mag[i * bins + j] = (float) Math.sqrt(re * re + im * im);
                }
            }
        });
        boolean keep = GradMode.enabled() && audio.requiresGrad();
        float[] saved = keep ? spec : null;
        return Tensor.fromOp("stft_magnitude", mag, new int[] {rows, frames, bins}, g ->
                StftFrames.adjoint(k, rows, nSamples, audio.gradBuffer(), task -> (b, f, out) -> {
                    int s = (b * frames + f) * row, m = (b * frames + f) * bins;
                    for (int j = 0; j < bins; j++) {
                        float a = mag[m + j];
                        // d|X|/dRe = Re/|X|, d|X|/dIm = Im/|X|; 0 at |X| = 0.
                        float q = a > 0 ? g[m + j] / a : 0f;
                        out[2 * j] = q * saved[s + 2 * j];
                        out[2 * j + 1] = q * saved[s + 2 * j + 1];
                    }
                    return true;
                }), audio);
    }

    /** Checks {@code [batch, nSamples]} and returns the batch size. */
    static int rows(Tensor audio, String op) {
        if (audio.rank() != 2) {
            throw new IllegalArgumentException(op + " needs audio [batch, nSamples], got shape "
                    + java.util.Arrays.toString(audio.shape()) + "; reshape a single signal to [1, nSamples]");
        }
        return audio.dim(0);
    }
}
