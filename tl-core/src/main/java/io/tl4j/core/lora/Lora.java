package io.tl4j.core.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.nn.LowRankUpdate;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts LoRA updates on the linear layers of a block or a backbone, finds them again, and merges
 * them into their layers' weights and out again.
 *
 * <pre>{@code
 * try (Backbone<String> lora = Lora.adapt(minilm.backbone(), LoraConfig.rank(8).alpha(16))) {
 *     TransferModel<String> model = TransferLearner.from(lora).epochs(5).fit(data);
 *     LoraAdapter.save(model, Path.of("spam-adapter"));
 * }
 * }</pre>
 */
public final class Lora {

    private static final String A = "lora_A";
    private static final String B = "lora_B";

    private Lora() {}

    /**
     * Returns a copy of a backbone whose target linear layers carry LoRA updates: the base
     * weights as they are, {@code lora_B} at zero (so the copy computes exactly what the base
     * does) and {@code lora_A} drawn from the configuration's seed. Training it with {@link
     * io.tl4j.core.TransferLearner} trains only the updates and the head.
     *
     * @param base the pretrained backbone
     * @param config the rank, alpha, dropout and target layers
     * @param <I> the raw input type
     * @return the adapted backbone, which owns its own copy of the weights; close it when done
     * @throws IllegalArgumentException when a target matches no linear layer, listing those that exist
     */
    public static <I> Backbone<I> adapt(Backbone<I> base, LoraConfig config) {
        Map<String, NDArray> updates = new LinkedHashMap<>();
        try (Backbone<I> random = unweighted(base, config);
                NDManager scratch = NDManager.newBaseManager()) {
            Block block = random.instantiate(scratch, config.seed());
            ParameterNames.of(block).forEach((name, parameter) -> {
                if (isLoraParameter(name)) {
                    updates.put(name, parameter.getArray());
                }
            });
            return withUpdates(base, config, updates);
        }
    }

    /**
     * Returns a copy of a backbone whose target linear layers carry LoRA updates with given values
     * (a saved adapter's).
     *
     * @param base the pretrained backbone
     * @param config the rank, alpha, dropout and target layers
     * @param updates every update's {@code lora_A} and {@code lora_B} by parameter name
     * @param <I> the raw input type
     * @return the adapted backbone, which owns its own copy of the weights; close it when done
     * @throws IllegalArgumentException when a target matches no linear layer, listing those that exist
     * @throws io.tl4j.core.weights.WeightMismatchException when an update is missing, unexpected or
     *     mis-shaped (when the backbone is instantiated)
     */
    public static <I> Backbone<I> withUpdates(Backbone<I> base, LoraConfig config, Map<String, NDArray> updates) {
        Map<String, NDArray> weights = new LinkedHashMap<>(base.weights());
        weights.putAll(updates);
        return base.toBuilder()
                .setArchitecture(new LoraArchitecture(base.architecture(), config))
                .optWeights(weights)
                .optProvenance(provenance(base, config))
                .build();
    }

    /**
     * Returns a backbone that describes the LoRA version of a base without holding any weights: its
     * architecture, the base's pipeline and a provenance that records the LoRA settings. Cheap: it
     * copies nothing.
     *
     * @param base the pretrained backbone
     * @param config the rank, alpha, dropout and target layers
     * @param <I> the raw input type
     * @return the weightless backbone; close it when done
     */
    public static <I> Backbone<I> unweighted(Backbone<I> base, LoraConfig config) {
        return base.toBuilder()
                .setArchitecture(new LoraArchitecture(base.architecture(), config))
                .optWeights(Map.of())
                .optProvenance(provenance(base, config))
                .build();
    }

    /**
     * Builds the LoRA version of a base backbone's block whose base parameters are the backbone's own
     * weight arrays, not copies, frozen ({@link StateDict#share}); only the updates ({@code lora_A}
     * random from the configuration's seed, {@code lora_B} zero) are new, on {@code manager}. Many
     * such blocks, one per task, cost one copy of the base weights. The backbone must stay open while
     * a block is used, and nothing may write to the shared weights (merging is for a block that owns
     * its weights, {@link #adapt}).
     *
     * @param base the pretrained backbone, without LoRA updates
     * @param config the rank, alpha, dropout and target layers
     * @param manager owns the updates
     * @return the block, initialized
     * @throws IllegalArgumentException when a target matches no linear layer, listing those that exist
     * @throws io.tl4j.core.weights.WeightMismatchException when the base's weights do not fit the
     *     block's base parameters one to one
     */
    public static Block sharingBase(Backbone<?> base, LoraConfig config, NDManager manager) {
        Block block = new LoraArchitecture(base.architecture(), config).newBlock(manager);
        StateDict.share(block, base.weights(), name -> !isLoraParameter(name));
        if (!block.isInitialized()) {
            long[] sample = base.inputShape().getShape();
            long[] batch = new long[sample.length + 1];
            batch[0] = 1;
            System.arraycopy(sample, 0, batch, 1, sample.length);
            Engine.getInstance().setRandomSeed((int) config.seed());
            block.initialize(manager, DataType.FLOAT32, new Shape(batch));
        }
        return block;
    }

    private static Provenance provenance(Backbone<?> base, LoraConfig config) {
        return base.provenance().withNote(join(base.provenance().note(), "LoRA " + describe(config)));
    }

    /**
     * Adds a LoRA update to every target linear layer of a block.
     *
     * @param root the block
     * @param config the rank, alpha, dropout and target layers
     * @return the updates by the dotted path of their layer
     * @throws IllegalArgumentException when a target matches no linear layer, listing those that exist
     */
    public static Map<String, LowRankUpdate> attach(Block root, LoraConfig config) {
        Map<String, TorchLinear> linears = linearLayers(root);
        Set<String> chosen = new LinkedHashSet<>();
        for (String target : config.targets()) {
            List<String> matches = linears.keySet().stream()
                    .filter(path -> path.equals(target) || path.endsWith("." + target))
                    .toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("LoRA target '" + target + "' matches no linear layer; the "
                        + "linear layers are " + linears.keySet() + " (last names: " + lastNames(linears.keySet())
                        + ")");
            }
            chosen.addAll(matches);
        }
        Map<String, LowRankUpdate> updates = new LinkedHashMap<>();
        for (String path : linears.keySet()) {
            if (chosen.contains(path)) {
                updates.put(path, linears.get(path).addLowRankUpdate(config.rank(), config.alpha(), config.dropout()));
            }
        }
        return updates;
    }

    /**
     * Returns the linear layers of a block by dotted path ({@code encoder.layer.0.attention.self.query}).
     *
     * @param root the block
     * @return its {@link TorchLinear} descendants, in order
     */
    public static Map<String, TorchLinear> linearLayers(Block root) {
        Map<String, TorchLinear> linears = new LinkedHashMap<>();
        ParameterNames.blocks(root).forEach((path, block) -> {
            if (block instanceof TorchLinear linear) {
                linears.put(path, linear);
            }
        });
        return linears;
    }

    /**
     * Returns the LoRA updates of a block by the dotted path of their layer.
     *
     * @param root the block
     * @return the updates, in order; empty when it has none
     */
    public static Map<String, LowRankUpdate> updates(Block root) {
        Map<String, LowRankUpdate> updates = new LinkedHashMap<>();
        linearLayers(root).forEach((path, linear) -> linear.lowRankUpdate().ifPresent(u -> updates.put(path, u)));
        return updates;
    }

    /**
     * Merges every LoRA update of a block into its layer's weight, for inference at the plain
     * network's speed.
     *
     * @param root the block
     * @return how many updates were merged
     * @throws IllegalStateException when one is merged already
     */
    public static int merge(Block root) {
        Map<String, LowRankUpdate> updates = updates(root);
        updates.values().forEach(LowRankUpdate::merge);
        return updates.size();
    }

    /**
     * Restores every merged layer's weight exactly and turns the updates back on.
     *
     * @param root the block
     * @return how many updates were unmerged
     * @throws IllegalStateException when one is not merged
     */
    public static int unmerge(Block root) {
        Map<String, LowRankUpdate> updates = updates(root);
        updates.values().forEach(LowRankUpdate::unmerge);
        return updates.size();
    }

    /**
     * Tells whether a parameter name is a LoRA update's ({@code ...lora_A} or {@code ...lora_B}).
     *
     * @param name a dotted parameter name
     * @return true for a LoRA parameter
     */
    public static boolean isLoraParameter(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        return last.equals(A) || last.equals(B);
    }

    /**
     * Counts the values of a block's parameters that are LoRA's.
     *
     * @param root the block
     * @return the number of LoRA values
     */
    public static long parameterCount(Block root) {
        long count = 0;
        for (Map.Entry<String, Parameter> e : ParameterNames.of(root).entrySet()) {
            if (isLoraParameter(e.getKey())) {
                count += e.getValue().getShape().size();
            }
        }
        return count;
    }

    static String describe(LoraConfig config) {
        return "rank " + config.rank() + ", alpha " + config.alpha() + ", dropout " + config.dropout() + ", targets "
                + config.targets();
    }

    private static List<String> lastNames(Set<String> paths) {
        Set<String> names = new LinkedHashSet<>();
        paths.forEach(p -> names.add(p.substring(p.lastIndexOf('.') + 1)));
        return new ArrayList<>(names);
    }

    private static String join(String note, String more) {
        return note.isEmpty() ? more : note + "; " + more;
    }
}
