package org.ddsp4j.data;

import java.util.Objects;

/**
 * One training example in magenta/ddsp's TFRecord layout: a fixed-length clip of mono audio and its
 * frame-wise controls.
 *
 * <p>Keys, all {@code float_list}, as written by magenta/ddsp's {@code prepare_tfrecord}:
 * {@code audio} [nSamples], {@code f0_hz} [nFrames], {@code f0_confidence} [nFrames],
 * {@code loudness_db} [nFrames]. magenta's current {@code prepare_tfrecord_lib} writes exactly these
 * four keys (no {@code audio_16k}); other keys found when reading are ignored.
 *
 * <p>Frame convention used by ddsp4j: frames are centred, frame {@code k} centred on sample
 * {@code k * hop} with {@code hop = sampleRate / frameRate}, so {@code nFrames = nSamples / hop + 1}
 * (4 s at 16 kHz and 250 frames/s: 64000 samples, 1001 frames). This is magenta's {@code center=True}
 * layout ({@code TFRecordProvider(centered=True)}); magenta's default {@code center=False} gives
 * {@code nSamples / hop} frames (1000).
 *
 * @param audio        [nSamples] mono audio in [-1, 1]
 * @param f0Hz         [nFrames] fundamental frequency in Hz (0 or low where unvoiced)
 * @param f0Confidence [nFrames] pitch confidence in [0, 1]
 * @param loudnessDb   [nFrames] A-weighted loudness in dB
 */
public record DdspExample(float[] audio, float[] f0Hz, float[] f0Confidence, float[] loudnessDb) {
    public static final String AUDIO = "audio";
    public static final String F0_HZ = "f0_hz";
    public static final String F0_CONFIDENCE = "f0_confidence";
    public static final String LOUDNESS_DB = "loudness_db";

    public DdspExample {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(f0Hz, "f0Hz");
        Objects.requireNonNull(f0Confidence, "f0Confidence");
        Objects.requireNonNull(loudnessDb, "loudnessDb");
        if (f0Confidence.length != f0Hz.length || loudnessDb.length != f0Hz.length) {
            throw new IllegalArgumentException("frame features differ in length: f0_hz " + f0Hz.length
                    + ", f0_confidence " + f0Confidence.length + ", loudness_db " + loudnessDb.length);
        }
    }

    /** Number of audio samples. */
    public int nSamples() {
        return audio.length;
    }

    /** Number of feature frames. */
    public int nFrames() {
        return f0Hz.length;
    }

    /**
     * Checks the shape against a dataset's layout.
     *
     * @throws IllegalArgumentException naming the expected and actual sizes
     */
    public DdspExample checkShape(int nSamples, int nFrames) {
        if (audio.length != nSamples || f0Hz.length != nFrames) {
            throw new IllegalArgumentException("example has " + audio.length + " samples and " + f0Hz.length
                    + " frames, expected " + nSamples + " and " + nFrames);
        }
        return this;
    }

    /** The four features as a {@link TfExample}. */
    public TfExample toTfExample() {
        return new TfExample().putFloats(AUDIO, audio).putFloats(F0_HZ, f0Hz)
                .putFloats(F0_CONFIDENCE, f0Confidence).putFloats(LOUDNESS_DB, loudnessDb);
    }

    /** Serialized {@code tf.train.Example} bytes. */
    public byte[] toBytes() {
        return toTfExample().toBytes();
    }

    /**
     * Reads the four features; extra keys are ignored.
     *
     * @throws IllegalArgumentException if a key is missing, not a float list, or lengths disagree
     */
    public static DdspExample fromTfExample(TfExample ex) {
        return new DdspExample(ex.getFloats(AUDIO), ex.getFloats(F0_HZ), ex.getFloats(F0_CONFIDENCE),
                ex.getFloats(LOUDNESS_DB));
    }

    /** Parses serialized {@code tf.train.Example} bytes. */
    public static DdspExample parse(byte[] bytes) {
        return fromTfExample(TfExample.parse(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DdspExample e && java.util.Arrays.equals(audio, e.audio) && java.util.Arrays.equals(f0Hz, e.f0Hz)
                && java.util.Arrays.equals(f0Confidence, e.f0Confidence) && java.util.Arrays.equals(loudnessDb, e.loudnessDb);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(audio) * 31 + java.util.Arrays.hashCode(f0Hz);
    }

    @Override
    public String toString() {
        return "DdspExample[" + audio.length + " samples, " + f0Hz.length + " frames]";
    }
}
