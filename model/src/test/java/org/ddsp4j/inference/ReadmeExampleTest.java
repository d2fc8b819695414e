package org.ddsp4j.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.ddsp4j.audio.AudioFile;
import org.ddsp4j.audio.WavEncoding;
import org.ddsp4j.model.Autoencoder;
import org.ddsp4j.model.ModelDir;
import org.ddsp4j.model.TestConfigs;
import org.ddsp4j.nn.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Use it from Java" example compiles against the API and runs on a real model directory. */
class ReadmeExampleTest {
    @Test
    void readmeExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("## Use it from Java.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has a 'Use it from Java' section with a java block");
        String source = m.group(1);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(cls.find());
        String name = cls.group(1);
        assertTrue(source.lines().count() <= 25, "the example stays short");
        Path src = tmp.resolve(name + ".java"), classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, "-proc:none", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the README example compiles: " + err);

        // A model directory (small, untrained) and a sung-like input.
        Path modelDir = tmp.resolve("model");
        Autoencoder model = new Autoencoder(TestConfigs.small());
        ModelDir dir = new ModelDir(modelDir);
        dir.writeConfig(model.config());
        dir.writeCheckpoint(model, new Adam(model, Adam.Config.defaults()), 0, 0);
        int sr = model.config().sampleRate();
        float[] voice = new float[sr];
        for (int t = 0; t < sr; t++) voice[t] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * t / sr));
        Path in = tmp.resolve("voice.wav"), out = tmp.resolve("out.wav");
        AudioFile.writeWav(in, voice, sr, WavEncoding.PCM_16);

        PrintStream old = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass(name).getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {modelDir.toString(), in.toString(), out.toString()});
        } finally {
            System.setOut(old);
        }
        float[] y = AudioFile.readMono(out, sr);
        assertEquals(sr, y.length, "one second in, one second out");
        assertTrue(printed.toString().contains("octave shift"), printed.toString());
        double energy = 0;
        for (float v : y) energy += v * v;
        assertTrue(energy > 0, "the transfer is not silent");
    }
}
