package org.ddsp4j.audio;

/** Sample encodings that {@link AudioFile#writeWav} can write. */
public enum WavEncoding {
    /** 16-bit signed integer PCM (format tag 1); samples outside [-1, 1] are clipped. */
    PCM_16(16, 1),
    /** 32-bit IEEE float (format tag 3); samples are stored unchanged, no clipping. */
    FLOAT_32(32, 3);

    final int bitsPerSample;
    final int formatTag;

    WavEncoding(int bitsPerSample, int formatTag) {
        this.bitsPerSample = bitsPerSample;
        this.formatTag = formatTag;
    }
}
