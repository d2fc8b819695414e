package org.ddsp4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.ddsp4j.nn.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory refuses what would lose or silently spoil a model. */
class ModelDirTest {
    private static ModelDir trained(Path dir) throws IOException {
        Autoencoder m = new Autoencoder(TestConfigs.small());
        ModelDir d = new ModelDir(dir);
        d.writeConfig(m.config());
        d.writeCheckpoint(m, new Adam(m, Adam.Config.defaults()), 3, 1.5);
        return d;
    }

    @Test
    void anExportedModelPlaysTheSameNeverResumesAndReplacesOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));
        Path out = tmp.resolve("shipped");
        ModelDir e = d.exportTo(out, org.ddsp4j.io.SafeTensors.Precision.F32, false);
        assertFalse(e.readState().resumable());
        assertEquals(3, e.readState().step());
        try (var files = Files.list(out)) {
            assertEquals(Set.of("config.json", "state.json", "weights-00000003.safetensors"),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no optimizer state, no temporaries");
        }
        Autoencoder a = d.loadModel(), b = e.loadModel();
        assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
        for (var p : a.namedParameters().entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(p.getValue().data(), b.namedParameters().get(p.getKey()).data(), 0f, p.getKey());
        }
        IOException exists = assertThrows(IOException.class, () -> d.exportTo(out, org.ddsp4j.io.SafeTensors.Precision.F16, false));
        assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
        assertEquals(4 * a.parameterCount(), Files.size(out.resolve("weights-00000003.safetensors")), 4096, "untouched: still F32");
        d.exportTo(out, org.ddsp4j.io.SafeTensors.Precision.F16, true);
        assertEquals(2 * a.parameterCount(), Files.size(out.resolve("weights-00000003.safetensors")), 4096, "replaced: F16");
        try (var files = Files.list(tmp)) {
            assertEquals(Set.of("m", "shipped"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()),
                    "the old copy and the staging folder are gone");
        }
        assertThrows(IOException.class, () -> d.exportTo(tmp.resolve("m"), org.ddsp4j.io.SafeTensors.Precision.F16, true),
                "never onto itself");
    }

    @Test
    void aSecondLockIsRefusedNamingTheHolder(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));
        try (ModelDir.Lock l = d.lock()) {
            try (ModelDir.Lock again = d.lock()) {
                assertTrue(again == l, "the holding thread may take its own lock again");
            }
            Throwable[] other = new Throwable[1];
            Thread t = new Thread(() -> other[0] = assertThrows(IOException.class, d::lock));
            t.start();
            t.join();
            assertTrue(other[0].getMessage().contains("in use by process " + ProcessHandle.current().pid()), other[0].getMessage());
        }
        try (ModelDir.Lock again = d.lock()) {
            assertTrue(Files.exists(d.file(".lock")), "released locks can be taken again");
        }
    }

    @Test
    void stateNamingFilesOutsideTheDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));
        String good = Files.readString(d.file(ModelDir.STATE));
        for (String bad : new String[] {"../weights-00000003.safetensors", "/etc/passwd", "sub/weights-1.safetensors"}) {
            Files.writeString(d.file(ModelDir.STATE), good.replaceFirst("weights-[0-9]+\\.safetensors", bad.replace("\\", "\\\\")));
            var e = assertThrows(IOException.class, d::loadModel, bad);
            assertTrue(e.getMessage().contains("state.json") && e.getMessage().contains("inside the model directory"), e.getMessage());
        }
        Files.writeString(d.file(ModelDir.STATE), "{\"weights\": \"weights-00000003.safetensors\"}");
        var e = assertThrows(IOException.class, d::readState);
        assertTrue(e.getMessage().contains("\"step\" is missing"), e.getMessage());
    }

    @Test
    void nanWeightsAreRefused(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));
        Autoencoder m = d.loadModel();
        m.namedParameters().get("decoder.dense_out.b").data()[2] = Float.NaN;
        m.save(d.file(d.readState().weights()));
        var e = assertThrows(IOException.class, d::loadModel);
        assertTrue(e.getMessage().contains("decoder.dense_out.b") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void filesFollowTheUmaskAndStaleTemporariesGo(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(d.file(ModelDir.CONFIG));
        assertTrue(p.contains(PosixFilePermission.OWNER_READ));
        // A file created the ordinary way shows what the umask allows; atomic writes match it.
        Path plain = Files.createFile(tmp.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), p);
        Path stale = Files.writeString(d.file(".weights-00000009.safetensors.abc.tmp"), "partial");
        try (ModelDir.Lock l = d.lock()) {
            assertFalse(Files.exists(stale), "a killed write's temporary is removed when training takes the directory");
        }
    }

    /** A checkpoint that cannot be written (here: its file name is taken by a folder) says which one survived. */
    @Test
    void aFailedCheckpointSaysWhichOneSurvived(@TempDir Path tmp) throws Exception {
        ModelDir d = trained(tmp.resolve("m"));   // step 3 committed
        Files.createDirectories(d.file("weights-00000004.safetensors").resolve("blocker"));
        Autoencoder m = d.loadModel();
        var e = assertThrows(IOException.class, () -> d.writeCheckpoint(m, new Adam(m, Adam.Config.defaults()), 4, 2));
        assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("checkpoint of step 3 is intact"), e.getMessage());
        assertEquals(3, d.readState().step());
        d.loadModel();
    }
}
