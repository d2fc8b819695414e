package org.ddsp4j.model;

import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.nn.Dense;
import org.ddsp4j.nn.Gru;
import org.ddsp4j.nn.LayerNorm;
import org.ddsp4j.nn.Module;
import org.ddsp4j.spectral.Spectral;
import org.ddsp4j.spectral.StftKernel.Padding;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * The NSynth timbre encoder (after magenta/ddsp's {@code MfccTimeDistributedRnnEncoder}): audio to a
 * latent {@code z} per model frame,
 * <pre>
 *   mfcc [B, F, nMfcc] = MFCC(audio), frame i centred at sample i * hop (zero padded, as the loudness)
 *   x = normalize(mfcc)          instance: per example and coefficient over time; or layer: per frame
 *   z [B, F, zDims] = Dense(GRU(x))
 * </pre>
 * The MFCC hop is the model's hop, so {@code z} has one row per decoder frame and needs no resampling
 * (ddsp computes z at {@code z_time_steps} and resamples it to the decoder's frames). The MFCC is a
 * constant of the input (computed without a graph); gradients flow into the normalization, GRU and
 * Dense parameters.
 *
 * <p>Configuration ({@code encoder.*}): {@code z_dims}, {@code mfcc} (coefficients), {@code gru_units},
 * {@code fft_size}, {@code mel_bins}, {@code lo_hz}, {@code hi_hz} (clamped to Nyquist), {@code norm}
 * ({@code instance}, ddsp's choice, with learned per-coefficient scale and shift; or {@code layer}).
 * Parameters: {@code norm.gamma}, {@code norm.beta [nMfcc]}, {@code gru.*}, {@code dense_out.*}.
 */
public final class ZEncoder extends Module {
    /** eps of the instance normalization. */
    public static final float INSTANCE_EPS = 1e-5f;

    private final int zDims, nMfcc, nFft, nMels, hop, sampleRate;
    private final double loHz, hiHz;
    private final boolean instanceNorm;
    private final InstanceNormParams instance;
    private final LayerNorm layer;
    private final Gru gru;
    private final Dense out;

    /** A freshly initialized encoder for {@code cfg} (which must have {@code encoder.type = mfcc_gru}). */
    public ZEncoder(ModelConfig cfg, SplittableRandom rng) {
        ModelConfig.Encoder e = cfg.encoder();
        zDims = e.zDims();
        nMfcc = e.mfcc();
        nFft = e.fftSize();
        nMels = e.melBins();
        int units = e.gruUnits();
        hop = cfg.hop();
        sampleRate = cfg.sampleRate();
        loHz = e.loHz();
        hiHz = Math.min(e.hiHz(), sampleRate / 2.0);
        instanceNorm = e.norm() == ModelConfig.EncoderNorm.INSTANCE;
        instance = instanceNorm ? addModule("norm", new InstanceNormParams(nMfcc)) : null;
        layer = instanceNorm ? null : addModule("norm", new LayerNorm(nMfcc));
        gru = addModule("gru", new Gru(nMfcc, units, rng));
        out = addModule("dense_out", new Dense(units, zDims, rng));
    }

    /** Learned scale and shift of the instance normalization, named {@code gamma} and {@code beta}. */
    private static final class InstanceNormParams extends Module {
        final Tensor gamma, beta;

        InstanceNormParams(int n) {
            gamma = addParameter("gamma", Tensor.ones(n));
            beta = addParameter("beta", Tensor.zeros(n));
        }
    }

    public int zDims() {
        return zDims;
    }

    public int nMfcc() {
        return nMfcc;
    }

    /**
     * @param audio   {@code [B, nFrames * hop]}
     * @param nFrames decoder frames
     * @return {@code z [B, nFrames, zDims]}
     */
    public Tensor forward(Tensor audio, int nFrames) {
        return encode(mfcc(audio, nFrames));
    }

    /**
     * The encoder's features: {@code [B, nFrames * hop] -> [B, nFrames, nMfcc]}, frame {@code i} centred at
     * sample {@code i * hop}; a constant (no gradient to the audio).
     */
    public Tensor mfcc(Tensor audio, int nFrames) {
        if (audio.rank() != 2 || audio.dim(1) != nFrames * hop) {
            throw new IllegalArgumentException("ZEncoder: audio must be [batch, nFrames * hop] = [B, " + nFrames + " * " + hop
                    + "], got " + java.util.Arrays.toString(audio.shape()));
        }
        try (GradMode g = GradMode.off()) {
            Tensor m = Spectral.mfcc(audio, sampleRate, nFft, hop, nMels, loHz, hiHz, nMfcc, Padding.ZERO);
            // nSamples / hop + 1 centred frames: the last one lies past the decoder's frames.
            return Tensor.of(m.slice(1, 0, nFrames).data().clone(), audio.dim(0), nFrames, nMfcc);
        }
    }

    /** Normalization, GRU and Dense: {@code mfcc [B, F, nMfcc] -> z [B, F, zDims]} (differentiable). */
    public Tensor encode(Tensor mfcc) {
        if (mfcc.rank() != 3 || mfcc.dim(2) != nMfcc) {
            throw new IllegalArgumentException("ZEncoder: mfcc must be [batch, nFrames, " + nMfcc + "], got "
                    + java.util.Arrays.toString(mfcc.shape()));
        }
        Tensor x;
        if (instanceNorm) {
            Tensor centred = mfcc.sub(mfcc.mean(1, true));
            Tensor std = centred.square().mean(1, true).add(INSTANCE_EPS).sqrt();
            x = centred.div(std).mul(instance.gamma).add(instance.beta);
        } else {
            x = layer.forward(mfcc);
        }
        return out.forward(gru.forward(x).outputs());
    }
}
