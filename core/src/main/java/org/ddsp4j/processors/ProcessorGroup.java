package org.ddsp4j.processors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ddsp4j.tensor.Tensor;

/**
 * A DAG of processors wired by name (ddsp's {@code processors.ProcessorGroup}). Each node has a name
 * and, for each of its processor's {@link Processor#inputNames() inputs} in order, the name of a
 * source: an external input (a key of the map given to {@link #run}) or an earlier node. Nodes run in
 * the order they were added.
 *
 * <pre>
 *   ProcessorGroup g = new ProcessorGroup()
 *       .add("harmonic", new Harmonic(64000, 16000), "amps", "harmonic_distribution", "f0_hz")
 *       .add("filtered_noise", new FilteredNoiseProcessor(64000, 1), "noise_magnitudes")
 *       .add("add", new Add(), "harmonic", "filtered_noise")
 *       .add("reverb", ReverbProcessor.trainable(48000, rng, true), "add");
 *   Map&lt;String, Tensor&gt; out = g.run(networkOutputs);  // out.get("add") is the audio without reverb
 * </pre>
 */
public final class ProcessorGroup {
    private record Node(String name, Processor processor, List<String> sources) {}

    private final List<Node> nodes = new ArrayList<>();

    /**
     * Appends a node.
     *
     * @param name      output name of the node (unique)
     * @param processor the processor
     * @param sources   one source name per processor input, in {@link Processor#inputNames()} order
     */
    public ProcessorGroup add(String name, Processor processor, String... sources) {
        for (Node n : nodes) {
            if (n.name.equals(name)) throw new IllegalArgumentException("ProcessorGroup: node name '" + name + "' is used twice");
        }
        if (sources.length != processor.inputNames().size()) {
            throw new IllegalArgumentException("ProcessorGroup: node '" + name + "' has " + sources.length + " sources but its processor takes "
                    + processor.inputNames());
        }
        nodes.add(new Node(name, processor, List.of(sources)));
        return this;
    }

    /**
     * Runs every node in order.
     *
     * @param inputs external inputs by name (raw network outputs, f0, ...)
     * @return the external inputs followed by every node's output by node name, in run order (so an
     *     application can take any intermediate signal, e.g. the mix before reverb)
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, Tensor> signals = new LinkedHashMap<>(inputs);
        for (Node n : nodes) {
            Map<String, Tensor> raw = new HashMap<>();
            List<String> names = n.processor.inputNames();
            for (int i = 0; i < names.size(); i++) {
                Tensor t = signals.get(n.sources.get(i));
                if (t == null) {
                    throw new IllegalArgumentException("ProcessorGroup: node '" + n.name + "' reads '" + n.sources.get(i)
                            + "', which is neither an input nor an earlier node; available: " + signals.keySet());
                }
                raw.put(names.get(i), t);
            }
            signals.put(n.name, n.processor.apply(raw));
        }
        return signals;
    }

    /** The last node's output from a {@link #run} result. */
    public Tensor output(Map<String, Tensor> signals) {
        if (nodes.isEmpty()) throw new IllegalStateException("ProcessorGroup has no nodes");
        return signals.get(nodes.get(nodes.size() - 1).name);
    }

    /** Node names in run order. */
    public List<String> nodeNames() {
        return nodes.stream().map(Node::name).toList();
    }

    /** Trainable parameters of all processors (e.g. the reverb IR). */
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>();
        for (Node n : nodes) p.addAll(n.processor.parameters());
        return p;
    }
}
