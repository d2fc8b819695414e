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
 * The DDSP autoencoder (magenta/ddsp's solo-instrument model; with {@code encoder.type = mfcc_gru} the
 * NSynth model, whose decoder also takes {@code z [B, F, zDims] = ZEncoder(audio)}):
 * <pre>
 *   f0_scaled = hz_to_midi(f0) / 127        loudness_scaled = loudness_db / 80 + 1
 *   raw [B, F, 1 + K + bands] = Decoder(f0_scaled, loudness_scaled)
 *   amplitude = exp_sigmoid(raw[0] + amplitude_bias)   distribution = normalize(nyquist_mask * exp_sigmoid(raw[1..K]))
 *   noise_mags = exp_sigmoid(raw[K+1..] + initial_bias)
 *   dry = Harmonic(f0, amplitude, distribution) + FilteredNoise(noise_mags)
 *   audio = Reverb(dry)                      (learned IR, exponential-decay noise IR, or none)
 * </pre>
 * Parameters: {@code encoder.*} (NSynth only), {@code decoder.*} and, with a reverb, {@code reverb.ir [1, taps]} (learned) or
 * {@code reverb.raw_gain, reverb.raw_decay [1, 1]} (exp_decay, whose noise is a fixed seeded constant).
 */
public final class Autoencoder extends Module {
    /** Every signal of one forward pass, {@code [B, nSamples]}, and the controls. */
    public record Output(Tensor audio, Tensor dry, Tensor harmonic, Tensor noise,
                         Tensor amplitude, Tensor distribution, Tensor noiseMagnitudes) {}

    private final ModelConfig config;
    private final Decoder decoder;
    private final ZEncoder encoder;
    private final int nHarmonics, nBands, sampleRate, hop;
    private final float noiseBias, amplitudeBias;
    private final String reverbType;
    private final Tensor ir, rawGain, rawDecay, reverbNoise;

    /** A freshly initialized model (seeded by {@code train.seed}). */
    public Autoencoder(ModelConfig config) {
        this.config = config;
        String encoderType = config.getString("encoder.type");
        if (!encoderType.equals("none") && !encoderType.equals("mfcc_gru")) {
            throw new IllegalArgumentException("encoder.type must be none or mfcc_gru (the NSynth z encoder), is '" + encoderType + "'");
        }
        SplittableRandom rng = new SplittableRandom(config.getInt("train.seed"));
        // Seeded apart from the decoder, so adding the encoder leaves the decoder's initialization as it was.
        encoder = encoderType.equals("mfcc_gru")
                ? addModule("encoder", new ZEncoder(config, new SplittableRandom(config.getInt("train.seed") + 104729L))) : null;
        nHarmonics = config.getInt("harmonic.n_harmonics");
        nBands = config.getInt("noise.n_bands");
        noiseBias = config.getFloat("noise.initial_bias");
        // Optional (0 when absent, as in magenta/ddsp): shifts the initial amplitude, exp_sigmoid(0) = 0.41,
        // down towards a real recording's level, so the first steps do not spend themselves on loudness.
        amplitudeBias = (float) config.getDouble("harmonic.amplitude_bias", 0);
        sampleRate = config.sampleRate();
        hop = config.hop();
        decoder = addModule("decoder", new Decoder(config, 1 + nHarmonics + nBands, encoder == null ? 0 : encoder.zDims(), rng));
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

    /** The timbre encoder, or null when {@code encoder.type} is {@code none}. */
    public ZEncoder encoder() {
        return encoder;
    }

    /** Whether {@link #forward(Tensor, Tensor, Tensor, boolean, SplittableRandom)} needs the audio (the z encoder's input). */
    public boolean needsAudio() {
        return encoder != null;
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
        return forward(f0Hz, loudnessDb, null, reverb, rng);
    }

    /**
     * Runs the model with the audio the controls were taken from: the z encoder's input (ignored
     * by a model without an encoder, so callers can always pass it).
     *
     * @param inputAudio {@code [B, F * hop]} the recording, or null for a model without an encoder
     */
    public Output forward(Tensor f0Hz, Tensor loudnessDb, Tensor inputAudio, boolean reverb, SplittableRandom rng) {
        int[] s = f0Hz.shape();
        if (s.length != 2 || !java.util.Arrays.equals(s, loudnessDb.shape())) {
            throw new IllegalArgumentException("f0Hz and loudnessDb must both be [B, F], got "
                    + java.util.Arrays.toString(s) + " and " + java.util.Arrays.toString(loudnessDb.shape()));
        }
        int b = s[0], f = s[1], nSamples = f * hop;
        Tensor z = null;
        if (encoder != null) {
            if (inputAudio == null) {
                throw new IllegalArgumentException("model '" + config.getString("name") + "' has a z encoder (encoder.type "
                        + config.getString("encoder.type") + "): pass the audio [B, " + f * hop + "] to forward");
            }
            z = encoder.forward(inputAudio, f);
        }
        Tensor raw = decoder.forward(scaleF0(f0Hz), scaleLoudness(loudnessDb), z);
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

    /** The reverb type of the configuration: {@code learned}, {@code exp_decay} or {@code none}. */
    public String reverbType() {
        return reverbType;
    }

    /**
     * The reverb's impulse response as {@link #applyReverb} uses it: {@code [taps]} samples at the
     * model's rate, tap 0 zeroed (the dry path is added separately); null with {@code reverb.type none}.
     */
    public float[] impulseResponse() {
        try (org.ddsp4j.tensor.GradMode g = org.ddsp4j.tensor.GradMode.off()) {
            return switch (reverbType) {
                case "learned" -> Reverb.maskDry(ir).data().clone();
                case "exp_decay" -> Reverb.maskDry(ExpDecayReverb.impulseResponse(ExpDecayReverb.gain(rawGain),
                        ExpDecayReverb.decayRate(rawDecay), reverbNoise)).data().clone();
                default -> null;
            };
        }
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
