package org.ddsp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    @Test
    void writesSpectrogramAndDecompositionPngs(@TempDir Path tmp) throws Exception {
        Path model = TestModels.trained(tmp);
        Path out = tmp.resolve("plots");
        assertEquals(0, Main.run(new String[] {"plot", "--model", model.toString(), "--input", tmp.resolve("tone.wav").toString(),
                "--output", out.toString()}));
        BufferedImage spec = ImageIO.read(out.resolve(PlotCommand.SPECTROGRAMS).toFile());
        assertEquals(1000, spec.getWidth());
        assertEquals(2 * 320, spec.getHeight(), "input and resynthesis");
        BufferedImage dec = ImageIO.read(out.resolve(PlotCommand.DECOMPOSITION).toFile());
        assertEquals(6 * 220, dec.getHeight(), "loudness, f0, amplitude, distribution, noise, IR");

        Path notAudio = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertEquals(1, Main.run(new String[] {"plot", "--model", model.toString(), "--input", notAudio.toString(),
                "--output", out.toString()}), "a text file is not audio");
        assertEquals(1, Main.run(new String[] {"plot", "--model", model.toString(), "--input", tmp.resolve("tone.wav").toString(),
                "--output", notAudio.toString()}), "output must be a folder");
        assertTrue(Files.isRegularFile(notAudio));
    }
}
