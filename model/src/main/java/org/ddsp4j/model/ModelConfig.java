package org.ddsp4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.ddsp4j.io.Json;

/**
 * A model and training configuration, parsed and validated once into typed sections ({@link Audio},
 * {@link Decoder}, {@link Harmonic}, {@link Noise}, {@link Reverb}, {@link Loss}, {@link Train},
 * {@link Encoder}). Built-in configurations live in {@code org/ddsp4j/model/configs/NAME.json}
 * ({@link #BUILT_IN}); any file with the same layout loads from a path.
 *
 * <p>A file and a command line ({@code --set section.key=value}, {@link #with}) go through the same
 * parser, so an unknown key, a mistyped value or an invalid choice gets the same message from both,
 * naming the source, the key and what is allowed. Instances are immutable.
 */
public final class ModelConfig {
    /** Names of the configurations shipped as resources. */
    public static final List<String> BUILT_IN = List.of("solo", "tiny", "nsynth", "pytorch-default");

    /**
     * The other sample rates a built-in comes at: {@code NAME-SUFFIX} (e.g. {@code tiny-48k}) is {@code NAME}
     * {@link #atSampleRate scaled} to {@link #hz}.
     */
    public enum Rate {
        K22("22k", 22050), K44("44k", 44100), K48("48k", 48000);

        public final String suffix;
        public final int hz;

        Rate(String suffix, int hz) {
            this.suffix = suffix;
            this.hz = hz;
        }

        /** The name of {@code base} at this rate, e.g. {@code tiny-48k}. */
        public String of(String base) {
            return base + "-" + suffix;
        }
    }

    /** Every built-in at every {@link Rate}: {@code solo-22k}, {@code solo-44k}, ..., {@code pytorch-default-48k}. */
    public static final List<String> BUILT_IN_AT_RATES = BUILT_IN.stream()
            .flatMap(b -> java.util.Arrays.stream(Rate.values()).map(r -> r.of(b))).toList();

    /** Highest frequency the harmonic bank is sized to reach (Hz): the top of hearing, not Nyquist. */
    public static final double AUDIBLE_HZ = 20000;

    /** What the decoder's output stack sees besides the GRU output. */
    public enum OutputInputs { STACKS, RAW, NONE }

    /** How the room is modelled. */
    public enum ReverbType { LEARNED, EXP_DECAY, DOUBLE_SLOPE, NONE }

    /**
     * The loudness the decoder hears: the recording's as measured (magenta/ddsp), or the direct sound's, the
     * measured loudness with the model's own room's tail taken out ({@link org.ddsp4j.dsp.DirectLoudness}): then
     * the room, not the decoder, plays the tails of a reverberant recording, and {@code --no-reverb} removes them.
     */
    public enum DecoderLoudness { MEASURED, DIRECT }

    /** The timbre encoder: none (f0 and loudness only) or magenta/ddsp's MFCC -> GRU z encoder. */
    public enum EncoderType { NONE, MFCC_GRU }

    /** Normalization of the z encoder's MFCCs. */
    public enum EncoderNorm { INSTANCE, LAYER }

    /** Sample rate and frame rate (Hz), training example length and hop (seconds). */
    public record Audio(int sampleRate, int frameRate, double exampleSeconds, double exampleHopSeconds) {
        /** Samples per frame. */
        public int hop() {
            return sampleRate / frameRate;
        }
    }

    /** magenta/ddsp's RnnFcDecoder. */
    public record Decoder(int hidden, int layersPerStack, int gruUnits, OutputInputs outputInputs, float leakySlope,
                          float layerNormEps) {}

    /** Harmonic synthesizer; {@code amplitudeBias} shifts the raw amplitude (0 in magenta/ddsp). */
    public record Harmonic(int nHarmonics, float amplitudeBias) {}

    /** Filtered-noise synthesizer. */
    public record Noise(int nBands, float initialBias) {}

    /**
     * The room: type and IR length in samples. {@code initialGain}: for {@code exp_decay}, the IR's linear gain at
     * step 0 (in (0, 2); 0 = ddsp's initial raw value 2.0, a gain of 1.44: a loud room from the start, which on dry
     * data can smother the harmonic path before it learns; a small one lets the model start dry).
     * {@code initialT60}: for {@code exp_decay}, the reverberation time at step 0 in seconds (0 = ddsp's initial raw
     * decay, about 0.12 s for a one-second IR); below 3.45 IR lengths (the slowest decay the parameterization has).
     * {@code decoderLoudness}: what the decoder is conditioned on ({@link DecoderLoudness}; {@code measured} when absent).
     */
    public record Reverb(ReverbType type, int taps, double initialGain, double initialT60, DecoderLoudness decoderLoudness) {}

    /**
     * Multi-scale spectral loss, and {@code dryWeight} times the dry path's level ({@code spectral.Losses.dryLevel}:
     * a tie-breaker that leaves a reverberant recording's tails to the room; 0, the default, leaves it out).
     */
    public record Loss(List<Integer> fftSizes, double overlap, float magWeight, float logmagWeight, float dryWeight) {
        public int[] fftSizeArray() {
            return fftSizes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Optimizer, schedule and checkpoints. {@code microBatches}: each step's batch is computed in this many equal
     * parts whose gradients are summed (gradient accumulation: the memory of a smaller batch, the update of the
     * whole one, and the same sums as that many data-parallel workers).
     */
    public record Train(float learningRate, int batch, int steps, int decaySteps, float decayRate, float clipNorm,
                        int warmupSteps, int checkpointEvery, int seed, int microBatches) {}

    /** The z encoder (used when {@code type} is {@link EncoderType#MFCC_GRU}). */
    public record Encoder(EncoderType type, int zDims, int mfcc, int gruUnits, int fftSize, int melBins, double loHz,
                          double hiHz, EncoderNorm norm) {}

    private final String source;
    private final Map<String, Object> tree;
    private final String name, description;
    private final Audio audio;
    private final Decoder decoder;
    private final Harmonic harmonic;
    private final Noise noise;
    private final Reverb reverb;
    private final Loss loss;
    private final Train train;
    private final Encoder encoder;
    private final List<String> synths;

    private ModelConfig(Map<String, Object> tree, String source) {
        this.source = source;
        this.tree = tree;
        Reader r = new Reader(tree, source);
        List<String> named = r.synthNames();
        r.rejectUnknown(named); // first: a misspelt key is reported as such, not as the correct one missing
        name = r.string("", "name", null);
        description = r.string("", "description", "");
        audio = new Audio(r.positive("audio", "sample_rate", null), r.positive("audio", "frame_rate", null),
                r.positiveDouble("audio", "example_seconds", null), r.positiveDouble("audio", "example_hop_seconds", null));
        decoder = new Decoder(r.positive("decoder", "hidden", null), r.nonNegative("decoder", "layers_per_stack", null),
                r.positive("decoder", "gru_units", null), r.choice("decoder", "output_inputs", OutputInputs.class, null),
                (float) r.number("decoder", "leaky_slope", null), (float) r.positiveDouble("decoder", "layer_norm_eps", null));
        harmonic = new Harmonic(r.positive("harmonic", "n_harmonics", null), (float) r.number("harmonic", "amplitude_bias", 0.0));
        noise = new Noise(r.integer("noise", "n_bands", null), (float) r.number("noise", "initial_bias", null));
        reverb = new Reverb(r.choice("reverb", "type", ReverbType.class, null), r.nonNegative("reverb", "taps", null),
                r.number("reverb", "initial_gain", 0.0), r.number("reverb", "initial_t60", 0.0),
                r.choice("reverb", "decoder_loudness", DecoderLoudness.class, "measured"));
        loss = new Loss(r.positiveList("loss", "fft_sizes"), r.number("loss", "overlap", null),
                (float) r.number("loss", "mag_weight", null), (float) r.number("loss", "logmag_weight", null),
                (float) r.number("loss", "dry_weight", 0.0));
        train = new Train((float) r.positiveDouble("train", "learning_rate", null), r.positive("train", "batch", null),
                r.nonNegative("train", "steps", null), r.positive("train", "decay_steps", null),
                (float) r.positiveDouble("train", "decay_rate", null), (float) r.number("train", "clip_norm", null),
                r.nonNegative("train", "warmup_steps", 0.0), r.positive("train", "checkpoint_every", null),
                r.integer("train", "seed", null), r.positive("train", "micro_batches", 1.0));
        EncoderType et = r.choice("encoder", "type", EncoderType.class, null);
        // Only the NSynth model has an encoder; the other configurations name its type alone.
        encoder = new Encoder(et, r.positive("encoder", "z_dims", 16.0), r.positive("encoder", "mfcc", 30.0),
                r.positive("encoder", "gru_units", 512.0), r.positive("encoder", "fft_size", 1024.0),
                r.positive("encoder", "mel_bins", 128.0), r.number("encoder", "lo_hz", 20.0), r.number("encoder", "hi_hz", 8000.0),
                r.choice("encoder", "norm", EncoderNorm.class, "instance"));
        synths = named != null ? named : noise.nBands > 0 ? List.of("harmonic", "noise") : List.of("harmonic");
        validate();
    }

    private void validate() {
        String where = "configuration " + source + ": ";
        if (audio.sampleRate % audio.frameRate != 0) {
            throw new IllegalArgumentException(where + "audio.frame_rate " + audio.frameRate + " must divide audio.sample_rate "
                    + audio.sampleRate + " (whole samples per frame)");
        }
        if (noise.nBands != 0 && (noise.nBands < 2 || noise.nBands - 1 > hop())) {
            throw new IllegalArgumentException(where + "noise.n_bands " + noise.nBands + " must be 0 (no noise) or 2 .. hop + 1 = "
                    + (hop() + 1) + " (the noise filter reaches n_bands - 1 samples into the previous frame)");
        }
        if (!(reverb.initialGain >= 0 && reverb.initialGain < 2)) {
            throw new IllegalArgumentException(where + "reverb.initial_gain must be in [0, 2) (0: ddsp's initial value), is " + reverb.initialGain);
        }
        double longestT60 = org.ddsp4j.dsp.ExpDecayReverb.longestT60(reverb.taps, audio.sampleRate);
        if (!(reverb.initialT60 == 0 || reverb.initialT60 > 0 && reverb.initialT60 < longestT60)) {
            throw new IllegalArgumentException(where + "reverb.initial_t60 must be 0 (ddsp's initial decay) or in (0, "
                    + String.format(java.util.Locale.ROOT, "%.2f", longestT60) + ") s for reverb.taps " + reverb.taps
                    + " (the decay rate is at least 2 nepers per IR length), is " + reverb.initialT60);
        }
        if (reverb.type == ReverbType.NONE && reverb.decoderLoudness == DecoderLoudness.DIRECT) {
            throw new IllegalArgumentException(where + "reverb.decoder_loudness direct takes the room's tail out of the loudness, "
                    + "but reverb.type is none: use decoder_loudness measured, or a room (exp_decay, double_slope or learned)");
        }
        if (reverb.type != ReverbType.NONE && reverb.taps < 2) {
            throw new IllegalArgumentException(where + "reverb.taps must be >= 2 with reverb.type " + lower(reverb.type) + ", is " + reverb.taps);
        }
        if (reverb.taps > 10 * audio.sampleRate) {
            throw new IllegalArgumentException(where + "reverb.taps " + reverb.taps + " is more than 10 s of audio ("
                    + 10 * audio.sampleRate + " samples); rooms longer than that are not supported");
        }
        if (!(loss.overlap >= 0 && loss.overlap < 1)) {
            throw new IllegalArgumentException(where + "loss.overlap must be in [0, 1), is " + loss.overlap);
        }
        if (encoder.type == EncoderType.MFCC_GRU) {
            if (encoder.mfcc > encoder.melBins) {
                throw new IllegalArgumentException(where + "encoder.mfcc " + encoder.mfcc + " must be <= encoder.mel_bins " + encoder.melBins);
            }
            if (!(encoder.loHz >= 0 && encoder.loHz < Math.min(encoder.hiHz, audio.sampleRate / 2.0))) {
                throw new IllegalArgumentException(where + "encoder.lo_hz " + encoder.loHz + " must be in [0, min(hi_hz, Nyquist))");
            }
        }
        long params = (long) decoder.gruUnits * decoder.gruUnits * 3 + (long) decoder.hidden * decoder.hidden * 3 * Math.max(1, decoder.layersPerStack);
        if (params > 500_000_000L) {
            throw new IllegalArgumentException(where + "decoder.hidden " + decoder.hidden + " / gru_units " + decoder.gruUnits
                    + " make a decoder of about " + params / 1_000_000 + " M parameters; keep it under 500 M");
        }
    }

    // ---------------------------------------------------------------------------- loading

    /** Parses a configuration from JSON text; {@code source} names it in error messages. */
    public static ModelConfig parse(String json, String source) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        return new ModelConfig(m, source);
    }

    /** A built-in configuration by name (see {@link #BUILT_IN} and {@link #BUILT_IN_AT_RATES}). */
    public static ModelConfig builtIn(String name) {
        for (Rate r : Rate.values()) {
            String base = name.endsWith("-" + r.suffix) ? name.substring(0, name.length() - r.suffix.length() - 1) : null;
            if (base != null && BUILT_IN.contains(base)) return builtIn(base).atSampleRate(r.hz);
        }
        try (InputStream in = ModelConfig.class.getResourceAsStream("configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown configuration '" + name + "': built-in ones are " + BUILT_IN
                        + ", each also at " + java.util.Arrays.stream(Rate.values()).map(r -> r.hz + " Hz (NAME-" + r.suffix + ")").toList()
                        + ", or give a path to a .json file");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in configuration " + name, e);
        }
    }

    /** A built-in name, or else a path to a JSON file. */
    public static ModelConfig load(String nameOrPath) throws IOException {
        if (BUILT_IN.contains(nameOrPath) || BUILT_IN_AT_RATES.contains(nameOrPath)) return builtIn(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return parse(Files.readString(p), p.toString());
        return builtIn(nameOrPath); // throws with the list of names
    }

    // ---------------------------------------------------------------------------- sample rates

    /**
     * This configuration at another sample rate, scaled so that it models the same sound:
     * <ul>
     *   <li>frame rate: the one nearest this configuration's that divides {@code sampleRate} (a frame of whole
     *       samples; ties to the higher rate), so a frame lasts about as long: 250 frames/s at 16 and 48 kHz,
     *       245 at 22.05 kHz (90 samples), 252 at 44.1 kHz (175 samples); 100 frames/s divides all four;</li>
     *   <li>loss and encoder FFT sizes times the power of two nearest (on a log scale) to the rate ratio: each scale
     *       spans the same time within a factor of sqrt 2 (the FFTs take powers of two);</li>
     *   <li>reverb taps: the same seconds;</li>
     *   <li>noise bands: the same width in Hz, at most hop + 1 (the noise filter's limit);</li>
     *   <li>harmonics: enough that the lowest f0 whose harmonics reached min(Nyquist, {@link #AUDIBLE_HZ}) here
     *       reaches it there: 60 harmonics at 16 kHz (8 kHz from 133 Hz) become 150 at
     *       44.1 and 48 kHz (20 kHz from 133 Hz), 83 at 22.05 kHz.</li>
     * </ul>
     * Everything else (decoder, optimizer, example length in seconds) is kept; the name gets the rate's suffix
     * ({@link Rate}) when there is one. The same rate returns this configuration.
     */
    @SuppressWarnings("unchecked")
    public ModelConfig atSampleRate(int sampleRate) {
        if (sampleRate == audio.sampleRate) return this;
        if (sampleRate < 4000 || sampleRate > 384000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 4000 .. 384000");
        }
        double ratio = (double) sampleRate / audio.sampleRate;
        int frameRate = nearestDivisor(sampleRate, audio.frameRate);
        int hop = sampleRate / frameRate;
        double fftFactor = Math.pow(2, Math.round(Math.log(ratio) / Math.log(2)));   // the nearest power of two
        Map<String, Object> t = deepCopy(tree);
        put(t, "audio.sample_rate", (double) sampleRate);
        put(t, "audio.frame_rate", (double) frameRate);
        List<Object> ffts = new ArrayList<>();
        for (int n : loss.fftSizes) ffts.add((double) Math.max(2, (int) Math.round(n * fftFactor)));
        put(t, "loss.fft_sizes", ffts);
        if (reverb.taps > 0) put(t, "reverb.taps", (double) Math.round(reverb.taps * ratio));
        if (noise.nBands > 0) put(t, "noise.n_bands", (double) Math.min(hop + 1, 1 + Math.round((noise.nBands - 1) * ratio)));
        double oldTop = Math.min(audio.sampleRate / 2.0, AUDIBLE_HZ), newTop = Math.min(sampleRate / 2.0, AUDIBLE_HZ);
        put(t, "harmonic.n_harmonics", Math.ceil(harmonic.nHarmonics * newTop / oldTop - 1e-9));
        if (encoder.type == EncoderType.MFCC_GRU) {
            Map<String, Object> enc = (Map<String, Object>) t.get("encoder");
            enc.put("fft_size", (double) Math.max(2, (int) Math.round(encoder.fftSize * fftFactor)));
        }
        String suffix = java.util.Arrays.stream(Rate.values()).filter(r -> r.hz == sampleRate).map(r -> r.suffix)
                .findFirst().orElse(sampleRate + "hz");
        String base = name;
        for (Rate r : Rate.values()) if (base.endsWith("-" + r.suffix)) base = base.substring(0, base.length() - r.suffix.length() - 1);
        t.put("name", base + "-" + suffix);
        t.put("description", description + " (scaled to " + sampleRate + " Hz: ModelConfig.atSampleRate)");
        return new ModelConfig(t, source + " at " + sampleRate + " Hz");
    }

    /** The divisor of {@code n} nearest {@code target}; ties go to the larger. */
    static int nearestDivisor(int n, int target) {
        for (int d = 0; ; d++) {
            if (target + d <= n && n % (target + d) == 0) return target + d;
            if (target - d >= 1 && n % (target - d) == 0) return target - d;
        }
    }

    // ---------------------------------------------------------------------------- overrides

    /** This configuration with overrides {@code section.key=value} applied (a new instance). */
    public ModelConfig with(List<String> assignments) {
        if (assignments.isEmpty()) return this;
        Map<String, Object> t = deepCopy(tree);
        StringBuilder src = new StringBuilder(source).append(" with");
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("override '" + a + "' must look like section.key=value, e.g. decoder.gru_units=256");
            String path = a.substring(0, eq).trim(), text = a.substring(eq + 1).trim();
            put(t, path, literal(text));
            src.append(" --set ").append(path).append('=').append(text);
        }
        return new ModelConfig(t, src.toString());
    }

    /** {@link #with} for one value. */
    public ModelConfig with(String path, String value) {
        return with(List.of(path + "=" + value));
    }

    /** {@link #with}; kept for callers that read {@code setAll}. */
    public ModelConfig setAll(List<String> assignments) {
        return with(assignments);
    }

    /** {@link #with(String, String)}. */
    public ModelConfig set(String path, String value) {
        return with(path, value);
    }

    @SuppressWarnings("unchecked")
    private void put(Map<String, Object> t, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = t;
        for (int i = 0; i < parts.length - 1; i++) {
            Object o = m.get(parts[i]);
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("configuration " + source + ": unknown key '" + path + "': '" + parts[i]
                        + "' is not a section; sections are " + Reader.SECTIONS.keySet().stream().filter(s -> !s.isEmpty()).toList());
            }
            m = (Map<String, Object>) o;
        }
        if (m.get(parts[parts.length - 1]) instanceof Map<?, ?> sub) {
            throw new IllegalArgumentException("configuration " + source + ": '" + path + "' is a section; set one of its keys " + sub.keySet());
        }
        m.put(parts[parts.length - 1], value);
    }

    /** Command-line text as the JSON value it reads as: number, boolean, list of numbers, else string. */
    private static Object literal(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) return Boolean.parseBoolean(t);
        if (t.startsWith("[") || t.contains(",")) {
            List<Object> out = new ArrayList<>();
            for (String s : t.replace("[", "").replace("]", "").split(",")) if (!s.isBlank()) out.add(literal(s));
            return out;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return t;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> mm) v = deepCopy((Map<String, Object>) mm);
            else if (v instanceof List<?> l) v = new ArrayList<>(l);
            c.put(e.getKey(), v);
        }
        return c;
    }

    /** {@link #inARoom}'s weight of the dry path's level: 0.3 dried reverberant violin recordings; 1 gave the room the notes too. */
    public static final double ROOM_DRY_WEIGHT = 0.3;
    /**
     * {@link #inARoom}'s initial gain of the room: loud (about -3 dB of energy at a T60 of 1.5 s), so that the room
     * holds the tails before the decoder learns to play them; training brings it down to the recordings' (0.01, the
     * dry default, left the room 6 dB too quiet).
     */
    public static final double ROOM_INITIAL_GAIN = 0.03;

    /**
     * The settings for recordings made in a room with about {@code t60} seconds of reverberation, to learn the room
     * apart from the instrument: an exponentially decaying room (a free IR takes over the instrument) that starts with
     * that decay and loud ({@code reverb.initial_t60}, {@link #ROOM_INITIAL_GAIN}), a decoder that hears the direct
     * sound's loudness ({@code reverb.decoder_loudness direct}) and a dry path kept as quiet as the reconstruction allows
     * ({@code loss.dry_weight}); {@code --no-reverb} then dries such recordings (docs/results/quality.md).
     */
    public static List<String> inARoom(double t60) {
        if (!(t60 > 0 && Double.isFinite(t60))) throw new IllegalArgumentException("a room's T60 must be a time in seconds > 0, is " + t60);
        return List.of("reverb.type=exp_decay", "reverb.initial_t60=" + t60, "reverb.initial_gain=" + ROOM_INITIAL_GAIN,
                "reverb.decoder_loudness=direct", "loss.dry_weight=" + ROOM_DRY_WEIGHT);
    }

    // ---------------------------------------------------------------------------- resume

    /** Sections a resumed training may change: they shape the optimization, not the model. */
    public static final Set<String> RESUMABLE_SECTIONS = Set.of("train", "loss");

    /**
     * The keys ({@code section.key}) whose values differ between this configuration and {@code other},
     * in file order.
     */
    public List<String> differences(ModelConfig other) {
        List<String> out = new ArrayList<>();
        diff("", tree, other.tree, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void diff(String prefix, Map<String, Object> a, Map<String, Object> b, List<String> out) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            Object x = a.get(k), y = b.get(k);
            String path = prefix.isEmpty() ? k : prefix + "." + k;
            if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
                diff(path, (Map<String, Object>) mx, (Map<String, Object>) my, out);
            } else if (x == null || !x.equals(y)) {
                out.add(path);
            }
        }
    }

    /**
     * The configuration a resumed training continues with: {@code requested}'s optimization settings
     * (sections {@link #RESUMABLE_SECTIONS}) on this (the checkpoint's) architecture.
     *
     * @throws IllegalArgumentException naming every key that would change the architecture
     */
    public ModelConfig resumedWith(ModelConfig requested) {
        List<String> refused = new ArrayList<>();
        for (String k : differences(requested)) {
            String section = k.contains(".") ? k.substring(0, k.indexOf('.')) : "";
            if (!RESUMABLE_SECTIONS.contains(section) && !k.equals("description")) refused.add(k);
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("cannot resume with " + refused + " changed: they change the model's architecture "
                    + "(only " + RESUMABLE_SECTIONS.stream().sorted().map(s -> s + ".*").toList()
                    + " may change on --resume); train a new model in another --model directory instead");
        }
        return new ModelConfig(deepCopy(requested.tree), requested.source);
    }

    // ---------------------------------------------------------------------------- accessors

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Audio audio() {
        return audio;
    }

    public Decoder decoder() {
        return decoder;
    }

    public Harmonic harmonic() {
        return harmonic;
    }

    public Noise noise() {
        return noise;
    }

    public Reverb reverb() {
        return reverb;
    }

    public Loss loss() {
        return loss;
    }

    public Train train() {
        return train;
    }

    public Encoder encoder() {
        return encoder;
    }

    /**
     * The synthesizers of the model, in the order they read the decoder's outputs: the configuration's
     * {@code "synths"} list, or by default {@code harmonic} and (with {@code noise.n_bands > 0}) {@code noise}.
     * Each is made by the {@link org.ddsp4j.processors.SynthesizerProvider} of that name from {@link #section}.
     */
    public List<String> synths() {
        return synths;
    }

    /** A section of the configuration as JSON values (a copy; empty when absent). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        return tree.get(name) instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    /** Where this configuration came from (a name, a file, plus overrides), for messages. */
    public String source() {
        return source;
    }

    /** Samples per frame: {@code sample_rate / frame_rate}. */
    public int hop() {
        return audio.hop();
    }

    public int sampleRate() {
        return audio.sampleRate;
    }

    public int frameRate() {
        return audio.frameRate;
    }

    /** Frames per training example. */
    public int exampleFrames() {
        return (int) Math.round(audio.exampleSeconds * audio.frameRate);
    }

    /** The configuration as pretty JSON (what {@code config.json} in a model directory holds). */
    public String toJson() {
        return Json.write(tree, true);
    }

    /** The lower-case name an enum value has in a file ({@code EXP_DECAY -> exp_decay}). */
    public static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.tree.equals(tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return "ModelConfig(" + name + " from " + source + ")";
    }

    /**
     * Reads typed values out of the JSON tree, remembering which keys it consumed, so that anything
     * left over is an unknown key. Every message names the source and the key.
     */
    private static final class Reader {
        /** The keys each section may hold (the schema), for unknown-key messages. */
        static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

        static {
            SECTIONS.put("", List.of("name", "description", "synths", "audio", "decoder", "harmonic", "noise", "reverb", "loss", "train", "encoder"));
            SECTIONS.put("audio", List.of("sample_rate", "frame_rate", "example_seconds", "example_hop_seconds"));
            SECTIONS.put("decoder", List.of("hidden", "layers_per_stack", "gru_units", "output_inputs", "leaky_slope", "layer_norm_eps"));
            SECTIONS.put("harmonic", List.of("n_harmonics", "amplitude_bias"));
            SECTIONS.put("noise", List.of("n_bands", "initial_bias"));
            SECTIONS.put("reverb", List.of("type", "taps", "initial_gain", "initial_t60", "decoder_loudness"));
            SECTIONS.put("loss", List.of("fft_sizes", "overlap", "mag_weight", "logmag_weight", "dry_weight"));
            SECTIONS.put("train", List.of("learning_rate", "batch", "steps", "decay_steps", "decay_rate", "clip_norm",
                    "warmup_steps", "checkpoint_every", "seed", "micro_batches"));
            SECTIONS.put("encoder", List.of("type", "z_dims", "mfcc", "gru_units", "fft_size", "mel_bins", "lo_hz", "hi_hz", "norm"));
        }

        private final Map<String, Object> root;
        private final String source;

        Reader(Map<String, Object> root, String source) {
            this.root = root;
            this.source = source;
        }

        private String where(String section, String key) {
            return "configuration " + source + ": " + (section.isEmpty() ? key : section + "." + key);
        }

        private Object value(String section, String key, Object fallback) {
            Object s = section.isEmpty() ? root : root.get(section);
            if (s == null) {
                if (fallback != null) return fallback;
                throw new IllegalArgumentException("configuration " + source + ": section '" + section + "' is missing");
            }
            if (!(s instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("configuration " + source + ": '" + section + "' must be a section {...}, is " + s);
            }
            Object v = m.get(key);
            if (v == null) {
                if (fallback != null) return fallback;
                throw new IllegalArgumentException(where(section, key) + " is missing");
            }
            return v;
        }

        double number(String section, String key, Double fallback) {
            Object v = value(section, key, fallback);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(where(section, key) + " must be a number, is " + show(v));
            }
            return n.doubleValue();
        }

        double positiveDouble(String section, String key, Double fallback) {
            double d = number(section, key, fallback);
            if (!(d > 0)) throw new IllegalArgumentException(where(section, key) + " must be > 0, is " + d);
            return d;
        }

        int integer(String section, String key, Double fallback) {
            double d = number(section, key, fallback);
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where(section, key) + " must be an integer, is " + show(value(section, key, fallback)));
            }
            return (int) d;
        }

        int positive(String section, String key, Double fallback) {
            int v = integer(section, key, fallback);
            if (v < 1) throw new IllegalArgumentException(where(section, key) + " must be >= 1, is " + v);
            return v;
        }

        int nonNegative(String section, String key, Double fallback) {
            int v = integer(section, key, fallback);
            if (v < 0) throw new IllegalArgumentException(where(section, key) + " must be >= 0, is " + v);
            return v;
        }

        String string(String section, String key, String fallback) {
            Object v = value(section, key, fallback);
            if (!(v instanceof String s)) throw new IllegalArgumentException(where(section, key) + " must be a string, is " + show(v));
            return s;
        }

        <E extends Enum<E>> E choice(String section, String key, Class<E> type, String fallback) {
            Object v = value(section, key, fallback);
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(lower(e));
                if (v instanceof String s && lower(e).equals(s)) return e;
            }
            throw new IllegalArgumentException(where(section, key) + " must be one of " + allowed + ", is " + show(v));
        }

        List<Integer> positiveList(String section, String key) {
            Object v = value(section, key, null);
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw new IllegalArgumentException(where(section, key) + " must be a non-empty list of integers, is " + show(v));
            }
            List<Integer> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 2
                        || n.doubleValue() > (1 << 20)) {
                    throw new IllegalArgumentException(where(section, key) + " must list integers in [2, 2^20], has " + show(o));
                }
                out.add(n.intValue());
            }
            return List.copyOf(out);
        }

        /** The {@code "synths"} list, each name checked against the providers; null when the key is absent. */
        List<String> synthNames() {
            Object v = root.get("synths");
            if (v == null) return null;
            if (!(v instanceof List<?> l) || l.isEmpty() || !l.stream().allMatch(x -> x instanceof String)) {
                throw new IllegalArgumentException("configuration " + source + ": synths must be a non-empty list of synthesizer names, "
                        + "e.g. [\"harmonic\", \"noise\"], is " + show(v));
            }
            List<String> names = new ArrayList<>();
            for (Object o : l) {
                String n = (String) o;
                org.ddsp4j.processors.SynthesizerProvider.named(n, source);
                if (names.contains(n)) throw new IllegalArgumentException("configuration " + source + ": synths names " + n + " twice");
                names.add(n);
            }
            return List.copyOf(names);
        }

        /** Fails on the first key the schema (with the named synthesizers' sections) does not know, listing the known ones. */
        void rejectUnknown(List<String> synthNames) {
            Map<String, List<String>> schema = new LinkedHashMap<>(SECTIONS);
            if (synthNames != null) {
                List<String> top = new ArrayList<>(SECTIONS.get(""));
                for (String n : synthNames) {
                    if (!schema.containsKey(n)) {
                        schema.put(n, org.ddsp4j.processors.SynthesizerProvider.named(n, source).keys());
                        top.add(n);
                    }
                }
                schema.put("", top);
            }
            for (var sec : schema.entrySet()) {
                Object s = sec.getKey().isEmpty() ? root : root.get(sec.getKey());
                if (!(s instanceof Map<?, ?> m)) continue;
                for (Object k : m.keySet()) {
                    if (!sec.getValue().contains(String.valueOf(k))) {
                        String path = sec.getKey().isEmpty() ? String.valueOf(k) : sec.getKey() + "." + k;
                        throw new IllegalArgumentException("configuration " + source + ": unknown key '" + path + "'; "
                                + (sec.getKey().isEmpty() ? "the top level holds " : "section " + sec.getKey() + " holds ")
                                + sec.getValue());
                    }
                }
            }
        }

        private static String show(Object v) {
            return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
        }
    }
}
