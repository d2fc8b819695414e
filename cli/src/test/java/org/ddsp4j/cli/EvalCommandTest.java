package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ddsp4j.data.DdspExample;
import org.ddsp4j.data.TFRecordWriter;
import org.ddsp4j.features.AudioFeatures;
import org.ddsp4j.io.Json;
import org.ddsp4j.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @Test
    void evaluatesAnEvalSplitAndAFolderOfRecordings(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp);
        ModelConfig cfg = TestModels.config();
        // An eval split of three 0.2 s examples of the tone, with its features, as ./ddsp prepare writes it.
        Path data = Files.createDirectories(tmp.resolve("data"));
        float[] x = TestModels.tone(cfg, 0.6);
        int len = cfg.exampleFrames() * cfg.hop();
        try (OutputStream os = Files.newOutputStream(data.resolve("eval.tfrecord")); TFRecordWriter w = new TFRecordWriter(os)) {
            for (int e = 0; e < 3; e++) {
                float[] a = Arrays.copyOfRange(x, e * len, (e + 1) * len);
                AudioFeatures f = AudioFeatures.compute(a, cfg.sampleRate(), cfg.frameRate());
                w.write(new DdspExample(a, f.f0Hz(), f.f0Confidence(), f.loudnessDb()).toBytes());
            }
        }
        Path json = tmp.resolve("out/metrics.json");
        Files.createDirectories(json.getParent());
        assertEquals(0, Main.run(new String[] {"eval", "--model", model.toString(), "--data", data.toString(),
                "--output", json.toString(), "--max-examples", "2"}));
        Map<String, Object> m = Json.parseObject(Files.readString(json));
        assertEquals(2, ((Number) m.get("examples")).intValue());
        assertEquals(2, ((List<?>) m.get("per_example")).size());
        for (String k : List.of("loudness_l1_db", "spectral_loss")) {
            double v = ((Number) m.get(k)).doubleValue();
            assertTrue(Double.isFinite(v) && v >= 0, k + " = " + v);
        }
        assertEquals(2, ((Number) m.get("scored_examples")).intValue(), "a pure tone has confident f0 throughout");

        // a folder of recordings: the 0.5 s tone.wav gives two 0.2 s clips
        Path folder = Files.createDirectories(tmp.resolve("recordings"));
        Files.copy(tmp.resolve("tone.wav"), folder.resolve("tone.wav"));
        Path json2 = tmp.resolve("m2.json");
        assertEquals(0, Main.run(new String[] {"eval", "--model", model.toString(), "--data", folder.toString(), "--output", json2.toString()}));
        assertEquals(2, ((Number) Json.parseObject(Files.readString(json2)).get("examples")).intValue());

        assertEquals(1, Main.run(new String[] {"eval", "--model", model.toString(), "--data", tmp.resolve("nope").toString()}),
                "a missing data folder is an error");
        assertEquals(2, Main.run(new String[] {"eval", "--model", model.toString(), "--data", data.toString(), "--max-examples", "0"}));
        assertEquals(2, Main.run(new String[] {"eval", "--model", model.toString()}), "--data is required");
    }
}
