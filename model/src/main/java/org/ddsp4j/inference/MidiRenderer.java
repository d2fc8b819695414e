package org.ddsp4j.inference;

import java.util.ArrayList;
import java.util.List;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.features.MidiControls;
import org.ddsp4j.model.StreamingSynth;

/**
 * Plays a MIDI score polyphonically: every sounding note gets a voice of its part's instrument (a
 * {@link StreamingSynth} rendering the dry sound, with its own decoder state, phase and noise), voices
 * are summed, and each part goes through its instrument's room once. Velocity, pitch bend, CC 7 volume
 * and CC 11 expression come from {@link MidiControls#score}. Beyond {@code maxVoices} sounding notes of a
 * part, a new note takes the voice of the quietest releasing note, else of the oldest note ("voice
 * stealing"). Voices are made once per part and reused; a frame of a voice allocates nothing.
 */
public final class MidiRenderer {
    /** Default largest number of notes a part sounds at once. */
    public static final int DEFAULT_VOICES = 16;

    /** The audio, and what happened: notes played, notes cut short by stealing, the most voices at once. */
    public record Result(float[] audio, int sampleRate, int notes, int stolen, int maxSimultaneous) {}

    private MidiRenderer() {}

    /**
     * Renders every part of {@code score}.
     *
     * @param instruments one per part (the same instrument may play several parts); all at one sample and frame rate,
     *                    the score's frame rate
     * @param maxVoices   notes a part sounds at once, >= 1
     * @param options     the note envelope (attack, release, velocity curve, floor)
     * @param reverb      each part through its instrument's room
     */
    public static Result render(MidiControls.Score score, List<Instrument> instruments, int maxVoices, MidiControls.Options options,
                                boolean reverb) {
        if (instruments.size() != score.parts().size()) {
            throw new IllegalArgumentException("the score has " + score.parts().size() + " parts but " + instruments.size()
                    + " instruments were given");
        }
        if (maxVoices < 1) throw new IllegalArgumentException("voices must be at least 1, got " + maxVoices);
        int sr = instruments.getFirst().sampleRate();
        for (Instrument in : instruments) {
            if (in.model().needsAudio()) {
                throw new IllegalArgumentException("model '" + in.config().name() + "' has a z encoder, which reads the timbre from a "
                        + "recording: it cannot play MIDI; use a model trained with encoder.type none");
            }
            if (in.sampleRate() != sr || in.frameRate() != score.frameRate()) {
                throw new IllegalArgumentException("instruments of one rendering must share the sample and frame rate: " + sr + " Hz at "
                        + score.frameRate() + " frames/s, but one has " + in.sampleRate() + " Hz at " + in.frameRate() + " frames/s");
            }
        }
        float[] mix = new float[0];
        int notes = 0, stolen = 0, most = 0;
        for (int p = 0; p < score.parts().size(); p++) {
            Instrument in = instruments.get(p);
            PartPlayer player = new PartPlayer(in, score.parts().get(p), score.frames(), maxVoices, options);
            float[] part = player.play();
            if (reverb && in.model().impulseResponse() != null) part = in.applyRoom(part, false);
            if (part.length > mix.length) mix = java.util.Arrays.copyOf(mix, part.length);
            for (int i = 0; i < part.length; i++) mix[i] += part[i];
            notes += score.parts().get(p).notes().size();
            stolen += player.stolen;
            most = Math.max(most, player.most);
        }
        return new Result(mix, sr, notes, stolen, most);
    }

    /** The voices of one part and the frame loop. */
    private static final class PartPlayer {
        private final MidiControls.Part part;
        private final MidiControls.Options options;
        private final int frames, hop, frameRate, releaseFrames;
        private final Voice[] voices;
        private final float[] out;
        int stolen, most;

        PartPlayer(Instrument in, MidiControls.Part part, int frames, int maxVoices, MidiControls.Options options) {
            this.part = part;
            this.options = options;
            this.frames = frames;
            this.hop = in.config().hop();
            this.frameRate = in.frameRate();
            this.releaseFrames = (int) Math.ceil(options.releaseMs() / 1000 * frameRate);
            int needed = Math.min(maxVoices, Math.max(1, part.notes().size()));
            voices = new Voice[needed];
            for (int v = 0; v < needed; v++) voices[v] = new Voice(in.stream(false), hop);
            out = new float[frames * hop + hop];
        }

        float[] play() {
            List<MidiControls.Note> notes = part.notes();
            int next = 0;
            for (int i = 0; i < frames; i++) {
                for (Voice v : voices) if (v.note != null && i > v.lastFrame) v.finish(out);
                for (; next < notes.size() && notes.get(next).start() <= i; next++) start(notes.get(next), i);
                int active = 0;
                for (Voice v : voices) {
                    if (v.note == null) continue;
                    active++;
                    MidiControls.Note n = v.note;
                    v.f0[0] = (float) Conversions.midiToHz(n.pitch() + part.bendSemitones()[n.channel()][i]);
                    double db = MidiControls.noteLevelDb(n, i, frameRate, options) + part.gainDb()[n.channel()][i];
                    v.loudness[0] = (float) Math.max(options.floorDb(), Math.min(0, db));
                    v.step(i, out);
                }
                most = Math.max(most, active);
            }
            for (Voice v : voices) if (v.note != null) v.finish(out);
            return java.util.Arrays.copyOf(out, frames * hop);
        }

        /** Gives {@code n} a free voice, or the quietest releasing one, or the oldest. */
        private void start(MidiControls.Note n, int frame) {
            Voice chosen = null;
            for (Voice v : voices) {
                if (v.note == null) {
                    chosen = v;
                    break;
                }
            }
            if (chosen == null) {
                double quietest = Double.POSITIVE_INFINITY;
                for (Voice v : voices) {
                    if (frame >= v.note.end()) {
                        double db = MidiControls.noteLevelDb(v.note, frame, frameRate, options);
                        if (db < quietest) {
                            quietest = db;
                            chosen = v;
                        }
                    }
                }
                if (chosen == null) {
                    for (Voice v : voices) if (chosen == null || v.note.start() < chosen.note.start()) chosen = v;
                }
                chosen.finish(out);
                stolen++;
            }
            chosen.note = n;
            chosen.lastFrame = Math.min(frames - 1, n.end() + releaseFrames);
        }
    }

    /** One sounding note's renderer: pushes frame k, gets frame k - 1 (one frame of latency), added into the part. */
    private static final class Voice {
        final StreamingSynth synth;
        final float[] f0 = new float[1], loudness = new float[1], block;
        MidiControls.Note note;
        int lastFrame, pushed = -1;

        Voice(StreamingSynth synth, int hop) {
            this.synth = synth;
            this.block = new float[hop];
        }

        void step(int frame, float[] out) {
            synth.process(f0, loudness, 0, 1, block, 0);
            if (pushed >= 0) add(out, (frame - 1) * block.length);
            pushed = frame;
        }

        /** Renders the last pushed frame (held) and frees the voice. */
        void finish(float[] out) {
            if (pushed >= 0 && synth.flush(block, 0)) add(out, pushed * block.length);
            synth.reset();
            note = null;
            pushed = -1;
        }

        private void add(float[] out, int at) {
            for (int j = 0; j < block.length; j++) out[at + j] += block[j];
        }
    }
}
