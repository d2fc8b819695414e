package org.ddsp4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.io.AtomicFiles;
import org.ddsp4j.kernel.Parallel;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelConfig;
import org.ddsp4j.model.Synthesis;
import org.ddsp4j.train.DataStats;
import org.ddsp4j.train.Examples;
import org.ddsp4j.train.ModelDir;
import org.ddsp4j.train.Trainer;

/**
 * {@code ./ddsp demo}: trains the tiny model on the bundled violin recordings for a few minutes, then
 * resynthesizes held-out violin, transfers a flute melody to violin, and writes a report with checks.
 */
public final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train a small violin model on the bundled audio (minutes) and render examples";
    }

    @Override
    public String usage() {
        return """
                usage: ./ddsp demo [--output DIR] [--minutes M] [--threads N] [--set KEY=VALUE]

                  --output DIR    where to write (default ./demo-out)
                  --minutes M     training time (default 5)
                  --threads N     worker threads (default 2)
                  --data DIR      the bundled demo data (default: demo/data of this checkout)
                  --set KEY=VALUE override a value of the demo configuration (tiny with 1 s examples)

                Trains the tiny model on 2.7 minutes of violin (FluidR3 soundfont renders bundled in
                demo/data), then writes to DIR: resynthesis of a held-out violin phrase (with and without
                the learned reverb), the bundled flute melody transferred to violin, the inputs for
                comparison, the loss curve and report.md with the numbers.
                """;
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = Args.parse(argv, Set.of(), Set.of("output", "minutes", "threads", "data", "set"));
        Path out = Path.of(a.get("output", "demo-out"));
        double minutes = a.getDouble("minutes", 5);
        Parallel.setThreads(a.getInt("threads", 2));
        Path data = a.has("data") ? Path.of(a.get("data", null)) : findDemoData();
        Path violinDir = data.resolve("violin"), heldout = data.resolve("heldout/violin_phrase_vib1_s14_tail.flac"),
                flute = data.resolve("transfer/flute_phrase_vib1_s2.flac");
        for (Path p : List.of(violinDir, heldout, flute)) {
            if (!Files.exists(p)) throw new IOException("demo data " + p + " is missing: run from a full ddsp4j checkout or pass --data");
        }
        ModelConfig cfg = demoConfig().setAll(a.all("set")).check();
        Files.createDirectories(out);
        ModelDir dir = new ModelDir(out.resolve("model"));
        clear(dir.dir());

        long t0 = System.nanoTime();
        System.out.println("ddsp demo: computing f0 and loudness of the bundled violin (" + violinDir + ") ...");
        List<Examples.Example> train = Examples.fromAudioFiles(Examples.audioFiles(violinDir), cfg);
        List<Examples.Example> eval = Examples.fromAudioFiles(List.of(heldout), cfg);
        double prepSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ddsp demo: %d training examples, %d held-out (%.1f s)%n", train.size(), eval.size(), prepSeconds);

        Trainer trainer = new Trainer(cfg, dir, train, eval, false);
        trainer.writeStats();
        double untrainedEval = trainer.evaluate(eval);
        System.out.printf("ddsp demo: untrained model, held-out loss %.4f; training for %.1f minutes on %d threads ...%n",
                untrainedEval, minutes, Parallel.threads());
        Trainer.Result r = trainer.train(Long.MAX_VALUE / 4, minutes * 60);
        double trainedEval = trainer.evaluate(eval);

        long t1 = System.nanoTime();
        Autoencoder model = dir.loadModel();
        int sr = cfg.sampleRate();
        float[] heldMono = AudioFile.readMono(heldout, sr);
        Examples.Example held = Examples.wholeFile(heldMono, cfg);
        float[] resynth = Synthesis.render(model, held.f0Hz(), held.loudnessDb(), true, 1);
        float[] dry = Synthesis.render(model, held.f0Hz(), held.loudnessDb(), false, 1);
        float[] fluteMono = AudioFile.readMono(flute, sr);
        Examples.Example fl = Examples.wholeFile(fluteMono, cfg);
        DataStats stats = DataStats.read(dir.file(ModelDir.STATS));
        float[][] adj = Synthesis.adjust(fl.f0Hz(), fl.f0Confidence(), fl.loudnessDb(), stats.meanPitchMidi(),
                stats.meanLoudnessDb(), 0, 0, 20, DataStats.CONFIDENCE);
        float[] transfer = Synthesis.render(model, adj[0], adj[1], true, 1);
        double renderSeconds = (System.nanoTime() - t1) / 1e9;

        write(out.resolve("heldout_violin_input.wav"), held.audio(), sr);
        write(out.resolve("heldout_violin_resynth.wav"), resynth, sr);
        write(out.resolve("heldout_violin_resynth_no_reverb.wav"), dry, sr);
        write(out.resolve("flute_input.wav"), fl.audio(), sr);
        write(out.resolve("flute_to_violin_transfer.wav"), transfer, sr);
        Files.copy(dir.file(ModelDir.CURVE), out.resolve("loss.png"), StandardCopyOption.REPLACE_EXISTING);

        Check pitch = pitchAgreement(held, resynth, cfg);
        Check transferPitch = pitchAgreement(new Examples.Example(fl.audio(), adj[0], fl.f0Confidence(), adj[1]), transfer, cfg);
        double ldL1 = loudnessL1(held, resynth, cfg);

        String report = report(cfg, r, prepSeconds, untrainedEval, trainedEval, renderSeconds, pitch, transferPitch, ldL1,
                adj[2][0], adj[2][1], model.parameterCount(), train.size(), eval.size(), out.toString());
        AtomicFiles.writeString(out.resolve("report.md"), report);
        System.out.println();
        System.out.println(report);
        System.out.println("ddsp demo: everything is in " + out.toAbsolutePath() + " (listen to heldout_violin_resynth.wav and flute_to_violin_transfer.wav)");
        return 0;
    }

    /** The tiny configuration with 1 s examples and batch 4, so minutes of CPU time give hundreds of steps. */
    static ModelConfig demoConfig() {
        return ModelConfig.builtIn("tiny").setAll(List.of("name=tiny-demo", "audio.example_seconds=1",
                "audio.example_hop_seconds=0.5", "train.batch=4", "train.checkpoint_every=50", "reverb.taps=8000"));
    }

    /** Share of confidently pitched input frames where the rendering's tracked f0 is within 50 cents. */
    record Check(int frames, int agree, double medianCents) {
        double share() {
            return frames == 0 ? Double.NaN : (double) agree / frames;
        }
    }

    static Check pitchAgreement(Examples.Example input, float[] rendered, ModelConfig cfg) {
        AudioFeatures f = AudioFeatures.compute(rendered, cfg.sampleRate(), cfg.frameRate());
        int n = Math.min(input.f0Hz().length, f.nFrames()), frames = 0, agree = 0;
        List<Double> cents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (input.f0Confidence()[i] < DataStats.CONFIDENCE || input.f0Hz()[i] <= 0) continue;
            frames++;
            if (f.f0Hz()[i] <= 0) continue;
            double c = Math.abs(1200 * Math.log(f.f0Hz()[i] / input.f0Hz()[i]) / Math.log(2));
            cents.add(c);
            if (c <= 50) agree++;
        }
        cents.sort(null);
        return new Check(frames, agree, cents.isEmpty() ? Double.NaN : cents.get(cents.size() / 2));
    }

    static double loudnessL1(Examples.Example input, float[] rendered, ModelConfig cfg) {
        float[] l = org.ddsp4j.spectral.Loudness.loudnessDb(rendered, cfg.sampleRate(), cfg.frameRate());
        int n = Math.min(l.length, input.loudnessDb().length);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.abs(l[i] - input.loudnessDb()[i]);
        return s / n;
    }

    private static String report(ModelConfig cfg, Trainer.Result r, double prep, double untrained, double trained,
                                 double render, Check pitch, Check transfer, double ldL1, double octave, double ldShift,
                                 long params, int nTrain, int nEval, String outDir) {
        return String.format("""
                # ddsp4j demo report

                Model: `%s` (tiny decoder: GRU %d, %d layer per stack; %d harmonics, %d noise bands, %d-tap learned
                reverb), %,d parameters. Trained on %d examples of %.1f s cut from 2.7 minutes of FluidR3 violin
                (demo/data/violin), batch %d, Adam lr %s, %d threads.

                | | |
                |---|---|
                | feature extraction (f0 + loudness, in-process) | %.1f s |
                | training | %d steps in %.1f s (%.2f s/step) |
                | last training loss | %.3f |
                | held-out loss, untrained model | %.3f |
                | held-out loss, trained model | %.3f (%.0f %% of untrained) |
                | rendering the three outputs | %.1f s |
                | resynthesis pitch check | tracked f0 within 50 cents of the input on %d of %d pitched frames (%.0f %%), median error %.1f cents |
                | resynthesis loudness L1 | %.2f dB |
                | transfer pitch check | within 50 cents of the shifted flute f0 on %d of %d frames (%.0f %%) |
                | transfer adjustment | octave shift %+.0f semitones, loudness %+.1f dB |

                Files:
                - `heldout_violin_input.wav`: a violin phrase the model never saw (the reference)
                - `heldout_violin_resynth.wav`: its f0 and loudness resynthesized by the model (harmonic + noise + reverb)
                - `heldout_violin_resynth_no_reverb.wav`: the same without the learned reverb (dereverberation)
                - `flute_input.wav`: a flute melody (timbre-transfer source)
                - `flute_to_violin_transfer.wav`: the flute's pitch and loudness played by the violin model
                - `loss.png`: training loss (blue) and held-out loss (red) per step
                - `model/`: the trained model (`./ddsp resynth --model %s/model ...` uses it)
                """, cfg.getString("name"), cfg.getInt("decoder.gru_units"), cfg.getInt("decoder.layers_per_stack"),
                cfg.getInt("harmonic.n_harmonics"), cfg.getInt("noise.n_bands"), cfg.getInt("reverb.taps"), params, nTrain,
                cfg.getDouble("audio.example_seconds"), cfg.getInt("train.batch"), cfg.getString("train.learning_rate"),
                Parallel.threads(), prep, r.lastStep(), r.seconds(), r.secondsPerStep(), r.lastLoss(), untrained, trained,
                100 * trained / untrained, render, pitch.agree(), pitch.frames(), 100 * pitch.share(), pitch.medianCents(),
                ldL1, transfer.agree(), transfer.frames(), 100 * transfer.share(), octave, ldShift, outDir);
    }

    private static void write(Path p, float[] audio, int sr) throws IOException {
        float peak = 0;
        for (float v : audio) peak = Math.max(peak, Math.abs(v));
        float[] a = audio;
        if (peak > 0.99f) { // keep the WAV unclipped; the scale is noted nowhere else because it is rare
            a = audio.clone();
            for (int i = 0; i < a.length; i++) a[i] *= 0.99f / peak;
        }
        AudioFile.writeWav(p, a, sr, WavEncoding.PCM_16);
    }

    private static void clear(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) return;
        try (Stream<Path> s = Files.list(modelDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".safetensors") || n.endsWith(".json") || n.equals(ModelDir.LOSSES) || n.equals(ModelDir.CURVE)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** {@code demo/data} in the working directory or above it, or next to the launcher's jar. */
    static Path findDemoData() throws IOException {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (Exception ignored) {
            // no code source: the working directory is searched alone
        }
        for (Path s : starts) {
            for (Path p = s; p != null; p = p.getParent()) {
                Path d = p.resolve("demo/data");
                if (Files.isDirectory(d.resolve("violin"))) return d;
            }
        }
        throw new IOException("cannot find the bundled demo/data (looked above " + starts + "); pass --data DIR");
    }
}
