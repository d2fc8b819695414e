package org.ddsp4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.io.SafeTensors;
import org.ddsp4j.tensor.Tensor;

/**
 * A network component holding named parameters and named submodules.
 *
 * <p>Parameters are leaf tensors with {@code requiresGrad}. Their full names are dotted paths through
 * the submodule tree, e.g. {@code decoder.gru.w_ih}; {@link #namedParameters()} lists them in a
 * stable order: a module's own parameters in registration order, then each submodule's, in
 * registration order, depth first. That order is what optimizers and weight files rely on.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();

    /** Registers {@code value} as parameter {@code name} (marked requiresGrad) and returns it. */
    protected final Tensor addParameter(String name, Tensor value) {
        checkName(name);
        if (!value.isLeaf()) throw new IllegalArgumentException("parameter '" + name + "' must be a leaf tensor, got the result of " + value.op());
        params.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers {@code module} as submodule {@code name} and returns it. */
    protected final <M extends Module> M addModule(String name, M module) {
        checkName(name);
        if (module == this) throw new IllegalArgumentException("module '" + name + "' cannot contain itself");
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("name must be non-empty without '.', got '" + name + "'");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already used in " + getClass().getSimpleName());
        }
    }

    /** All parameters by dotted name, in the stable order described in the class doc. */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct submodules by name, in registration order. */
    public final Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.size();
        return n;
    }

    /** Writes all parameters to a safetensors file (atomically), named as in {@link #namedParameters()}. */
    public final void save(Path file) throws IOException {
        save(file, SafeTensors.Precision.F32);
    }

    /** {@link #save(Path)} at a chosen precision ({@link SafeTensors.Precision#F16}: half the size, for shipping). */
    public final void save(Path file, SafeTensors.Precision precision) throws IOException {
        SafeTensors.write(file, namedParameters(), Map.of("format", "ddsp4j", "module", getClass().getSimpleName()), precision);
    }

    /**
     * Loads all parameters from a safetensors file, copying the values into the existing tensors.
     * Strict: names missing from the file, names in the file that this module lacks, and shape
     * mismatches are errors listing every offender; nothing is changed unless all match.
     */
    public final void load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        LinkedHashMap<String, Tensor> mine = namedParameters();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        for (String k : mine.keySet()) if (!c.tensors().containsKey(k)) missing.add(k);
        for (String k : c.tensors().keySet()) if (!mine.containsKey(k)) unexpected.add(k);
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor t = c.tensors().get(e.getKey());
            if (t != null && !Arrays.equals(t.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + " (file " + Arrays.toString(t.shape()) + ", module "
                        + Arrays.toString(e.getValue().shape()) + ")");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            throw new IOException(file + " does not match " + getClass().getSimpleName() + ": missing " + missing
                    + ", unexpected " + unexpected + ", shape mismatch " + mismatched);
        }
        // Weights that are NaN or infinite render silence or noise; refuse them instead.
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            float[] d = e.getValue().data();
            int bad = 0;
            for (float v : d) if (!Float.isFinite(v)) bad++;
            if (bad > 0) {
                throw new IOException(file + ": parameter " + e.getKey() + " has " + bad + " of " + d.length
                        + " values that are NaN or infinite (training diverged or the file was altered); use an earlier "
                        + "checkpoint or train again");
            }
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            float[] src = c.tensors().get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }
}
