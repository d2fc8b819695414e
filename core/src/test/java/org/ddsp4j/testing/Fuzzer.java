package org.ddsp4j.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A small deterministic mutation fuzzer for the parsers of user files (test code, shared with the
 * other modules through core's test jar).
 *
 * <p>Each input is one of the seeds with 1 to 4 stacked mutations: bit flips, bytes set to boundary
 * values, random insertions and deletions, truncation, a 1/2/4/8-byte integer field overwritten with
 * a huge or boundary value (little- or big-endian), a splice with another seed, a repeated chunk, a
 * run of 0x00 or 0xFF, a dictionary token and, for text formats, a number replaced by an extreme one
 * or a line repeated or dropped. Half the positions fall in the first 256 bytes, where headers live.
 * A format's {@link #repair} (recompute CRCs or a length prefix) runs on half the inputs, so that
 * mutations get past checksum checks into the decoding proper.
 *
 * <p>Every input runs on one worker thread under a time budget (a hang) and an allocation budget
 * (what the thread allocated while parsing, so a huge length field must be refused before
 * allocating). The parser may return or throw what {@link #expect} accepts; anything else, an
 * {@link Error} included, fails the test with the iteration, the mutations applied and the input,
 * saved under {@code target/fuzz-failures/} to become a regression case. Input {@code i} depends
 * only on the run's seed and {@code i}. {@code -Dddsp4j.fuzz.scale=10} runs ten times the
 * iterations (a longer local hunt); {@code -Dddsp4j.fuzz.seed=N} picks other inputs.
 */
public final class Fuzzer {
    /** The parser under test, fed one input. */
    @FunctionalInterface
    public interface Target {
        void parse(byte[] input) throws Exception;
    }

    /** What a run did: inputs parsed without error, refused with an expected error, the most one input allocated. */
    public record Report(String name, int iterations, int accepted, int rejected, long maxAllocatedBytes, long millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fuzz %s: %d inputs (%d parsed, %d refused), max %.1f MB allocated, %.1f s",
                    name, iterations, accepted, rejected, maxAllocatedBytes / 1e6, millis / 1e3);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long[] BOUNDARY = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L,
            0xFFFF_FFFFL, 0x7FFF_FFF0L, 0x4000_0000L, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -2L};
    private static final String[] NUMBERS = {"0", "-1", "-0", "0.5", "1e400", "-1e400", "1e-400", "2147483647",
            "2147483648", "4294967296", "9007199254740993", "9223372036854775808", "99999999999999999999999", "NaN",
            "Infinity", "-2147483649", "1e9", "3.4e38"};

    private final String name;
    private final List<byte[]> seeds;
    private int iterations = 1000;
    private long seed = 1;
    private boolean text;
    private List<byte[]> dictionary = List.of();
    private UnaryOperator<byte[]> repair;
    private Predicate<Throwable> expected = e -> false;
    private Duration timeBudget = Duration.ofSeconds(5);
    private long allocationBudget = 64L << 20;

    private Fuzzer(String name, List<byte[]> seeds) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("fuzz " + name + ": no seeds");
        this.name = name;
        this.seeds = List.copyOf(seeds);
    }

    /** A fuzzer named {@code name} (used in messages and failure files) mutating {@code seeds}. */
    public static Fuzzer of(String name, List<byte[]> seeds) {
        return new Fuzzer(name, seeds);
    }

    /** Inputs to run (times {@code -Dddsp4j.fuzz.scale}). */
    public Fuzzer iterations(int n) {
        this.iterations = n;
        return this;
    }

    /** The run's random seed (default 1; {@code -Dddsp4j.fuzz.seed} overrides it). */
    public Fuzzer seed(long s) {
        this.seed = s;
        return this;
    }

    /** Adds the text mutations (numbers, lines). */
    public Fuzzer text() {
        this.text = true;
        return this;
    }

    /** Tokens of the format (chunk ids, keywords) to insert or overwrite with. */
    public Fuzzer dictionary(String... tokens) {
        List<byte[]> d = new ArrayList<>();
        for (String t : tokens) d.add(t.getBytes(StandardCharsets.ISO_8859_1));
        this.dictionary = d;
        return this;
    }

    /** Applied to half the mutated inputs, e.g. to recompute checksums; it must not throw. */
    public Fuzzer repair(UnaryOperator<byte[]> r) {
        this.repair = r;
        return this;
    }

    /** The errors the parser documents; anything else thrown is a failure. */
    public Fuzzer expect(Predicate<Throwable> accepted) {
        this.expected = Objects.requireNonNull(accepted);
        return this;
    }

    /** Longest one input may take (default 5 s: a hang, not slowness). */
    public Fuzzer timeBudget(Duration d) {
        this.timeBudget = d;
        return this;
    }

    /** Most bytes parsing one input may allocate (default 64 MiB). */
    public Fuzzer allocationBudget(long bytes) {
        this.allocationBudget = bytes;
        return this;
    }

    /** Runs every input; throws {@link AssertionError} at the first failure. */
    public Report run(Target target) {
        long t0 = System.nanoTime();
        int n = (int) Math.round(iterations * Double.parseDouble(System.getProperty("ddsp4j.fuzz.scale", "1")));
        long base = Long.getLong("ddsp4j.fuzz.seed", seed);
        int accepted = 0, rejected = 0;
        long maxAlloc = 0;
        ExecutorService worker = newWorker();
        try {
            for (int i = 0; i < n; i++) {
                List<String> log = new ArrayList<>();
                byte[] input = mutant(base, i, log);
                Outcome o = execute(worker, target, input);
                String failure = judge(o);
                if (failure != null) {
                    throw failure("iteration " + i + " (seed " + base + "; " + String.join(", ", log) + ")",
                            "seed" + base + "-" + i, input, failure, o.thrown);
                }
                maxAlloc = Math.max(maxAlloc, o.allocated);
                if (o.thrown == null) accepted++;
                else rejected++;
            }
        } finally {
            worker.shutdownNow();
        }
        Report r = new Report(name, n, accepted, rejected, maxAlloc, (System.nanoTime() - t0) / 1_000_000);
        System.out.println(r);
        return r;
    }

    /**
     * Runs one input (a regression case) under the same checks.
     *
     * @return what the parser threw (an expected error), or null when it parsed the input
     */
    public Throwable check(String label, byte[] input, Target target) {
        ExecutorService worker = newWorker();
        try {
            Outcome o = execute(worker, target, input);
            String failure = judge(o);
            if (failure != null) throw failure("regression case " + label, label, input, failure, o.thrown);
            return o.thrown;
        } finally {
            worker.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------ running

    private record Outcome(Throwable thrown, long allocated, boolean timedOut) {}

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true); // a hung parser must not keep the test JVM alive
            return t;
        });
    }

    private Outcome execute(ExecutorService worker, Target target, byte[] input) {
        byte[] copy = input.clone();
        Future<Outcome> f = worker.submit(() -> {
            long a0 = THREADS.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                target.parse(copy);
            } catch (Throwable t) {
                thrown = t;
            }
            return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - a0, false);
        });
        try {
            return f.get(timeBudget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome(null, 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("fuzz " + name + " interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("fuzz " + name + ": worker failed", e.getCause());
        }
    }

    /** Null when the outcome is acceptable, else what is wrong. */
    private String judge(Outcome o) {
        if (o.timedOut) return "no result within the time budget of " + timeBudget.toMillis() + " ms (a hang?)";
        if (o.allocated > allocationBudget) {
            return "allocated " + o.allocated + " bytes, over the budget of " + allocationBudget
                    + " (a size field trusted before allocating?)" + (o.thrown == null ? "" : "; then threw " + o.thrown);
        }
        if (o.thrown != null && !expected.test(o.thrown)) return "undocumented error " + o.thrown;
        return null;
    }

    private AssertionError failure(String where, String tag, byte[] input, String what, Throwable cause) {
        String saved;
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Path f = dir.resolve((name + "-" + tag).replaceAll("[^A-Za-z0-9._-]+", "_") + ".bin");
            Files.write(f, input);
            saved = "saved to " + f.toAbsolutePath();
        } catch (IOException e) {
            saved = "could not be saved: " + e;
        }
        String b64 = input.length <= 2048 ? "\n  base64: " + Base64.getEncoder().encodeToString(input) : "";
        return new AssertionError("fuzz " + name + ", " + where + ": " + what + "\n  input of " + input.length + " bytes "
                + saved + b64, cause);
    }

    // ------------------------------------------------------------------------------ mutating

    /** Input {@code i} of a run with seed {@code base}; {@code log} receives the mutations applied. */
    public byte[] mutant(long base, int i, List<String> log) {
        SplittableRandom r = new SplittableRandom(base * 0x9E3779B97F4A7C15L + i);
        int s = r.nextInt(seeds.size());
        byte[] b = seeds.get(s);
        log.add("seed " + s);
        int count = 1 + (r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0);
        for (int k = 0; k < count; k++) b = mutateOnce(r, b, log);
        if (repair != null && r.nextBoolean()) {
            b = repair.apply(b);
            log.add("repaired");
        }
        return b;
    }

    private byte[] mutateOnce(SplittableRandom r, byte[] b, List<String> log) {
        int ops = text ? 12 : 10;
        int op = r.nextInt(ops);
        int len = b.length;
        if (len == 0) op = 3;
        switch (op) {
            case 0 -> {
                int p = pos(r, len), bit = r.nextInt(8);
                b = b.clone();
                b[p] ^= (byte) (1 << bit);
                log.add("flip bit " + bit + " of byte " + p);
            }
            case 1 -> {
                int p = pos(r, len);
                int[] v = {0x00, 0x01, 0x7F, 0x80, 0xFF, r.nextInt(256)};
                b = b.clone();
                b[p] = (byte) v[r.nextInt(v.length)];
                log.add("byte " + p + " = " + (b[p] & 0xFF));
            }
            case 2 -> b = corruptField(r, b, log);
            case 3 -> {
                int p = len == 0 ? 0 : pos(r, len + 1);
                byte[] ins = new byte[1 + r.nextInt(r.nextInt(8) == 0 ? 1024 : 64)];
                if (r.nextBoolean()) r.nextBytes(ins);
                else Arrays.fill(ins, (byte) r.nextInt(256));
                b = splice(b, p, p, ins);
                log.add("insert " + ins.length + " bytes at " + p);
            }
            case 4 -> {
                int p = pos(r, len), n = Math.min(len - p, 1 + r.nextInt(r.nextInt(8) == 0 ? Math.max(1, len / 4) : 64));
                b = splice(b, p, p + n, new byte[0]);
                log.add("delete " + n + " bytes at " + p);
            }
            case 5 -> {
                int n = r.nextInt(len);
                b = Arrays.copyOf(b, n);
                log.add("truncate to " + n);
            }
            case 6 -> {
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int cut = r.nextInt(len + 1), from = r.nextInt(other.length + 1);
                b = splice(b, cut, len, Arrays.copyOfRange(other, from, other.length));
                log.add("splice [0, " + cut + ") + other seed from " + from);
            }
            case 7 -> {
                int from = pos(r, len), n = 1 + r.nextInt(Math.min(len - from, 256)), to = pos(r, len + 1);
                int times = 1 + (r.nextInt(4) == 0 ? r.nextInt(16) : 0);
                byte[] chunk = new byte[n * times];
                for (int t = 0; t < times; t++) System.arraycopy(b, from, chunk, t * n, n);
                b = splice(b, to, to, chunk);
                log.add("repeat " + n + " bytes from " + from + " x" + times + " at " + to);
            }
            case 8 -> {
                int p = pos(r, len), n = Math.min(len - p, 1 + r.nextInt(32));
                byte v = r.nextBoolean() ? 0 : (byte) 0xFF;
                b = b.clone();
                Arrays.fill(b, p, p + n, v);
                log.add("fill " + n + " bytes at " + p + " with " + (v & 0xFF));
            }
            case 9 -> {
                if (dictionary.isEmpty()) return corruptField(r, b, log);
                byte[] tok = dictionary.get(r.nextInt(dictionary.size()));
                int p = len == 0 ? 0 : pos(r, len + 1);
                boolean over = r.nextBoolean() && p + tok.length <= len;
                b = splice(b, p, over ? p + tok.length : p, tok);
                log.add((over ? "overwrite" : "insert") + " token '" + new String(tok, StandardCharsets.ISO_8859_1) + "' at " + p);
            }
            case 10 -> b = replaceNumber(r, b, log);
            default -> b = lineEdit(r, b, log);
        }
        return b;
    }

    /** Overwrites a 1, 2, 4 or 8-byte integer field with a boundary value, or its old value nudged or negated. */
    private static byte[] corruptField(SplittableRandom r, byte[] b, List<String> log) {
        int w = new int[] {1, 2, 4, 8}[r.nextInt(4)];
        if (b.length < w) w = 1;
        int p = pos(r, b.length - w + 1);
        if (r.nextBoolean()) p -= p % Math.min(w, 4); // length fields usually sit at 2- or 4-aligned offsets
        boolean le = r.nextBoolean();
        long old = 0;
        for (int k = 0; k < w; k++) old |= (b[p + (le ? k : w - 1 - k)] & 0xFFL) << (8 * k);
        long v = switch (r.nextInt(5)) {
            case 0 -> old + 1;
            case 1 -> old - 1;
            case 2 -> old * 2 + r.nextInt(3);
            case 3 -> old ^ 1L << (8 * w - 1); // sign bit: a size read as negative
            default -> BOUNDARY[r.nextInt(BOUNDARY.length)];
        };
        b = b.clone();
        for (int k = 0; k < w; k++) b[p + (le ? k : w - 1 - k)] = (byte) (v >>> (8 * k));
        log.add(String.format(Locale.ROOT, "%d-byte %s field at %d = 0x%x", w, le ? "LE" : "BE", p, v));
        return b;
    }

    private static byte[] replaceNumber(SplittableRandom r, byte[] b, List<String> log) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < b.length; ) {
            if (b[i] >= '0' && b[i] <= '9') {
                int j = i;
                while (j < b.length && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == '-')) j++;
                runs.add(new int[] {i, j});
                i = j;
            } else {
                i++;
            }
        }
        if (runs.isEmpty()) return corruptField(r, b, log);
        int[] run = runs.get(r.nextInt(runs.size()));
        String num = NUMBERS[r.nextInt(NUMBERS.length)];
        log.add("number at " + run[0] + " = " + num);
        return splice(b, run[0], run[1], num.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] lineEdit(SplittableRandom r, byte[] b, List<String> log) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < b.length; i++) if (b[i] == '\n' && i + 1 < b.length) starts.add(i + 1);
        int k = r.nextInt(starts.size());
        int s = starts.get(k), e = k + 1 < starts.size() ? starts.get(k + 1) : b.length;
        if (r.nextBoolean()) {
            log.add("drop line " + k);
            return splice(b, s, e, new byte[0]);
        }
        int times = 1 + r.nextInt(r.nextInt(4) == 0 ? 200 : 3);
        byte[] rep = new byte[(e - s) * times];
        for (int t = 0; t < times; t++) System.arraycopy(b, s, rep, t * (e - s), e - s);
        log.add("repeat line " + k + " x" + times);
        return splice(b, e, e, rep);
    }

    /** Half the time in the first 256 bytes (headers), else anywhere; {@code n > 0}. */
    private static int pos(SplittableRandom r, int n) {
        return r.nextBoolean() ? r.nextInt(Math.min(n, 256)) : r.nextInt(n);
    }

    /** {@code b} with {@code [from, to)} replaced by {@code ins}. */
    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }
}
