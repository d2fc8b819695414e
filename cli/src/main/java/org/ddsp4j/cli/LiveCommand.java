package org.ddsp4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.inference.Instrument;
import org.ddsp4j.inference.LiveEngine;
import org.ddsp4j.inference.TransferRecipe;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./ddsp live}: plays a model live from a microphone ({@code javax.sound.sampled}) through
 * {@link LiveEngine}, until Ctrl-C; or from a file into a file, paced at real time or as fast as possible, which
 * is what tests and machines without a sound card use. Both print the latency, the time per block (median, p99,
 * max, as a share of the block's duration) and the under-runs.
 */
@CommandLine.Command(name = "live", description = {
    "play a model live: microphone in, the instrument out (Ctrl-C stops), or --input-file to --output-file",
    "(timbre transfer with a 20 ms latency at 16 kHz: causal pitch and loudness, the model frame by frame)"})
public final class LiveCommand implements Command {
    /** Seconds between status lines in device mode. */
    private static final long STATUS_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    ModelOption model;

    @Option(names = "--list-devices", help = true, description = "list the audio input and output devices Java sees, and exit")
    boolean listDevices;

    @Option(names = "--input-device", paramLabel = "NAME|N",
            description = "capture device: its number in --list-devices or part of its name (default: the system's)")
    String inputDevice;

    @Option(names = "--output-device", paramLabel = "NAME|N",
            description = "playback device: its number in --list-devices or part of its name (default: the system's)")
    String outputDevice;

    @Option(names = "--buffer", paramLabel = "SAMPLES",
            description = "samples per block, read, played and written at once (default ${DEFAULT-VALUE}: 16 ms at 16 kHz); "
                    + "the devices buffer two blocks each way")
    int buffer = 256;

    @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds (default: run until Ctrl-C)")
    double seconds;

    @Option(names = "--input-file", paramLabel = "AUDIO",
            description = "play this recording instead of the microphone (wav, flac or mp3; needs --output-file)")
    Path inputFile;

    @Option(names = "--output-file", paramLabel = "WAV",
            description = "write what the engine plays to this 32-bit float WAV at the model's rate, latency included "
                    + "(input length + latency samples; needs --input-file)")
    Path outputFile;

    @Option(names = "--realtime", description = "with --input-file: feed the blocks at the pace of the audio and count "
            + "the blocks that would have reached the speaker late")
    boolean realtime;

    @Option(names = "--pitch-shift", paramLabel = "ST", description = "extra pitch shift in semitones (default 0)")
    double pitchShift;

    @Option(names = "--loudness-shift", paramLabel = "DB", description = "extra loudness shift in dB (default 0)")
    double loudnessShift;

    @Option(names = "--no-auto", description = "no automatic octave and loudness adjustment toward the training set")
    boolean noAuto;

    @Option(names = "--no-reverb", description = "play without the learned reverb")
    boolean noReverb;

    @Override
    public Integer call() throws Exception {
        if (listDevices) {
            System.out.print(deviceList());
            return 0;
        }
        if (model == null || model.model == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--model=DIR|NAME'");
        }
        if (buffer < 1) throw new ParameterException(spec.commandLine(), "--buffer must be 1 or more samples, got " + buffer);
        if (!(seconds >= 0)) throw new ParameterException(spec.commandLine(), "--seconds must be >= 0, got " + seconds);
        boolean fileMode = inputFile != null || outputFile != null;
        if (fileMode && (inputFile == null || outputFile == null)) {
            throw new ParameterException(spec.commandLine(), "give --input-file and --output-file together (file to file), "
                    + "or neither (microphone to speakers)");
        }
        if (fileMode && (inputDevice != null || outputDevice != null)) {
            throw new ParameterException(spec.commandLine(), "--input-device and --output-device are for the microphone mode, "
                    + "not with --input-file");
        }
        if (realtime && !fileMode) throw new ParameterException(spec.commandLine(), "--realtime paces --input-file; give one");
        if (fileMode) Outputs.requireFile(outputFile, "live.wav");
        Instrument instrument = model.load();
        boolean auto = !noAuto;
        if (auto && !instrument.hasTrainingStatistics()) {
            System.err.println("ddsp live: warning: " + model.model + " has no training statistics (stats.json): "
                    + "no automatic octave and loudness adjustment; use --pitch-shift and --loudness-shift");
        }
        TransferRecipe recipe = TransferRecipe.defaults().withAuto(auto).withShifts(pitchShift, loudnessShift);
        LiveEngine engine = instrument.live(recipe, !noReverb);
        int sr = engine.sampleRate();
        System.out.printf(Locale.ROOT, "ddsp live: %s at %d Hz; latency %d samples = %.1f ms (look-ahead %.1f ms + one frame "
                        + "%.1f ms - 1 sample), plus the %d-sample block (%.1f ms) each way%n", model.model, sr,
                engine.latencySamples(), engine.latencyMs(), 1000.0 * engine.lookAheadSamples() / sr,
                1000.0 * engine.synthLatencySamples() / sr, buffer, 1000.0 * buffer / sr);
        return fileMode ? fromFile(instrument, engine) : fromDevices(engine);
    }

    // ------------------------------------------------------------------------------------------ files

    /** Plays the input file through the engine into the output file; paced with {@code --realtime}. */
    private int fromFile(Instrument instrument, LiveEngine engine) throws Exception {
        float[] x = instrument.read(inputFile);
        int sr = engine.sampleRate(), n = x.length + engine.latencySamples();
        float[] y = new float[n], in = new float[buffer];
        int blocks = (n + buffer - 1) / buffer;
        long[] nanos = new long[blocks];
        if (x.length < 60 * sr) warmUp(instrument, x); // as a plugin would before its first callback
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId(), bytes0 = mx.getThreadAllocatedBytes(tid);
        int late = 0;
        long t0 = System.nanoTime();
        for (int b = 0; b < blocks; b++) {
            int off = b * buffer, len = Math.min(buffer, n - off);
            Arrays.fill(in, 0f);
            if (off < x.length) System.arraycopy(x, off, in, 0, Math.min(len, x.length - off));
            long arrive = t0 + Math.round(1e9 * (off + len) / sr); // when the block's last sample would be in
            if (realtime) sleepUntil(arrive);
            long s = System.nanoTime();
            engine.process(in, 0, y, off, len);
            long e = System.nanoTime();
            nanos[b] = e - s;
            if (realtime && e > arrive + Math.round(1e9 * len / sr)) late++; // the speaker had played the previous block
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long bytes = mx.getThreadAllocatedBytes(tid) - bytes0;
        AudioFile.writeWav(outputFile, y, sr, WavEncoding.FLOAT_32);
        System.out.printf(Locale.ROOT, "ddsp live: wrote %s (%.2f s = %.2f s of input + the latency), %d blocks of %d samples%n",
                outputFile, n / (double) sr, x.length / (double) sr, blocks, buffer);
        System.out.println("  " + blockTimes(nanos, blocks, buffer, sr));
        System.out.printf(Locale.ROOT, "  %s, %.1fx real time%s; %d bytes allocated by the loop%s%n",
                realtime ? "paced at real time" : "as fast as possible", n / (double) sr / wall,
                realtime ? ", " + late + " under-run(s) (blocks done after the previous one had played)" : "", bytes,
                bytes == 0 ? "" : " (code the JIT has not compiled yet allocates; the compiled loop does not)");
        return 0;
    }

    /** Seconds of audio played untimed before a file is timed, so the JIT has compiled the loop. */
    private static final double WARM_UP_SECONDS = 10;

    /** Untimed passes over the input with a throw-away engine (at least {@link #WARM_UP_SECONDS} of audio). */
    private void warmUp(Instrument instrument, float[] x) {
        LiveEngine w = instrument.live(TransferRecipe.defaults(), !noReverb);
        float[] out = new float[buffer];
        long need = Math.round(WARM_UP_SECONDS * instrument.sampleRate());
        for (long done = 0; done < need && x.length >= buffer; ) {
            for (int off = 0; off + buffer <= x.length; off += buffer, done += buffer) w.process(x, off, out, 0, buffer);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            if (left > 2_000_000) Thread.sleep((left - 1_000_000) / 1_000_000);
            else Thread.onSpinWait();
        }
    }

    /** "block time median x us (y% of the z ms block), p99 .., max ..". */
    static String blockTimes(long[] nanos, int count, int block, int sampleRate) {
        if (count == 0) return "no blocks";
        long[] s = Arrays.copyOf(nanos, count);
        Arrays.sort(s);
        double dur = 1e9 * block / sampleRate;
        long med = s[(count - 1) / 2], p99 = s[(int) Math.min(count - 1, Math.ceil(0.99 * count) - 1)], max = s[count - 1];
        return String.format(Locale.ROOT, "time per block: median %.0f us (%.1f%% of the %.1f ms block), p99 %.0f us (%.1f%%), "
                + "max %.0f us (%.1f%%)", med / 1e3, 100 * med / dur, dur / 1e6, p99 / 1e3, 100 * p99 / dur, max / 1e3, 100 * max / dur);
    }

    // ------------------------------------------------------------------------------------------ devices

    /** The mixers Java sees, numbered, with what they can do. */
    static String deviceList() {
        Mixer.Info[] all = AudioSystem.getMixerInfo();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < all.length; i++) {
            Mixer m = AudioSystem.getMixer(all[i]);
            boolean in = m.isLineSupported(new DataLine.Info(TargetDataLine.class, null));
            boolean out = m.isLineSupported(new DataLine.Info(SourceDataLine.class, null));
            if (!in && !out) continue;
            sb.append(String.format(Locale.ROOT, "%3d  %-6s %s (%s)%n", i, in && out ? "in+out" : in ? "in" : "out",
                    all[i].getName(), all[i].getDescription()));
            shown++;
        }
        if (shown == 0) {
            return "no audio devices: javax.sound.sampled finds no capture or playback line on this machine"
                    + " (no sound card, or no access to it)\n";
        }
        return "  N  kind   name (description)\n" + sb;
    }

    /** The mixer a {@code --input-device} / {@code --output-device} value names, or null for the system default. */
    private static Mixer.Info mixer(String spec, Class<?> lineClass, String option) {
        if (spec == null) return null;
        Mixer.Info[] all = AudioSystem.getMixerInfo();
        List<Mixer.Info> matches = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            boolean fits = AudioSystem.getMixer(all[i]).isLineSupported(new DataLine.Info(lineClass, null));
            if (fits && (spec.equals(Integer.toString(i)) || all[i].getName().toLowerCase(Locale.ROOT).contains(spec.toLowerCase(Locale.ROOT)))) {
                matches.add(all[i]);
            }
        }
        if (matches.size() != 1) {
            throw new IllegalArgumentException(option + " " + spec + ": " + (matches.isEmpty() ? "no" : matches.size())
                    + " matching " + (lineClass == TargetDataLine.class ? "capture" : "playback") + " device(s); "
                    + "./ddsp live --list-devices lists them");
        }
        return matches.getFirst();
    }

    private int fromDevices(LiveEngine engine) throws Exception {
        int sr = engine.sampleRate(), bytes = 2 * buffer;
        AudioFormat fmt = new AudioFormat(sr, 16, 1, true, false);
        TargetDataLine in = open(TargetDataLine.class, mixer(inputDevice, TargetDataLine.class, "--input-device"), fmt, "input");
        SourceDataLine out;
        try {
            out = open(SourceDataLine.class, mixer(outputDevice, SourceDataLine.class, "--output-device"), fmt, "output");
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
        in.open(fmt, 2 * bytes);
        out.open(fmt, 2 * bytes);
        AudioLoop loop = new AudioLoop(engine, in, out, buffer, seconds);
        Thread audio = new Thread(loop, "ddsp-live-audio");
        audio.setPriority(Thread.MAX_PRIORITY);
        Thread hook = new Thread(() -> {
            loop.stop();
            try {
                audio.join(2000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "ddsp-live-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread control = new Thread(() -> controlFromStdin(engine, loop), "ddsp-live-control");
        control.setDaemon(true);
        System.out.printf(Locale.ROOT, "ddsp live: playing; Ctrl-C stops. Type 'pitch ST', 'loudness DB', 'auto on|off' or 'quit'.%n");
        audio.start();
        control.start();
        while (audio.isAlive()) {
            audio.join(STATUS_SECONDS * 1000);
            if (audio.isAlive()) System.out.println("  " + loop.status());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook stopped the loop, which printed its summary
        }
        if (loop.failure != null) throw loop.failure;
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static <L extends DataLine> L open(Class<L> kind, Mixer.Info mixer, AudioFormat fmt, String what) {
        try {
            return (L) (kind == TargetDataLine.class ? AudioSystem.getTargetDataLine(fmt, mixer) : AudioSystem.getSourceDataLine(fmt, mixer));
        } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
            throw new IllegalArgumentException("no audio " + what + " device: javax.sound.sampled has no "
                    + (kind == TargetDataLine.class ? "capture" : "playback") + " line for " + (int) fmt.getSampleRate()
                    + " Hz 16-bit mono" + (mixer == null ? "" : " on " + mixer.getName()) + " (" + e.getMessage() + "); "
                    + "./ddsp live --list-devices shows what Java sees; without a sound card play a file: --input-file AUDIO "
                    + "--output-file OUT.wav", e);
        }
    }

    /** Lines typed while playing change the recipe (the engine takes them at its next block). */
    private static void controlFromStdin(LiveEngine engine, AudioLoop loop) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] w = line.trim().toLowerCase(Locale.ROOT).split("\\s+");
                try {
                    TransferRecipe cur = engine.recipe();
                    switch (w[0]) {
                        case "pitch" -> engine.setShifts(Double.parseDouble(w[1]), cur.loudnessShift());
                        case "loudness" -> engine.setShifts(cur.pitchShift(), Double.parseDouble(w[1]));
                        case "auto" -> engine.setAuto(w.length > 1 && w[1].equals("on"));
                        case "quit", "q" -> loop.stop();
                        case "" -> { }
                        default -> System.out.println("  commands: pitch ST, loudness DB, auto on|off, quit");
                    }
                    if (!w[0].isEmpty()) System.out.println("  " + loop.status());
                } catch (RuntimeException bad) {
                    System.out.println("  could not read '" + line + "': commands: pitch ST, loudness DB, auto on|off, quit");
                }
            }
        } catch (java.io.IOException closed) {
            // no console: nothing to read
        }
    }

    /**
     * The audio thread: read a block from the microphone, play it through the engine, write it to the speaker.
     * An under-run is a block written after the output line had run dry; an overrun a block read after the input
     * line had filled up (samples lost). Allocates nothing per block.
     */
    static final class AudioLoop implements Runnable {
        private final LiveEngine engine;
        private final TargetDataLine in;
        private final SourceDataLine out;
        private final int block;
        private final long maxBlocks;
        private volatile boolean running = true;
        private final AtomicLong blocks = new AtomicLong(), underruns = new AtomicLong(), overruns = new AtomicLong();
        private final long[] nanos = new long[1 << 16];
        volatile Exception failure;

        AudioLoop(LiveEngine engine, TargetDataLine in, SourceDataLine out, int block, double seconds) {
            this.engine = engine;
            this.in = in;
            this.out = out;
            this.block = block;
            this.maxBlocks = seconds > 0 ? (long) Math.ceil(seconds * engine.sampleRate() / block) : Long.MAX_VALUE;
        }

        void stop() {
            running = false;
        }

        String status() {
            int sr = engine.sampleRate();
            return String.format(Locale.ROOT, "%.0f s played, automatic octave %+.0f, loudness %+.1f dB, shifts %+.1f st %+.1f dB, "
                            + "%d under-run(s), %d overrun(s)", blocks.get() * block / (double) sr, engine.octaveShiftSemitones(),
                    engine.loudnessShiftDb(), engine.recipe().pitchShift(), engine.recipe().loudnessShift(), underruns.get(),
                    overruns.get());
        }

        @Override
        public void run() {
            byte[] inBytes = new byte[2 * block], outBytes = new byte[2 * block];
            float[] x = new float[block], y = new float[block];
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId(), bytes0 = 0;
            try {
                out.start();
                out.write(outBytes, 0, outBytes.length); // one block of silence ahead of the first
                in.start();
                for (long b = 0; running && b < maxBlocks; b++) {
                    if (b == engine.sampleRate() / block) bytes0 = mx.getThreadAllocatedBytes(tid); // after a second
                    if (in.available() >= in.getBufferSize()) overruns.incrementAndGet();
                    int got = 0;
                    while (got < inBytes.length && running) got += in.read(inBytes, got, inBytes.length - got);
                    if (got < inBytes.length) break;
                    for (int i = 0; i < block; i++) x[i] = (short) ((inBytes[2 * i] & 0xff) | (inBytes[2 * i + 1] << 8)) / 32768f;
                    long t = System.nanoTime();
                    engine.process(x, 0, y, 0, block);
                    nanos[(int) (b & (nanos.length - 1))] = System.nanoTime() - t;
                    for (int i = 0; i < block; i++) {
                        int v = Math.round(Math.max(-1f, Math.min(1f, y[i])) * 32767f);
                        outBytes[2 * i] = (byte) v;
                        outBytes[2 * i + 1] = (byte) (v >> 8);
                    }
                    if (b > 0 && out.available() >= out.getBufferSize()) underruns.incrementAndGet();
                    out.write(outBytes, 0, outBytes.length);
                    blocks.incrementAndGet();
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                long n = blocks.get(), bytes = n > engine.sampleRate() / block ? mx.getThreadAllocatedBytes(tid) - bytes0 : -1;
                in.stop();
                in.close();
                out.drain();
                out.stop();
                out.close();
                System.out.println("ddsp live: stopped. " + status());
                System.out.println("  " + blockTimes(nanos, (int) Math.min(n, nanos.length), block, engine.sampleRate())
                        + (n > nanos.length ? " (the last " + nanos.length + " blocks)" : ""));
                if (bytes >= 0) System.out.println("  " + bytes + " bytes allocated by the audio thread after its first second");
            }
        }
    }
}
