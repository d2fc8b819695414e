package org.ddsp4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.nn.Module;
import org.ddsp4j.processors.ProcessorGraph;
import org.ddsp4j.dsp.DirectLoudness;
import org.ddsp4j.dsp.ExpDecayReverb;
import org.ddsp4j.processors.ReverbEffect;
import org.ddsp4j.processors.Synthesizer;
import org.ddsp4j.processors.SynthesizerProvider;
import org.ddsp4j.tensor.Tensor;

/**
 * The DDSP autoencoder (magenta/ddsp's solo-instrument model; with {@code encoder.type = mfcc_gru} the
 * NSynth model, whose decoder also takes {@code z [B, F, zDims] = ZEncoder(audio)}):
 * <pre>
 *   f0_scaled = hz_to_midi(f0) / 127        loudness_scaled = loudness_db / 80 + 1
 *   raw [B, F, rawSize] = Decoder(f0_scaled, loudness_scaled[, z])
 *   audio = Reverb(sum of the synthesizers(raw slice, f0))        (a {@link ProcessorGraph})
 * </pre>
 * The synthesis is a {@link ProcessorGraph} assembled from the configuration ({@link #processors}):
 * harmonic, then filtered noise (when {@code noise.n_bands > 0}), then the room (unless
 * {@code reverb.type = none}). Training, offline rendering and streaming ({@link #stream}) all run on
 * it. Parameters: {@code encoder.*} (NSynth only), {@code decoder.*} and, with a room,
 * {@code reverb.ir [1, taps]} (learned) or {@code reverb.raw_gain, reverb.raw_decay [1, 1]} (exp_decay; double_slope adds
 * {@code reverb.raw_late_gain, reverb.raw_late_decay}).
 */
public final class Autoencoder extends Module {
    /** Every signal of one forward pass, {@code [B, nSamples]}, and the controls (null where the model has no such synthesizer). */
    public record Output(Tensor audio, Tensor dry, Tensor harmonic, Tensor noise,
                         Tensor amplitude, Tensor distribution, Tensor noiseMagnitudes) {}

    private final ModelConfig config;
    private final Decoder decoder;
    private final ZEncoder encoder;
    private final ProcessorGraph graph;

    /** A freshly initialized model (seeded by {@code train.seed}). */
    public Autoencoder(ModelConfig config) {
        this.config = config;
        int seed = config.train().seed();
        SplittableRandom rng = new SplittableRandom(seed);
        // Seeded apart from the decoder, so adding the encoder leaves the decoder's initialization as it was.
        encoder = config.encoder().type() == ModelConfig.EncoderType.MFCC_GRU
                ? addModule("encoder", new ZEncoder(config, new SplittableRandom(seed + 104729L))) : null;
        List<Synthesizer> synths = synthesizers(config);
        int raw = 0;
        for (Synthesizer s : synths) raw += s.rawSize();
        decoder = addModule("decoder", new Decoder(config, raw, encoder == null ? 0 : encoder.zDims(), rng));
        ModelConfig.Reverb rc = config.reverb();
        ReverbEffect room = switch (rc.type()) {
            case LEARNED -> new ReverbEffect(ReverbEffect.Type.LEARNED, rc.taps(), rng, 0, 0, Float.NaN);
            case EXP_DECAY, DOUBLE_SLOPE -> new ReverbEffect(rc.type() == ModelConfig.ReverbType.EXP_DECAY ? ReverbEffect.Type.EXP_DECAY
                    : ReverbEffect.Type.DOUBLE_SLOPE, rc.taps(), rng, seed + 7919L, rc.initialGain(),
                    rc.initialT60() > 0 ? ExpDecayReverb.rawDecayFor(rc.initialT60(), rc.taps(), config.sampleRate()) : Float.NaN);
            case NONE -> null;
        };
        if (room != null) addModule("reverb", room);
        graph = new ProcessorGraph(synths, room);
    }

    /**
     * The synthesizers a configuration asks for ({@link ModelConfig#synths}), in the order they read the
     * decoder's outputs, each made by its {@link SynthesizerProvider} from its section. A new synthesizer
     * needs no edit here: its class and provider, and a configuration that names it.
     */
    public static List<Synthesizer> synthesizers(ModelConfig config) {
        List<Synthesizer> s = new ArrayList<>();
        for (String name : config.synths()) {
            s.add(SynthesizerProvider.named(name, config.source()).create(config.section(name), config.source(), config.sampleRate(),
                    config.hop()));
        }
        return s;
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

    /** The synthesis: synthesizers and room. */
    public ProcessorGraph processors() {
        return graph;
    }

    /** Whether rendering needs the input audio (the z encoder's input). */
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

    /** Per-frame {@link #scaleF0(Tensor)}. */
    public static float scaleF0(float f0Hz) {
        return Conversions.hzToMidi(f0Hz) / 127f;
    }

    /** Per-frame {@link #scaleLoudness(Tensor)}. */
    public static float scaleLoudness(float loudnessDb) {
        return loudnessDb / Conversions.DB_RANGE + 1f;
    }

    /** Runs a model without a z encoder; see {@link #forward(Tensor, Tensor, Tensor, boolean, SplittableRandom)}. */
    public Output forward(Tensor f0Hz, Tensor loudnessDb, boolean reverb, SplittableRandom rng) {
        return forward(f0Hz, loudnessDb, null, reverb, rng);
    }

    /**
     * Runs the model.
     *
     * @param f0Hz       {@code [B, F]} fundamental in Hz (0 where unvoiced is fine: the decoder sees MIDI 0)
     * @param loudnessDb {@code [B, F]} A-weighted loudness in dB (<= 0)
     * @param inputAudio {@code [B, F * hop]} the recording the controls describe: the z encoder's input
     *                   (a model without an encoder ignores it, so callers can always pass it)
     * @param reverb     apply the room (false: the dry signal, "dereverberation")
     * @param rng        noise source for the filtered noise
     * @return signals of {@code F * hop} samples (frame k starts at sample k * hop)
     */
    public Output forward(Tensor f0Hz, Tensor loudnessDb, Tensor inputAudio, boolean reverb, SplittableRandom rng) {
        int[] s = f0Hz.shape();
        if (s.length != 2 || !java.util.Arrays.equals(s, loudnessDb.shape())) {
            throw new IllegalArgumentException("f0Hz and loudnessDb must both be [B, F], got "
                    + java.util.Arrays.toString(s) + " and " + java.util.Arrays.toString(loudnessDb.shape()));
        }
        int b = s[0], f = s[1];
        Tensor z = encoder == null ? null : encoder.forward(requireAudio(inputAudio, f), f);
        Tensor raw = decoder.forward(scaleF0(f0Hz), scaleLoudness(decoderLoudness(loudnessDb)), z);
        ProcessorGraph.Output o = graph.render(raw, f0Hz, reverb, rng);
        Tensor hc = o.controls().get("harmonic"), nc = o.controls().get("noise");
        return new Output(o.audio(), o.dry(), o.signals().get("harmonic"), o.signals().get("noise"),
                hc == null ? null : hc.slice(2, 0, 1).reshape(b, f),
                hc == null ? null : hc.slice(2, 1, hc.dim(2)),
                nc);
    }

    /**
     * The loudness the decoder hears ({@link ModelConfig.DecoderLoudness}): {@code loudnessDb} itself, or for
     * {@code direct} each row's direct sound through the room as it is now (a constant: no gradient reaches the room
     * through it), each row from a fresh start, as a stream starts.
     *
     * @param loudnessDb {@code [B, F]} dB
     * @return {@code [B, F]} dB
     */
    public Tensor decoderLoudness(Tensor loudnessDb) {
        DirectLoudness direct = directLoudness();
        if (direct == null) return loudnessDb;
        int b = loudnessDb.dim(0), f = loudnessDb.dim(1);
        float[] in = loudnessDb.data(), out = new float[b * f];
        for (int row = 0; row < b; row++) direct.apply(in, row * f, f, out, row * f);
        return Tensor.of(out, b, f);
    }

    /**
     * A fresh per-frame form of {@link #decoderLoudness(Tensor)} through the room as it is now, or null where the
     * decoder hears the measured loudness.
     */
    public DirectLoudness directLoudness() {
        if (config.reverb().decoderLoudness() != ModelConfig.DecoderLoudness.DIRECT || graph.reverb() == null) return null;
        return DirectLoudness.of(graph.reverb().impulseResponse(), config.hop());
    }

    /**
     * Renders one clip's controls (no gradient): the offline path that {@code resynth}, {@code transfer}
     * and {@code render} play, and that {@link #stream} reproduces sample for sample.
     *
     * @param f0Hz       {@code [F]} Hz
     * @param loudnessDb {@code [F]} dB
     * @param audio      {@code [F * hop]} the recording the controls describe (a z encoder's input), or null
     *                   for a model without one
     * @param reverb     include the room
     * @param seed       noise seed
     * @return {@code [F * hop]} samples at the model's rate
     */
    public float[] render(float[] f0Hz, float[] loudnessDb, float[] audio, boolean reverb, long seed) {
        if (f0Hz.length != loudnessDb.length || f0Hz.length == 0) {
            throw new IllegalArgumentException("render: f0 has " + f0Hz.length + " frames but loudness " + loudnessDb.length
                    + " (both need the same number, at least 1)");
        }
        try (org.ddsp4j.tensor.GradMode g = org.ddsp4j.tensor.GradMode.off()) {
            Tensor f0 = Tensor.of(f0Hz.clone(), 1, f0Hz.length), ld = Tensor.of(loudnessDb.clone(), 1, loudnessDb.length);
            Tensor au = audio == null || encoder == null ? null : Tensor.of(audio.clone(), 1, audio.length);
            return forward(f0, ld, au, reverb, new SplittableRandom(seed)).audio().data();
        }
    }

    /** The z encoder's input, or an error saying what to pass. */
    Tensor requireAudio(Tensor inputAudio, int frames) {
        if (inputAudio == null) {
            throw new IllegalArgumentException("model '" + config.name() + "' has a z encoder (encoder.type mfcc_gru): it needs the "
                    + "recording the controls come from (" + frames * config.hop() + " samples), not only f0 and loudness");
        }
        return inputAudio;
    }

    /** The reverb type of the configuration. */
    public ModelConfig.ReverbType reverbType() {
        return config.reverb().type();
    }

    /**
     * The room's impulse response as applied: {@code [taps]} samples at the model's rate, tap 0 zeroed
     * (the dry path is added separately); null without a room.
     */
    public float[] impulseResponse() {
        return graph.reverb() == null ? null : graph.reverb().impulseResponse();
    }

    /** Applies the model's room (dry + wet) to {@code [B, n]} audio; identity without one. */
    public Tensor applyReverb(Tensor dry) {
        return graph.reverb() == null ? dry : graph.reverb().apply(dry);
    }

    /** A real-time block renderer of this model (see {@link StreamingSynth}). */
    public StreamingSynth stream(boolean reverb, long seed) {
        return new StreamingSynth(this, reverb, seed);
    }
}
