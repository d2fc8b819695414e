package org.ddsp4j.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.TestConfigs;

/**
 * Renders of a seeded test model, used by {@link RenderDeterminismTest}: the same controls rendered
 * offline, a recording resynthesized offline and through the streaming path (what {@code ./ddsp
 * resynth} does with long files), each with the room. {@link #main} prints a hash per render, for
 * the test's interpreter-only JVM.
 */
public final class RenderProbe {
    private RenderProbe() {}

    static Map<String, float[]> renders() {
        Autoencoder m = new Autoencoder(TestConfigs.small());
        int sr = m.config().sampleRate(), frames = 60;
        float[] f0 = new float[frames], ld = new float[frames];
        for (int f = 0; f < frames; f++) {
            f0[f] = (float) (220 * Math.pow(2, f / 60.0));
            ld[f] = (float) (-40 + 25 * Math.sin(Math.PI * f / frames));
        }
        float[] x = new float[sr / 4];
        for (int t = 0; t < x.length; t++) x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 100.0 * t / sr) * t / sr));
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("render", m.render(f0, ld, null, true, 7));
        out.put("resynth", Instrument.of(m, 60, -30).resynthesize(x, true));
        out.put("resynth-streamed", Instrument.of(m, 60, -30).streamAbove(0.1).resynthesize(x, true));
        return out;
    }

    static String hash(float[] y) {
        long h = 1;
        for (float v : y) h = h * 1_000_003L + Float.floatToIntBits(v);
        return Long.toHexString(h);
    }

    public static void main(String[] args) {
        renders().forEach((k, v) -> System.out.println(k + "=" + hash(v)));
    }
}
