package org.ddsp4j.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.ddsp4j.dsp.Conversions;
import org.ddsp4j.dsp.OscillatorBank;
import org.ddsp4j.dsp.WavetableSynth;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Sinusoidal and Wavetable processors: controls by hand, signal equals the DSP function on them. */
class SynthProcessorsTest {
    @Test
    void sinusoidalControlsAndSignal() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor rawA = Tensor.uniform(rng, -3f, 3f, 1, 4, 3), rawF = Tensor.uniform(rng, -4f, 4f, 1, 4, 3);
        rawF.data()[0] = 20f; // sigmoid ~ 1: 8 kHz, above Nyquist (7.5 kHz): silenced
        rawF.data()[1] = -20f; // sigmoid ~ 0: 20 Hz
        Sinusoidal p = new Sinusoidal(100, 15000f);
        Map<String, Tensor> c = p.getControls(Map.of("amplitudes", rawA, "frequencies", rawF));
        float[] hz = c.get("frequencies").data(), a = c.get("amplitudes").data();
        assertEquals(8000f, hz[0], 0.5f);
        assertEquals(20f, hz[1], 1e-3f);
        assertEquals(0f, a[0]);
        for (int i = 1; i < hz.length; i++) {
            double unit = 1 / (1 + Math.exp(-rawF.data()[i]));
            double midi = Conversions.hzToMidi(20f) + unit * (Conversions.hzToMidi(8000f) - Conversions.hzToMidi(20f));
            assertEquals(440 * Math.pow(2, (midi - 69) / 12), hz[i], 1e-3 * hz[i], "frequency " + i);
            assertEquals(Conversions.expSigmoid(rawA.data()[i], 10f, 2f, 1e-7f), a[i], 1e-5f, "amplitude " + i);
        }
        float[] y = p.getSignal(c).data(), e = OscillatorBank.render(c.get("frequencies"), c.get("amplitudes"), 100, 15000f).data();
        for (int i = 0; i < y.length; i++) assertEquals(e[i], y[i], 0f);
    }

    @Test
    void wavetableControlsAndSignal() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor rawA = Tensor.uniform(rng, -3f, 3f, 1, 4, 1), rawT = Tensor.uniform(rng, -3f, 3f, 1, 4, 16);
        Tensor f0 = Tensor.full(300f, 1, 4, 1);
        Wavetable p = new Wavetable(120, 16000f);
        Map<String, Tensor> c = p.getControls(Map.of("amplitudes", rawA, "wavetables", rawT, "f0_hz", f0));
        for (int i = 0; i < 16 * 4; i++) assertEquals(Math.tanh(rawT.data()[i]), c.get("wavetables").data()[i], 1e-6, "table " + i);
        for (int i = 0; i < 4; i++) assertEquals(Conversions.expSigmoid(rawA.data()[i], 10f, 2f, 1e-7f), c.get("amplitudes").data()[i], 1e-5f);
        assertTrue(c.get("f0_hz") == f0, "f0 is used as is");
        float[] y = p.getSignal(c).data();
        float[] e = WavetableSynth.render(c.get("wavetables"), f0, c.get("amplitudes"), 120, 16000f).data();
        for (int i = 0; i < y.length; i++) assertEquals(e[i], y[i], 0f);
        var ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> p.getControls(Map.of("amplitudes", rawA, "f0_hz", f0)));
        assertTrue(ex.getMessage().contains("wavetables"), ex.getMessage());
    }
}
