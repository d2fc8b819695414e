package org.ddsp4j.processors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;

/**
 * The synthesis part of a model: synthesizers in order, each reading its slice of the decoder's raw
 * outputs (in the order given), summed to the dry signal, then an optional reverb. The one
 * implementation behind training, offline rendering ({@link #render}) and streaming ({@link #newStream});
 * a new synthesizer is one {@link Synthesizer} class added to the list.
 */
public final class ProcessorGraph {
    /** Every signal and control of one offline render, keyed by synthesizer name. */
    public record Output(Tensor audio, Tensor dry, Map<String, Tensor> signals, Map<String, Tensor> controls) {}

    private final List<Synthesizer> synths;
    private final ReverbEffect reverb;
    private final int rawSize, hop;
    private final int[] rawOffsets, ctlOffsets;
    private final int ctlSize;

    /**
     * @param synths at least one, all with the same hop
     * @param reverb the room, or null for none
     */
    public ProcessorGraph(List<Synthesizer> synths, ReverbEffect reverb) {
        if (synths.isEmpty()) throw new IllegalArgumentException("a model needs at least one synthesizer");
        this.synths = List.copyOf(synths);
        this.reverb = reverb;
        hop = synths.get(0).hop();
        rawOffsets = new int[synths.size()];
        ctlOffsets = new int[synths.size()];
        int r = 0, c = 0;
        for (int i = 0; i < synths.size(); i++) {
            Synthesizer s = synths.get(i);
            if (s.hop() != hop) throw new IllegalArgumentException("synthesizer " + s.name() + " has hop " + s.hop() + ", not " + hop);
            rawOffsets[i] = r;
            ctlOffsets[i] = c;
            r += s.rawSize();
            c += s.controlSize();
        }
        rawSize = r;
        ctlSize = c;
    }

    /** Decoder outputs per frame that the synthesizers read. */
    public int rawSize() {
        return rawSize;
    }

    public int hop() {
        return hop;
    }

    public List<Synthesizer> synthesizers() {
        return synths;
    }

    /** The synthesizer named {@code name}, or null. */
    public Synthesizer synthesizer(String name) {
        for (Synthesizer s : synths) if (s.name().equals(name)) return s;
        return null;
    }

    /** The room, or null. */
    public ReverbEffect reverb() {
        return reverb;
    }

    /**
     * Offline rendering.
     *
     * @param raw        {@code [B, F, rawSize]} decoder outputs
     * @param f0Hz       {@code [B, F]} Hz
     * @param withReverb apply the room (false: the dry signal, dereverberation)
     * @param rng        noise, consumed by the synthesizers in order
     * @return signals of {@code [B, F * hop]}
     */
    public Output render(Tensor raw, Tensor f0Hz, boolean withReverb, SplittableRandom rng) {
        int[] s = f0Hz.shape();
        if (raw.rank() != 3 || raw.dim(0) != s[0] || raw.dim(1) != s[1] || raw.dim(2) != rawSize) {
            throw new IllegalArgumentException("ProcessorGraph: raw must be [" + s[0] + ", " + s[1] + ", " + rawSize + "], got "
                    + java.util.Arrays.toString(raw.shape()));
        }
        Tensor f0 = f0Hz.reshape(s[0], s[1], 1);
        Map<String, Tensor> signals = new LinkedHashMap<>(), controls = new LinkedHashMap<>();
        Tensor dry = null;
        for (int i = 0; i < synths.size(); i++) {
            Synthesizer syn = synths.get(i);
            Tensor ctl = syn.controls(raw.slice(2, rawOffsets[i], rawOffsets[i] + syn.rawSize()), f0);
            Tensor sig = syn.render(f0, ctl, rng);
            controls.put(syn.name(), ctl);
            signals.put(syn.name(), sig);
            dry = dry == null ? sig : dry.add(sig);
        }
        Tensor audio = withReverb && reverb != null ? reverb.apply(dry) : dry;
        return new Output(audio, dry, signals, controls);
    }

    /**
     * A block renderer with state.
     *
     * @param withReverb apply the room
     * @param seed       noise seed: the stream equals {@link #render} with {@code new SplittableRandom(seed)}
     *                   (batch 1) when at most one synthesizer draws noise
     */
    public Stream newStream(boolean withReverb, long seed) {
        return new Stream(withReverb && reverb != null ? reverb.newStream(hop) : null, seed);
    }

    /**
     * Block rendering: {@link #push} the raw outputs of frame {@code m}, get the audio of frame
     * {@code m - 1} (one frame of latency: the interpolation towards frame {@code m} and the noise
     * filter's overlap need it); {@link #flush} renders the last frame held. The samples equal
     * {@link #render}'s. Allocates nothing per frame.
     */
    public final class Stream {
        private final List<Synthesizer.Voice> voices = new ArrayList<>();
        private final ReverbEffect.Stream room;
        private final float[] prevCtl = new float[ctlSize], ctl = new float[ctlSize];
        private float prevF0;
        private boolean havePrev;

        private Stream(ReverbEffect.Stream room, long seed) {
            this.room = room;
            for (Synthesizer s : synths) voices.add(s.newVoice(seed));
        }

        public int hop() {
            return hop;
        }

        /** Frames between a frame's controls going in and its audio coming out. */
        public int latencyFrames() {
            return 1;
        }

        /** Back to the start: zero state, silence in the filters and the room, the noise seed again. */
        public void reset() {
            for (Synthesizer.Voice v : voices) v.reset();
            if (room != null) room.reset();
            havePrev = false;
        }

        /**
         * Takes frame {@code m}'s raw decoder outputs and writes frame {@code m - 1}'s {@code hop}
         * samples to {@code out[outOff ..]}.
         *
         * @return false for the first frame of a stream (nothing written: its successor is not known yet)
         */
        public boolean push(float f0Hz, float[] raw, int rawOff, float[] out, int outOff) {
            for (int i = 0; i < synths.size(); i++) synths.get(i).controls(raw, rawOff + rawOffsets[i], f0Hz, ctl, ctlOffsets[i]);
            boolean wrote = false;
            if (havePrev) {
                renderFrame(prevF0, prevCtl, f0Hz, ctl, false, out, outOff);
                wrote = true;
            }
            System.arraycopy(ctl, 0, prevCtl, 0, ctlSize);
            prevF0 = f0Hz;
            havePrev = true;
            return wrote;
        }

        /** Renders the last pushed frame, held (the end of a clip); false if there is none. The stream then starts anew. */
        public boolean flush(float[] out, int outOff) {
            if (!havePrev) return false;
            renderFrame(prevF0, prevCtl, prevF0, prevCtl, true, out, outOff);
            reset();
            return true;
        }

        private void renderFrame(float f0, float[] c, float f0Next, float[] cNext, boolean last, float[] out, int outOff) {
            java.util.Arrays.fill(out, outOff, outOff + hop, 0f);
            for (int i = 0; i < voices.size(); i++) {
                voices.get(i).render(f0, c, ctlOffsets[i], f0Next, cNext, ctlOffsets[i], last, out, outOff);
            }
            if (room != null) room.process(out, outOff);
        }
    }
}
