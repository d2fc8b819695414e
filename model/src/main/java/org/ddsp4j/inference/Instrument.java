package org.ddsp4j.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ddsp4j.apps.ControlRendering;
import org.ddsp4j.apps.RoomTransfer;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.MonoSource;
import org.ddsp4j.data.DatasetStats;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.features.ResynthesisMetrics;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.StreamingSynth;

/**
 * A trained model ready to play: the inference API that every command, the demo and library users
 * call. Load one from a model directory or a built-in name ({@link #load}), then resynthesize a
 * recording, transfer its timbre, render controls or MIDI, apply the model's room to other audio, or
 * open a real-time stream. All audio is mono float at {@link #sampleRate()}; nothing here trains.
 *
 * <pre>{@code
 *   Instrument violin = Instrument.load("my-violin-model");
 *   float[] voice = violin.read(Path.of("voice.wav"));
 *   Instrument.Transfer t = violin.transfer(voice, TransferRecipe.defaults());
 *   violin.write(Path.of("out.wav"), t.audio());
 *
 *   // The same from file to file, in memory that does not grow with the length of the recording:
 *   violin.transfer(Path.of("voice.wav"), Path.of("out.wav"), TransferRecipe.defaults(), true);
 * }</pre>
 */
public final class Instrument {
    /**
     * Where built-in instruments are looked up: a folder of model directories named by instrument
     * ({@code violin/}, ...); the launcher points the system property {@code ddsp4j.instruments} at the
     * repository's {@code instruments/}.
     */
    public static final String INSTRUMENTS_PROPERTY = "ddsp4j.instruments";
    /** Noise seed of every offline render (the same audio every time). */
    public static final long SEED = 1;

    private final Autoencoder model;
    private final ModelConfig config;
    private final Path source;
    private final double trainPitchMidi, trainLoudnessDb;

    private Instrument(Autoencoder model, Path source, double trainPitchMidi, double trainLoudnessDb) {
        this.model = model;
        this.config = model.config();
        this.source = source;
        this.trainPitchMidi = trainPitchMidi;
        this.trainLoudnessDb = trainLoudnessDb;
    }

    /**
     * Loads a model directory, or a built-in instrument by name.
     *
     * @param nameOrDirectory a directory written by {@code ./ddsp train}, or the name of a built-in instrument
     */
    public static Instrument load(String nameOrDirectory) throws IOException {
        Path p = Path.of(nameOrDirectory);
        if (Files.isDirectory(p)) return load(p);
        if (Files.exists(p)) {
            throw new IOException("--model " + nameOrDirectory + " is a file, not a model directory; give the folder that "
                    + "./ddsp train wrote (it holds config.json and state.json)");
        }
        Path builtIn = builtInDirectory(nameOrDirectory);
        if (builtIn != null) return load(builtIn);
        List<String> names = builtInNames();
        throw new IOException("--model " + nameOrDirectory + ": no such model directory"
                + (names.isEmpty() ? "" : ", and no built-in instrument of that name (built-in: " + String.join(", ", names) + ")")
                + "; train one with ./ddsp train --data DATA --model " + nameOrDirectory);
    }

    /** Loads a model directory: configuration, latest weights and training-set statistics. */
    public static Instrument load(Path directory) throws IOException {
        ModelDir dir = new ModelDir(directory);
        Autoencoder model = dir.loadModel();
        Path stats = dir.file(ModelDir.STATS);
        double pitch = Double.NaN, loud = Double.NaN;
        if (Files.isRegularFile(stats)) {
            DatasetStats s = DatasetStats.read(stats);
            pitch = s.meanPitchMidi();
            loud = s.meanLoudnessDb();
        }
        return new Instrument(model, directory, pitch, loud);
    }

    /**
     * An instrument from a model in memory (e.g. just trained).
     *
     * @param trainPitchMidi  the training set's mean pitch (NaN: unknown, no automatic octave shift)
     * @param trainLoudnessDb the training set's mean loudness (NaN: unknown)
     */
    public static Instrument of(Autoencoder model, double trainPitchMidi, double trainLoudnessDb) {
        return new Instrument(model, null, trainPitchMidi, trainLoudnessDb);
    }

    /** The built-in instruments present on this machine. */
    public static List<String> builtInNames() {
        String root = System.getProperty(INSTRUMENTS_PROPERTY);
        List<String> out = new ArrayList<>();
        if (root == null || !Files.isDirectory(Path.of(root))) return out;
        try (var s = Files.list(Path.of(root))) {
            for (Path d : s.sorted().toList()) if (Files.isRegularFile(d.resolve(ModelDir.CONFIG))) out.add(d.getFileName().toString());
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static Path builtInDirectory(String name) {
        String root = System.getProperty(INSTRUMENTS_PROPERTY);
        if (root == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) return null;
        Path d = Path.of(root).resolve(name);
        return Files.isRegularFile(d.resolve(ModelDir.CONFIG)) ? d : null;
    }

    public Autoencoder model() {
        return model;
    }

    public ModelConfig config() {
        return config;
    }

    /** The model directory it was loaded from, or null. */
    public Path source() {
        return source;
    }

    /** Output (and expected input) sample rate in Hz. */
    public int sampleRate() {
        return config.sampleRate();
    }

    /** Control frames per second. */
    public int frameRate() {
        return config.frameRate();
    }

    /** Whether the training-set statistics that automatic transfer adjustment needs are known. */
    public boolean hasTrainingStatistics() {
        return Double.isFinite(trainPitchMidi) && Double.isFinite(trainLoudnessDb);
    }

    // ------------------------------------------------------------------------------ audio in and out

    /** Reads a WAV, FLAC or MP3 file as mono at the model's rate. */
    public float[] read(Path file) throws IOException {
        requireNotPipeOrDevice(file);
        float[] x = AudioFile.readMono(file, sampleRate());
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) throw notFinite(file, i, x[i]);
        }
        return x;
    }

    /** A named pipe with no writer would block the open forever, a device never ends: both refused before opening. */
    private static void requireNotPipeOrDevice(Path file) throws IOException {
        if (Files.exists(file) && !Files.isDirectory(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file (a pipe, socket or device); save the audio to a file first");
        }
    }

    private IOException notFinite(Path file, long i, float v) {
        return new IOException(file + ": sample " + i + " (at " + String.format(java.util.Locale.ROOT, "%.3f", i / (double) sampleRate())
                + " s) is " + v + "; the file holds invalid floating-point samples: export it again (e.g. as 16-bit PCM)");
    }

    /**
     * Opens a WAV, FLAC or MP3 file as mono at the model's rate, to be read block by block (see
     * {@link AudioFile#openMono}: a WAV file is read a block at a time, FLAC and MP3 are decoded whole):
     * the samples of {@link #read}, and the same errors, a non-finite sample when it is read.
     */
    public MonoSource open(Path file) throws IOException {
        requireNotPipeOrDevice(file);
        MonoSource in = AudioFile.openMono(file, sampleRate(), readBlockSamples());
        return new MonoSource() {
            @Override public int sampleRate() { return in.sampleRate(); }
            @Override public long length() { return in.length(); }
            @Override public void close() throws IOException { in.close(); }

            @Override
            public void read(long from, float[] dst, int off, int n) throws IOException {
                in.read(from, dst, off, n);
                for (int i = 0; i < n; i++) {
                    if (!Float.isFinite(dst[off + i])) throw notFinite(file, from + i, dst[off + i]);
                }
            }
        };
    }

    /** Writes 16-bit mono WAV at the model's rate, atomically. */
    public void write(Path file, float[] audio) throws IOException {
        AudioFile.writeWav(file, audio, sampleRate(), org.ddsp4j.audio.WavEncoding.PCM_16);
    }

    /**
     * Controls longer than this many seconds are rendered through the streaming path, whose memory does
     * not grow with the length (the offline forward pass holds every layer's activations of the whole
     * clip); both give the same samples (tested to 1e-5 of the peak).
     */
    public static final double STREAMED_ABOVE_SECONDS = 30;

    private double streamedAboveSeconds = STREAMED_ABOVE_SECONDS;

    /** Changes the length above which rendering streams (tests compare the two paths with a short one). */
    public Instrument streamAbove(double seconds) {
        streamedAboveSeconds = seconds;
        return this;
    }

    /** Renders controls (and, for a z encoder, the recording they came from) offline or streamed by length. */
    private float[] play(float[] f0Hz, float[] loudnessDb, Analysis source, boolean reverb) {
        int frames = f0Hz.length;
        requireRoomFor((long) frames * config.hop());
        if (frames <= streamedAboveSeconds * frameRate()) {
            return model.render(f0Hz, loudnessDb, source == null ? null : source.audio(), reverb, SEED);
        }
        float[] z = source == null ? null : latents(source);
        StreamingSynth s = model.stream(reverb, SEED);
        int hop = config.hop(), lat = s.latencySamples(), block = blockFrames;
        float[] out = new float[frames * hop + lat];
        for (int from = 0; from < frames; from += block) {
            s.process(f0Hz, loudnessDb, z, from, Math.min(block, frames - from), out, from * hop);
        }
        s.flush(out, frames * hop);
        return Arrays.copyOfRange(out, lat, lat + frames * hop);
    }

    /**
     * Refuses an output that cannot be held: more samples than a Java array takes, or more than half of
     * the memory Java may use, with what to change.
     */
    private void requireRoomFor(long samples) {
        double seconds = samples / (double) sampleRate();
        if (samples > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the output would be %.0f s (%d samples at %d Hz), "
                    + "more than one render holds (%.1f h); split the input into shorter parts", seconds, samples, sampleRate(),
                    (Integer.MAX_VALUE - 8) / (double) sampleRate() / 3600));
        }
        long bytes = 4 * samples, max = Runtime.getRuntime().maxMemory();
        if (bytes > max / 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the output would be %.0f s of audio (%d MB), "
                    + "more than half of the %d MB Java may use: give Java more (DDSP_JAVA_OPTS=-Xmx%dg) or split the input",
                    seconds, bytes >> 20, max >> 20, Math.max(2, (4 * bytes >> 30) + 1)));
        }
    }

    /** Frames rendered per block by the streaming path; {@code frames * hop} samples are read at once. */
    private int blockFrames = 256;
    private int readBlockSamples = AudioFile.BLOCK_SAMPLES;

    /**
     * Changes the blocks of the streaming path: {@code frames} control frames rendered at once and
     * {@code frames * hop} samples read at once (tests force small ones; the result does not depend on them).
     */
    public Instrument streamBlocks(int frames) {
        if (frames < 1) throw new IllegalArgumentException("block of " + frames + " frames; needs >= 1");
        blockFrames = frames;
        readBlockSamples = frames * config.hop();
        return this;
    }

    private int readBlockSamples() {
        return readBlockSamples;
    }

    /** A recording trimmed to whole frames and its controls (f0, confidence, voicing, loudness) at the model's frame rate. */
    public record Analysis(float[] audio, AudioFeatures controls) {}

    /** Trims {@code audio} to whole frames ({@code max(1, n / hop)}) and extracts its controls. */
    public Analysis analyze(float[] audio) {
        int hop = config.hop(), frames = Math.max(1, audio.length / hop);
        float[] a = Arrays.copyOf(audio, frames * hop);
        AudioFeatures f = AudioFeatures.compute(a, sampleRate(), frameRate());
        return new Analysis(a, f.trim(frames));
    }

    /**
     * The controls of a recording read chunk by chunk ({@link AudioFeatures#compute(MonoSource,
     * org.ddsp4j.features.PitchTracker)}): those of {@code analyze(recording).controls()} with the
     * recording never held whole; only the controls are (13 bytes a frame, 12 MB for an hour at 250 frames/s).
     *
     * @param recording mono at the model's rate, e.g. from {@link #open}
     */
    public AudioFeatures controls(MonoSource recording) throws IOException {
        if (recording.sampleRate() != sampleRate()) {
            throw new IllegalArgumentException("controls: the recording is at " + recording.sampleRate() + " Hz, the model at "
                    + sampleRate() + " Hz; open it with Instrument.open, which resamples");
        }
        int hop = config.hop();
        long frames = Math.max(1, recording.length() / hop);
        // As analyze: trimmed (or zero-padded) to whole frames, one frame dropped at the end.
        AudioFeatures f = AudioFeatures.compute(recording.trimmed(frames * hop),
                org.ddsp4j.features.PitchTracker.builder(sampleRate()).frameRate(frameRate()).build());
        return f.trim((int) frames);
    }

    // ------------------------------------------------------------------------------ rendering

    /** Resynthesis of a recording (with the room, or dry: dereverberation). */
    public float[] resynthesize(float[] audio, boolean reverb) {
        Analysis a = analyze(audio);
        return play(a.controls().f0Hz(), a.controls().loudnessDb(), a, reverb);
    }

    /**
     * Result of {@link #transfer}: the audio, the automatic shifts applied, the source's controls and
     * the controls the instrument played (adjusted f0 and loudness; the source's confidence and voicing).
     */
    public record Transfer(float[] audio, double octaveShiftSemitones, double loudnessShiftDb, AudioFeatures source,
                           AudioFeatures played) {
        /**
         * What the output's pitch is judged against: the pitch played, with the source's confident frames (f0
         * confidence >= 0.85) as the voiced ones.
         */
        public AudioFeatures target() {
            boolean[] confident = new boolean[played.nFrames()];
            for (int i = 0; i < confident.length; i++) confident[i] = played.f0Confidence()[i] >= ResynthesisMetrics.MIN_F0_CONFIDENCE;
            return new AudioFeatures(played.f0Hz(), played.f0Confidence(), confident, played.loudnessDb(), played.frameRate());
        }
    }

    /**
     * Timbre transfer: the source's f0 and loudness, adjusted by {@code recipe} toward the training
     * set ({@link TransferRecipe}), played by this instrument. Without training statistics the
     * automatic part is skipped (see {@link #hasTrainingStatistics}).
     */
    public Transfer transfer(float[] audio, TransferRecipe recipe) {
        return transfer(audio, recipe, true);
    }

    /** {@link #transfer(float[], TransferRecipe)}, with or without the room. */
    public Transfer transfer(float[] audio, TransferRecipe recipe, boolean reverb) {
        Analysis a = analyze(audio);
        TransferRecipe.Adjusted adj = adjust(a.controls(), recipe);
        // A z encoder (NSynth) reads the source audio: its timbre latent comes from the source.
        float[] out = play(adj.f0Hz(), adj.loudnessDb(), a, reverb);
        AudioFeatures src = a.controls();
        AudioFeatures played = new AudioFeatures(adj.f0Hz(), src.f0Confidence(), src.voiced(), adj.loudnessDb(), src.frameRate());
        return new Transfer(out, adj.octaveShiftSemitones(), adj.loudnessShiftDb(), src, played);
    }

    /**
     * How well a transfer kept the melody: the share of the source's confident frames (f0 confidence >= 0.85) whose
     * pitch, tracked in the output, is within 50 cents of the pitch played (the source's after the octave and manual
     * shifts), in [0, 1].
     */
    public double pitchKept(Transfer t) {
        return ResynthesisMetrics.compute(t.target(), AudioFeatures.compute(t.audio(), sampleRate(), frameRate())).rawPitchAccuracy();
    }

    /**
     * The controls {@link #transfer} plays for a recording's controls: {@code recipe} applied with this
     * instrument's training statistics. With an {@link #analyze analysis} kept, a new recipe costs only this and
     * a render ({@link #decompose(Analysis, TransferRecipe.Adjusted, boolean)}), not the pitch tracking again.
     */
    public TransferRecipe.Adjusted adjust(AudioFeatures controls, TransferRecipe recipe) {
        return recipe.apply(controls, trainPitchMidi, trainLoudnessDb);
    }

    /**
     * What {@link #resynthesize(Path, Path, boolean)} and {@link #transfer(Path, Path, TransferRecipe, boolean)}
     * wrote: the file, its length, and the automatic shifts of a transfer (0 for a resynthesis).
     */
    public record Written(Path file, long samples, int sampleRate, double octaveShiftSemitones, double loudnessShiftDb) {
        public double seconds() {
            return samples / (double) sampleRate;
        }
    }

    /**
     * Resynthesis of a recording file into a 16-bit WAV at the model's rate, in memory that does not grow
     * with the length of the recording: it is read and analysed chunk by chunk ({@link #controls}), and
     * the audio rendered by the streaming path block by block straight into the file (atomically: a
     * temporary file renamed at the end). The result is that of
     * {@code write(out, resynthesize(read(in), reverb))}. Recordings up to {@link #STREAMED_ABOVE_SECONDS},
     * and every recording for a model with a z encoder (which reads the whole recording), take that
     * in-memory path.
     */
    public Written resynthesize(Path in, Path out, boolean reverb) throws IOException {
        return playFile(in, out, null, reverb);
    }

    /**
     * Timbre transfer of a recording file into a 16-bit WAV, as {@link #resynthesize(Path, Path, boolean)}:
     * two passes, the first over the recording for its controls (and from them the source's mean pitch
     * and loudness that the recipe needs), the second over the controls to render. The result is that of
     * {@code write(out, transfer(read(in), recipe, reverb).audio())}.
     */
    public Written transfer(Path in, Path out, TransferRecipe recipe, boolean reverb) throws IOException {
        return playFile(in, out, java.util.Objects.requireNonNull(recipe, "recipe"), reverb);
    }

    /** Resynthesis ({@code recipe} null) or transfer of a file into a file. */
    private Written playFile(Path in, Path out, TransferRecipe recipe, boolean reverb) throws IOException {
        try (MonoSource src = open(in)) {
            int hop = config.hop();
            long frames = Math.max(1, src.length() / hop);
            if (model.needsAudio() || frames <= streamedAboveSeconds * frameRate()) {
                float[] audio = src.readAll();
                float[] y;
                double octave = 0, gain = 0;
                if (recipe == null) {
                    y = resynthesize(audio, reverb);
                } else {
                    Transfer t = transfer(audio, recipe, reverb);
                    y = t.audio();
                    octave = t.octaveShiftSemitones();
                    gain = t.loudnessShiftDb();
                }
                write(out, y);
                return new Written(out, y.length, sampleRate(), octave, gain);
            }
            long bytes = 44 + 2 * frames * hop;
            if (bytes > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the output would be %.1f h at %d Hz, "
                        + "over the 4 GiB a WAV file holds (%.1f h); split the input into shorter parts",
                        frames * hop / (double) sampleRate() / 3600, sampleRate(), 0xFFFFFFFFL / 2.0 / sampleRate() / 3600));
            }
            AudioFeatures c = controls(src);
            if (recipe == null) {
                playInto(out, c.f0Hz(), c.loudnessDb(), reverb);
                return new Written(out, frames * hop, sampleRate(), 0, 0);
            }
            TransferRecipe.Adjusted adj = adjust(c, recipe);
            playInto(out, adj.f0Hz(), adj.loudnessDb(), reverb);
            return new Written(out, frames * hop, sampleRate(), adj.octaveShiftSemitones(), adj.loudnessShiftDb());
        }
    }

    /**
     * Renders controls through the streaming path block by block into a 16-bit WAV: the samples of
     * {@link #play}'s streamed branch (the stream's first {@code latency} samples dropped, the last frame
     * flushed), never more than a block in memory.
     */
    private void playInto(Path out, float[] f0Hz, float[] loudnessDb, boolean reverb) throws IOException {
        int frames = f0Hz.length, hop = config.hop(), block = blockFrames;
        long total = (long) frames * hop;
        StreamingSynth s = model.stream(reverb, SEED);
        long lat = s.latencySamples();
        AudioFile.writeWav(out, sampleRate(), total, org.ddsp4j.audio.WavEncoding.PCM_16, sink -> {
            float[] buf = new float[Math.max(block, 1) * hop];
            long pos = 0; // position in the stream of buf[0]
            for (int from = 0; from < frames; from += block) {
                int n = Math.min(block, frames - from);
                s.process(f0Hz, loudnessDb, null, from, n, buf, 0);
                pos = emit(sink, buf, n * hop, pos, lat, total);
            }
            Arrays.fill(buf, 0f);
            s.flush(buf, 0);
            pos = emit(sink, buf, hop, pos, lat, total);
            Arrays.fill(buf, 0f);
            while (pos < lat + total) pos = emit(sink, buf, (int) Math.min(buf.length, lat + total - pos), pos, lat, total);
        });
    }

    /** Writes the part of stream samples {@code [pos, pos + n)} (in {@code buf}) inside {@code [lat, lat + total)}. */
    private static long emit(AudioFile.SampleSink sink, float[] buf, int n, long pos, long lat, long total) throws IOException {
        long a = Math.max(pos, lat), b = Math.min(pos + n, lat + total);
        if (b > a) sink.write(buf, (int) (a - pos), (int) (b - a));
        return pos + n;
    }

    /**
     * Synthesis from controls at any frame rate (a features CSV, a MIDI track), brought to the model's
     * frame rate. A model with a z encoder cannot render from controls alone.
     */
    public float[] render(AudioFeatures controls, boolean reverb) {
        requireNoEncoder("render from controls");
        float[][] c = ControlRendering.toFrameRate(controls, frameRate());
        return play(c[0], c[1], null, reverb);
    }

    /** Synthesis of a monophonic MIDI track. */
    public float[] renderMidi(Path midi, MidiControls.Options options, boolean reverb) throws IOException {
        return render(MidiControls.fromMidi(midi, frameRate(), options), reverb);
    }

    /** Acoustic transfer: the model's room applied to other audio ({@code [n + taps - 1]}: the tail is kept). */
    public float[] applyRoom(float[] audio, boolean wetOnly) {
        return RoomTransfer.apply(model, audio, wetOnly);
    }

    /**
     * A real-time block renderer (one frame of latency; equal to the offline render of the same
     * controls). A model with a z encoder needs the per-frame z ({@link #latents}).
     */
    public StreamingSynth stream(boolean reverb) {
        return model.stream(reverb, SEED);
    }

    /**
     * Live timbre transfer: a {@link LiveEngine} that takes input audio block by block and returns this
     * instrument playing it (causal features, the recipe in causal form, the streaming model), with a fixed
     * latency under 20 ms at 16 kHz. A model with a z encoder cannot play live.
     */
    public LiveEngine live(TransferRecipe recipe, boolean reverb) {
        return new LiveEngine(model, trainPitchMidi, trainLoudnessDb, recipe, reverb, SEED);
    }

    /** The model's decomposition of a recording: its controls, the predicted synthesizer controls, the room, the audio. */
    public org.ddsp4j.apps.Decomposition decompose(Analysis a) {
        return org.ddsp4j.apps.Decomposition.of(model, a.controls().f0Hz(), a.controls().loudnessDb(), a.audio(), SEED);
    }

    /**
     * The model's decomposition of adjusted controls ({@link #adjust}) of a recording, in one forward pass: its
     * {@code audio()} is what {@link #transfer} renders from them (offline path), with the room or dry.
     *
     * @param source the analysed recording the controls came from (a z encoder reads its audio)
     * @param played {@code [frames]} f0 and loudness, as many frames as {@code source}
     */
    public org.ddsp4j.apps.Decomposition decompose(Analysis source, TransferRecipe.Adjusted played, boolean reverb) {
        requireRoomFor((long) played.f0Hz().length * config.hop());
        return org.ddsp4j.apps.Decomposition.of(model, played.f0Hz(), played.loudnessDb(), source.audio(), reverb, SEED);
    }

    /**
     * The paper's resynthesis metrics on held-out data: the eval split of a prepared dataset, or a
     * folder of recordings cut into examples.
     *
     * @param maxExamples at most this many examples (the first ones)
     * @param progress    receives one line per example
     */
    public org.ddsp4j.apps.Evaluation.Summary evaluate(Path data, int maxExamples, java.io.PrintStream progress) throws IOException {
        List<org.ddsp4j.data.DdspExample> clips = org.ddsp4j.apps.Evaluation.loadClips(data, config);
        if (clips.isEmpty()) throw new IllegalArgumentException(data + " holds no examples to evaluate");
        if (clips.size() > maxExamples) clips = clips.subList(0, maxExamples);
        progress.printf("ddsp eval: %d examples from %s%n", clips.size(), data);
        return org.ddsp4j.apps.Evaluation.evaluate(model, clips, progress);
    }

    /** The per-frame timbre latents {@code [frames, zDims]} of a recording (models with a z encoder), or null. */
    public float[] latents(Analysis a) {
        if (!model.needsAudio()) return null;
        try (org.ddsp4j.tensor.GradMode g = org.ddsp4j.tensor.GradMode.off()) {
            return model.encoder().forward(org.ddsp4j.tensor.Tensor.of(a.audio().clone(), 1, a.audio().length),
                    a.controls().nFrames()).data();
        }
    }

    private void requireNoEncoder(String what) {
        if (model.needsAudio()) {
            throw new IllegalArgumentException("model '" + config.name() + "' has a z encoder (encoder.type mfcc_gru), which reads "
                    + "the timbre from a recording: it cannot " + what + " alone; use resynth or transfer with an input recording");
        }
    }
}
