package org.ddsp4j.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.ddsp4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConversionsTest {
    private final SplittableRandom rng = new SplittableRandom(3);

    @Test
    void decibelsMatchFormulasWithFloorAndRange() {
        Tensor p = Tensor.vector(1f, 0.1f, 100f, 1e-12f, 0f);
        float[] db = Conversions.powerToDb(p).data();
        float[] expected = {0f, -10f, 20f, -80f, -80f}; // floor 1e-8 -> -80 dB, range clip -80
        DspTestSupport.assertClose(expected, db, 1e-4, "powerToDb");
        float[] ref = Conversions.powerToDb(Tensor.vector(1f, 1e-3f), 1e-10f, 20f, 30f).data();
        DspTestSupport.assertClose(new float[] {-20f, -30f}, ref, 1e-4, "powerToDb ref/range"); // -50 clipped to -30
        DspTestSupport.assertClose(new float[] {-6.0206f, 20f}, Conversions.ampToDb(Tensor.vector(0.5f, 10f)).data(), 1e-3, "ampToDb");
        assertEquals(-6.0206f, Conversions.ampToDb(0.5f), 1e-3);
        assertEquals(-80f, Conversions.powerToDb(0f), 1e-4);
        DspTestSupport.assertClose(new float[] {0.5f, 10f}, Conversions.dbToAmp(Tensor.vector(-6.0206f, 20f)).data(), 1e-4, "dbToAmp");
        DspTestSupport.assertClose(new float[] {100f, 0.1f}, Conversions.dbToPower(Tensor.vector(20f, -10f)).data(), 1e-4, "dbToPower");
        assertEquals(0.01f, Conversions.dbToPower(-20f), 1e-7);
        assertEquals(0.1f, Conversions.dbToAmp(-20f), 1e-7);
    }

    @Test
    void midiAndHz() {
        DspTestSupport.assertClose(new float[] {69f, 81f, 60f, 0f, 0f},
                Conversions.hzToMidi(Tensor.vector(440f, 880f, 261.6256f, 0f, -5f)).data(), 1e-3, "hzToMidi");
        DspTestSupport.assertClose(new float[] {440f, 220f, 8.1758f},
                Conversions.midiToHz(Tensor.vector(69f, 57f, 0f)).data(), 1e-3, "midiToHz");
        assertEquals(60f, Conversions.hzToMidi(Conversions.midiToHz(60f)), 1e-4);
        assertEquals(0f, Conversions.hzToMidi(0f));
    }

    @Test
    void expSigmoidMatchesDefinition() {
        float[] xs = {-10f, -1f, 0f, 2f, 8f};
        float[] y = Conversions.expSigmoid(Tensor.vector(xs)).data();
        for (int i = 0; i < xs.length; i++) {
            double s = 1 / (1 + Math.exp(-xs[i]));
            double e = 2 * Math.pow(s, Math.log(10)) + 1e-7;
            assertEquals(e, y[i], 1e-6 * Math.max(1, e), "x=" + xs[i]);
            assertEquals(e, Conversions.expSigmoid(xs[i], 10, 2, 1e-7f), 1e-6 * Math.max(1, e));
        }
        // Very negative inputs: finite value near the threshold and finite gradient.
        Tensor x = Tensor.vector(-200f).requiresGrad(true);
        Tensor out = Conversions.expSigmoid(x);
        out.sum().backward();
        assertEquals(1e-7f, out.item(), 1e-9);
        assertEquals(0f, x.grad()[0], 1e-9);
    }

    @Test
    void fusedExpSigmoidMatchesCompositeOnManyValues() {
        // Composite of primitives (the definition as ops) as reference, on enough values for the parallel path.
        Tensor x = DspTestSupport.uniform(rng, -30f, 30f, 70000);
        Tensor w = DspTestSupport.uniform(rng, -1f, 1f, 70000);
        float p = (float) Math.log(3.0);
        Tensor y = Conversions.expSigmoid(x, 3f, 1.5f, 1e-4f);
        y.mul(w).sum().backward();
        float[] fused = y.data().clone(), gFused = x.grad().clone();
        x.zeroGrad();
        Tensor ref = x.neg().softplus().mul(-p).exp().mul(1.5f).add(1e-4f);
        ref.mul(w).sum().backward();
        for (int i = 0; i < fused.length; i++) {
            assertEquals(ref.data()[i], fused[i], 2e-6 * Math.max(1, Math.abs(ref.data()[i])), "value at x=" + x.data()[i]);
            assertEquals(x.grad()[i], gFused[i], 2e-6 * Math.max(1, Math.abs(x.grad()[i])), "gradient at x=" + x.data()[i]);
        }
    }

    @Test
    void gradients() {
        DspTestSupport.gradCheck("powerToDb", in -> Conversions.powerToDb(in[0]), DspTestSupport.uniform(rng, 0.2f, 3f, 2, 3));
        DspTestSupport.gradCheck("ampToDb", in -> Conversions.ampToDb(in[0], 1e-8f, 3f, 80f), DspTestSupport.uniform(rng, 0.2f, 3f, 5));
        DspTestSupport.gradCheck("dbToAmp", in -> Conversions.dbToAmp(in[0]), DspTestSupport.uniform(rng, -20f, 10f, 4));
        DspTestSupport.gradCheck("dbToPower", in -> Conversions.dbToPower(in[0]), DspTestSupport.uniform(rng, -20f, 5f, 4));
        DspTestSupport.gradCheck("hzToMidi", in -> Conversions.hzToMidi(in[0]), DspTestSupport.uniform(rng, 50f, 900f, 4));
        DspTestSupport.gradCheck("midiToHz", in -> Conversions.midiToHz(in[0]).div(100f), DspTestSupport.uniform(rng, 30f, 80f, 4));
        DspTestSupport.gradCheck("expSigmoid", in -> Conversions.expSigmoid(in[0]), DspTestSupport.uniform(rng, -5f, 5f, 2, 4));
        DspTestSupport.gradCheck("expSigmoid custom", in -> Conversions.expSigmoid(in[0], 3f, 1.5f, 1e-3f), DspTestSupport.uniform(rng, -5f, 5f, 6));
        // Clipped region: zero gradient.
        Tensor p = Tensor.vector(1e-12f).requiresGrad(true);
        Conversions.powerToDb(p).sum().backward();
        assertEquals(0f, p.grad()[0]);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Conversions.powerToDb(Tensor.vector(1f), 0f, 0f, 80f));
        assertThrows(IllegalArgumentException.class, () -> Conversions.powerToDb(Tensor.vector(1f), 1e-8f, 0f, -1f));
        assertThrows(IllegalArgumentException.class, () -> Conversions.expSigmoid(Tensor.vector(1f), 0f, 2f, 0f));
    }
}
