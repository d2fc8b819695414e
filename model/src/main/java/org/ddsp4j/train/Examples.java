package org.ddsp4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.data.DdspDataset;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.model.ModelConfig;

/**
 * Training examples in memory: audio {@code [F * hop]} with f0 (Hz), f0 confidence and loudness (dB)
 * at {@code F} frames, all of one length. Built either from a prepared TFRecord dataset
 * ({@code ./ddsp prepare}) or straight from a folder of recordings, computing the features in-process
 * (the same {@link AudioFeatures} code as prepare).
 */
public final class Examples {
    /** One example: {@code audio [nFrames * hop]}, the rest {@code [nFrames]}. */

    /** File extensions read as recordings. */
    public static final List<String> AUDIO_EXTENSIONS = List.of("wav", "flac", "mp3");

    private Examples() {}

    /**
     * Loads {@code dir}: a prepared dataset (its {@code split} shards) if it holds TFRecord files,
     * otherwise every recording in it (recursively), cut into examples.
     */
    public static List<DdspExample> load(Path dir, String split, ModelConfig cfg) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("data directory " + dir + " does not exist");
        if (!DdspDataset.shards(dir, split).isEmpty()) return fromDataset(dir, split, cfg);
        if (!split.equals(DdspDataset.TRAIN)) return List.of();
        return fromAudioFiles(audioFiles(dir), cfg);
    }

    /**
     * Refuses a dataset prepared at another sample or frame rate than the model's (its {@code stats.json}
     * says which; datasets without one, or from before the rates were recorded, pass).
     */
    static void checkRates(Path dir, ModelConfig cfg) throws IOException {
        Path f = dir.resolve(org.ddsp4j.data.DatasetStats.FILE);
        if (!Files.isRegularFile(f)) return;
        org.ddsp4j.data.DatasetStats s = org.ddsp4j.data.DatasetStats.read(f);
        if ((s.sampleRate() > 0 && s.sampleRate() != cfg.sampleRate()) || (s.frameRate() > 0 && s.frameRate() != cfg.frameRate())) {
            throw new IllegalArgumentException("dataset " + dir + " was prepared at " + s.sampleRate() + " Hz, " + s.frameRate()
                    + " frames/s, but the model (" + cfg.name() + ") runs at " + cfg.sampleRate() + " Hz, " + cfg.frameRate()
                    + " frames/s: prepare it again with --sample-rate " + cfg.sampleRate() + " --frame-rate " + cfg.frameRate()
                    + ", or choose a configuration at the dataset's rates");
        }
    }

    /** Recordings under {@code dir}, sorted by path. */
    public static List<Path> audioFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return dot > 0 && AUDIO_EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException(dir + " holds neither TFRecord shards nor recordings (" + AUDIO_EXTENSIONS + ")");
            }
            return files;
        }
    }

    /** Examples from a prepared dataset; frames beyond {@code nSamples / hop} are dropped. */
    public static List<DdspExample> fromDataset(Path dir, String split, ModelConfig cfg) throws IOException {
        checkRates(dir, cfg);
        int hop = cfg.hop();
        List<DdspExample> out = new ArrayList<>();
        // One record at a time, its audio kept as parsed when it is already of whole frames: the examples are in memory
        // once, not twice (a 48 kHz dataset of 14 minutes is 0.5 GB).
        for (DdspExample e : DdspDataset.open(dir, split)) {
            int frames = e.nSamples() / hop;
            if (frames > e.nFrames()) {
                throw new IOException("dataset " + dir + ": example with " + e.nSamples() + " samples has only " + e.nFrames()
                        + " frames; at hop " + hop + " (the model's sample_rate / frame_rate) it needs " + frames
                        + ": prepare the data at the model's frame rate");
            }
            float[] audio = e.audio().length == frames * hop ? e.audio() : Arrays.copyOf(e.audio(), frames * hop);
            out.add(new DdspExample(audio, Arrays.copyOf(e.f0Hz(), frames), Arrays.copyOf(e.f0Confidence(), frames),
                    Arrays.copyOf(e.loudnessDb(), frames)));
        }
        return out;
    }

    /** Examples from recordings: windows of {@code audio.example_seconds}, hop {@code audio.example_hop_seconds}. */
    public static List<DdspExample> fromAudioFiles(List<Path> files, ModelConfig cfg) throws IOException {
        List<DdspExample> out = new ArrayList<>();
        int sr = cfg.sampleRate(), hop = cfg.hop(), frames = cfg.exampleFrames();
        int hopFrames = Math.max(1, (int) Math.round(cfg.audio().exampleHopSeconds() * cfg.frameRate()));
        for (Path f : files) {
            float[] mono = AudioFile.readMono(f, sr);
            out.addAll(windows(mono, sr, cfg.frameRate(), hop, frames, hopFrames));
        }
        return out;
    }

    /** How many examples {@link #fromAudioFiles} cuts from a recording of {@code nSamples} at the model's rate. */
    static long windowCount(long nSamples, ModelConfig cfg) {
        int frames = cfg.exampleFrames();
        int hopFrames = Math.max(1, (int) Math.round(cfg.audio().exampleHopSeconds() * cfg.frameRate()));
        long total = Math.max(nSamples, (long) frames * cfg.hop()) / cfg.hop();
        return (total - frames) / hopFrames + 1;
    }

    /** Cuts one recording (zero-padded to at least one example) into examples. */
    static List<DdspExample> windows(float[] mono, int sr, int frameRate, int hop, int frames, int hopFrames) {
        int len = frames * hop;
        if (mono.length < len) mono = Arrays.copyOf(mono, len);
        AudioFeatures feat = AudioFeatures.compute(mono, sr, frameRate);
        List<DdspExample> out = new ArrayList<>();
        int total = mono.length / hop;
        for (int s = 0; s + frames <= total; s += hopFrames) {
            out.add(new DdspExample(Arrays.copyOfRange(mono, s * hop, s * hop + len),
                    Arrays.copyOfRange(feat.f0Hz(), s, s + frames), Arrays.copyOfRange(feat.f0Confidence(), s, s + frames),
                    Arrays.copyOfRange(feat.loudnessDb(), s, s + frames)));
        }
        return out;
    }

    /** Features of a whole recording for inference, trimmed to whole frames: {@code nSamples / hop} frames. */
    public static DdspExample wholeFile(float[] mono, ModelConfig cfg) {
        int hop = cfg.hop();
        int frames = Math.max(1, mono.length / hop);
        float[] audio = Arrays.copyOf(mono, frames * hop);
        AudioFeatures feat = AudioFeatures.compute(audio, cfg.sampleRate(), cfg.frameRate());
        return new DdspExample(audio, Arrays.copyOf(feat.f0Hz(), frames), Arrays.copyOf(feat.f0Confidence(), frames),
                Arrays.copyOf(feat.loudnessDb(), frames));
    }
}
