package org.ddsp4j.model;

import org.ddsp4j.dsp.HarmonicSynth;
import org.ddsp4j.processors.Harmonic;

import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.ExpDecayReverb;
import org.ddsp4j.dsp.FilteredNoise;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.nn.Module;
import org.ddsp4j.tensor.Tensor;

/**
 * The DDSP autoencoder without a z encoder (magenta/ddsp's solo-instrument model):
 * <pre>
 *   f0_scaled = hz_to_midi(f0) / 127        loudness_scaled = loudness_db / 80 + 1
 *   raw [B, F, 1 + K + bands] = Decoder(f0_scaled, loudness_scaled)
 *   amplitude = exp_sigmoid(raw[0] + amplitude_bias)   distribution = normalize(nyquist_mask * exp_sigmoid(raw[1..K]))
 *   noise_mags = exp_sigmoid(raw[K+1..] + initial_bias)
 *   dry = Harmonic(f0, amplitude, distribution) + FilteredNoise(noise_mags)
 *   audio = Reverb(dry)                      (learned IR, exponential-decay noise IR, or none)
 * </pre>
 * Parameters: {@code decoder.*} and, with a reverb, {@code reverb.ir [1, taps]} (learned) or
 * {@code reverb.raw_gain, reverb.raw_decay [1, 1]} (exp_decay, whose noise is a fixed seeded constant).
 */
public final class Autoencoder extends Module {
    /** Every signal of one forward pass, {@code [B, nSamples]}, and the controls. */
    public record Output(Tensor audio, Tensor dry, Tensor harmonic, Tensor noise,
                         Tensor amplitude, Tensor distribution, Tensor noiseMagnitudes) {}

    private final ModelConfig config;
    private final Decoder decoder;
    private final int nHarmonics, nBands, sampleRate, hop;
    private final float noiseBias, amplitudeBias;
    private final String reverbType;
    private final Tensor ir, rawGain, rawDecay, reverbNoise;

    /** A freshly initialized model (seeded by {@code train.seed}). */
    public Autoencoder(ModelConfig config) {
        this.config = config;
        if (!config.getString("encoder.type").equals("none")) {
            throw new UnsupportedOperationException("encoder.type '" + config.getString("encoder.type")
                    + "' (the NSynth z encoder) is not yet implemented in ddsp4j; use --set encoder.type=none to train the "
                    + config.getString("name") + " decoder without z");
        }
        SplittableRandom rng = new SplittableRandom(config.getInt("train.seed"));
        nHarmonics = config.getInt("harmonic.n_harmonics");
        nBands = config.getInt("noise.n_bands");
        noiseBias = config.getFloat("noise.initial_bias");
        // Optional (0 when absent, as in magenta/ddsp): shifts the initial amplitude, exp_sigmoid(0) = 0.41,
        // down towards a real recording's level, so the first steps do not spend themselves on loudness.
        amplitudeBias = (float) config.getDouble("harmonic.amplitude_bias", 0);
        sampleRate = config.sampleRate();
        hop = config.hop();
        decoder = addModule("decoder", new Decoder(config, 1 + nHarmonics + nBands, rng));
        reverbType = config.getString("reverb.type");
        int taps = config.getInt("reverb.taps");
        if (!reverbType.equals("none") && taps < 2) throw new IllegalArgumentException("reverb.taps must be >= 2, is " + taps);
        Tensor irP = null, g = null, d = null, noise = null;
        if (reverbType.equals("learned")) {
            // magenta/ddsp: trainable IR initialized N(0, 1e-6): starts as a dry path.
            irP = Tensor.randn(rng, 1e-6f, 1, taps);
        } else if (reverbType.equals("exp_decay")) {
            g = Tensor.full(ExpDecayReverb.INITIAL_RAW_GAIN, 1, 1);
            d = Tensor.full(ExpDecayReverb.INITIAL_RAW_DECAY, 1, 1);
            noise = FilteredNoise.noise(new SplittableRandom(config.getInt("train.seed") + 7919L), 1, taps);
        }
        ir = irP;
        rawGain = g;
        rawDecay = d;
        reverbNoise = noise;
        if (!reverbType.equals("none")) addModule("reverb", new ReverbParams(ir, rawGain, rawDecay));
    }

    /** Holds the reverb's trainable parameters, so they are named {@code reverb.*}. */
    private static final class ReverbParams extends Module {
        ReverbParams(Tensor ir, Tensor rawGain, Tensor rawDecay) {
            if (ir != null) addParameter("ir", ir);
            if (rawGain != null) addParameter("raw_gain", rawGain);
            if (rawDecay != null) addParameter("raw_decay", rawDecay);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Decoder decoder() {
        return decoder;
    }

    /** Scales f0 in Hz to the decoder's input: MIDI / 127 ({@code [B, F] -> [B, F, 1]}). */
    public static Tensor scaleF0(Tensor f0Hz) {
        int[] s = f0Hz.shape();
        return Conversions.hzToMidi(f0Hz).div(127f).reshape(s[0], s[1], 1);
    }

    /** Scales loudness in dB to the decoder's input: dB / 80 + 1 ({@code [B, F] -> [B, F, 1]}). */
    public static Tensor scaleLoudness(Tensor loudnessDb) {
        int[] s = loudnessDb.shape();
        return loudnessDb.div(Conversions.DB_RANGE).add(1f).reshape(s[0], s[1], 1);
    }

    /**
     * Runs the model.
     *
     * @param f0Hz       {@code [B, F]} fundamental in Hz (0 where unvoiced is fine: the decoder sees MIDI 0)
     * @param loudnessDb {@code [B, F]} A-weighted loudness in dB (<= 0)
     * @param reverb     apply the reverb (false: the dry signal, "dereverberation")
     * @param rng        noise source for the filtered noise
     * @return signals of {@code F * hop} samples
     */
    public Output forward(Tensor f0Hz, Tensor loudnessDb, boolean reverb, SplittableRandom rng) {
        int[] s = f0Hz.shape();
        if (s.length != 2 || !java.util.Arrays.equals(s, loudnessDb.shape())) {
            throw new IllegalArgumentException("f0Hz and loudnessDb must both be [B, F], got "
                    + java.util.Arrays.toString(s) + " and " + java.util.Arrays.toString(loudnessDb.shape()));
        }
        int b = s[0], f = s[1], nSamples = f * hop;
        Tensor raw = decoder.forward(scaleF0(f0Hz), scaleLoudness(loudnessDb));
        Tensor rawAmp = raw.slice(2, 0, 1);
        if (amplitudeBias != 0) rawAmp = rawAmp.add(amplitudeBias);
        Tensor amplitude = Conversions.expSigmoid(rawAmp).reshape(b, f);
        Tensor dist = Conversions.expSigmoid(raw.slice(2, 1, 1 + nHarmonics));
        dist = Harmonic.normalize(dist, f0Hz, sampleRate);
        Tensor mags = Conversions.expSigmoid(raw.slice(2, 1 + nHarmonics, 1 + nHarmonics + nBands).add(noiseBias));
        Tensor harmonic = HarmonicSynth.render(f0Hz.reshape(b, f, 1), amplitude.reshape(b, f, 1), dist, nSamples, sampleRate);
        Tensor noise = FilteredNoise.render(mags, nSamples, 0, rng);
        Tensor dry = harmonic.add(noise);
        Tensor audio = reverb ? applyReverb(dry) : dry;
        return new Output(audio, dry, harmonic, noise, amplitude, dist, mags);
    }

    /** Applies the model's reverb (dry + wet) to {@code [B, n]} audio; identity without a reverb. */
    public Tensor applyReverb(Tensor dry) {
        return switch (reverbType) {
            case "learned" -> Reverb.apply(dry, Reverb.maskDry(ir), true);
            case "exp_decay" -> Reverb.apply(dry,
                    ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(rawGain), ExpDecayReverb.decayRate(rawDecay), reverbNoise),
                    true);
            default -> dry;
        };
    }
}
