package org.ddsp4j.apps;

import java.util.Arrays;
import org.ddsp4j.dsp.Reverb;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.tensor.GradMode;
import org.ddsp4j.tensor.Tensor;

/**
 * Acoustic transfer (DDSP paper, section 5.3): the room a model learned, its reverb impulse
 * response, applied to any other audio at the model's sample rate.
 */
public final class RoomTransfer {
    private RoomTransfer() {}

    /**
     * Convolves {@code audio} with the model's impulse response ({@link Autoencoder#impulseResponse}).
     * The output is longer than the input by the IR length minus one sample, so the reverb tail is kept.
     *
     * @param audio   {@code [n]} samples at the model's rate
     * @param wetOnly true: the reverberated part only; false: dry + wet, as the model renders
     * @return {@code [n + taps - 1]} samples
     * @throws IllegalArgumentException when the model has no reverb or the audio is empty or not finite
     */
    public static float[] apply(Autoencoder model, float[] audio, boolean wetOnly) {
        float[] ir = model.impulseResponse();
        if (ir == null) {
            throw new IllegalArgumentException("the model has reverb.type " + org.ddsp4j.model.ModelConfig.lower(model.reverbType())
                    + ": it learned no room; use a model trained with reverb.type learned, exp_decay or double_slope");
        }
        return apply(ir, audio, wetOnly);
    }

    /**
     * Convolves {@code audio} with {@code ir} (tap 0 ignored: the dry path is the input itself).
     *
     * @param ir    {@code [taps]}, taps >= 1
     * @param audio {@code [n]}, n >= 1, finite
     * @return {@code [n + taps - 1]}: {@code y = (wetOnly ? 0 : x) + conv(x, ir with ir[0] = 0)}
     */
    public static float[] apply(float[] ir, float[] audio, boolean wetOnly) {
        if (audio.length == 0) throw new IllegalArgumentException("audio is empty; nothing to reverberate");
        if (ir.length == 0) throw new IllegalArgumentException("impulse response is empty");
        for (int i = 0; i < audio.length; i++) {
            if (!Float.isFinite(audio[i])) throw new IllegalArgumentException("audio sample " + i + " is " + audio[i] + "; must be finite");
        }
        int n = audio.length + ir.length - 1;
        // Reverb.apply cuts the tail at the input length: pad with silence so the tail is rendered.
        float[] padded = Arrays.copyOf(audio, n);
        try (GradMode g = GradMode.off()) {
            return Reverb.apply(Tensor.of(padded, 1, n), Tensor.of(ir.clone(), 1, ir.length), !wetOnly).data().clone();
        }
    }
}
