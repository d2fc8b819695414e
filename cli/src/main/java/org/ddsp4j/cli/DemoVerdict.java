package org.ddsp4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ddsp4j.features.ResynthesisMetrics;

/**
 * The demo's pass/fail rules: what counts as "the model learned the instrument" after a few minutes
 * of training. A failed rule is a problem sentence naming the measured value and the limit; the demo
 * prints them as warnings and exits non-zero, so a garbage result cannot pass unnoticed.
 *
 * <p>Limits (loose on purpose: they separate "learned" from "noise", they are not quality targets):
 * resynthesis loudness L1 at most {@value #MAX_LOUDNESS_L1_DB} dB; resynthesis raw pitch accuracy
 * (within 50 cents) at least {@value #MIN_RPA}; f0 outliers at most {@value #MAX_OUTLIERS}; timbre
 * transfer pitch agreement at least {@value #MIN_RPA}; held-out spectral loss at most
 * {@value #MAX_LOSS_RATIO} of the untrained model's.
 */
final class DemoVerdict {
    static final double MAX_LOUDNESS_L1_DB = 6;
    static final double MIN_RPA = 0.8;
    static final double MAX_OUTLIERS = 0.05;
    static final double MAX_LOSS_RATIO = 0.6;

    private DemoVerdict() {}

    /**
     * @param resynth          metrics of the held-out resynthesis against its input
     * @param transferRpa      share of the transfer source's confident frames whose tracked output
     *                         pitch is within 50 cents of the (octave-shifted) source pitch
     * @param trainedLoss      held-out multi-scale spectral loss of the trained model
     * @param untrainedLoss    the same for the untrained model
     * @return the failed rules, empty when the result is good
     */
    static List<String> problems(ResynthesisMetrics resynth, double transferRpa, double trainedLoss, double untrainedLoss) {
        List<String> p = new ArrayList<>();
        if (!(resynth.loudnessL1Db() <= MAX_LOUDNESS_L1_DB)) {
            p.add(String.format(Locale.ROOT, "resynthesis loudness L1 is %.2f dB (limit %.0f dB): the model has not learned the"
                    + " instrument's level", resynth.loudnessL1Db(), MAX_LOUDNESS_L1_DB));
        }
        if (!(resynth.rawPitchAccuracy() >= MIN_RPA)) {
            p.add(String.format(Locale.ROOT, "resynthesis pitch is within 50 cents of the input on only %.1f %% of pitched frames"
                    + " (need %.0f %%)", 100 * resynth.rawPitchAccuracy(), 100 * MIN_RPA));
        }
        if (!(resynth.f0OutlierRatio() <= MAX_OUTLIERS)) {
            p.add(String.format(Locale.ROOT, "%.1f %% of pitched frames of the resynthesis are f0 outliers (limit %.0f %%)",
                    100 * resynth.f0OutlierRatio(), 100 * MAX_OUTLIERS));
        }
        if (!(transferRpa >= MIN_RPA)) {
            p.add(String.format(Locale.ROOT, "timbre transfer keeps the melody on only %.1f %% of pitched frames (need %.0f %%)",
                    100 * transferRpa, 100 * MIN_RPA));
        }
        if (!(trainedLoss <= MAX_LOSS_RATIO * untrainedLoss)) {
            p.add(String.format(Locale.ROOT, "held-out spectral loss %.3f is %.0f %% of the untrained model's %.3f (need <= %.0f %%)",
                    trainedLoss, 100 * trainedLoss / untrainedLoss, untrainedLoss, 100 * MAX_LOSS_RATIO));
        }
        return p;
    }
}
