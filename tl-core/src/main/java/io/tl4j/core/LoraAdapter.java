package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.lora.LoraConfig;
import io.tl4j.core.metrics.History;
import io.tl4j.core.nn.LowRankUpdate;
import io.tl4j.core.train.RunFingerprint;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves what a LoRA fit trained, apart from the base model, and loads it back onto the base: the
 * updates' {@code lora_A} and {@code lora_B}, the head (and any added layers) in {@value #WEIGHTS},
 * and in {@value #DESCRIPTOR} the adapted layers, rank, alpha, classes, head and the sha256 of the
 * base weights it was trained on ({@link RunFingerprint#ofWeights}). Loading onto other base
 * weights is refused. Several adapters load over one {@link Backbone}, one model per task: with
 * {@link #load} each model holds its own copy of the base weights, with {@link #loadShared} all of
 * them read the backbone's.
 *
 * <pre>{@code
 * LoraAdapter.save(spamModel, Path.of("spam-adapter"));            // kilobytes
 * TransferModel<String> spam = LoraAdapter.load(minilm.backbone(), Path.of("spam-adapter"));
 * LoraAdapter.merge(spam);                                          // plain-network speed
 * }</pre>
 */
public final class LoraAdapter {

    /** The tensors' file in an adapter directory. */
    public static final String WEIGHTS = "adapter.safetensors";
    /** The settings' file in an adapter directory. */
    public static final String DESCRIPTOR = "adapter.json";

    private static final String FORMAT = "tl4j-lora-adapter";
    private static final Gson GSON = new Gson();

    private LoraAdapter() {}

    /** What {@value #DESCRIPTOR} holds. */
    private record Descriptor(
            String format,
            String baseSha256,
            String baseArchitecture,
            List<String> layers,
            int rank,
            float alpha,
            float dropout,
            List<String> classes,
            Head.Config head,
            List<Integer> adapterUnits) {}

    /**
     * Writes a model's LoRA updates and head to a directory.
     *
     * @param model a model trained on a {@link Lora#adapt LoRA backbone}, not merged
     * @param directory the adapter directory, created if needed
     * @throws IllegalArgumentException when the model has no LoRA update or a custom head
     * @throws IllegalStateException when its updates are merged
     */
    public static void save(TransferModel<?> model, Path directory) {
        Network net = model.network();
        Map<String, LowRankUpdate> updates = Lora.updates(net.backbone);
        if (updates.isEmpty()) {
            throw new IllegalArgumentException(
                    "The model has no LoRA update to save: train it on Lora.adapt(backbone, " + "config)");
        }
        if (updates.values().stream().anyMatch(LowRankUpdate::isMerged)) {
            throw new IllegalStateException("The model's LoRA updates are merged: unmerge them before saving");
        }
        if (model.head().isCustom()) {
            throw new IllegalArgumentException("An adapter cannot record a custom head; use Head.linear() or Head.mlp");
        }
        Map<String, NDArray> base = new LinkedHashMap<>();
        Map<String, NDArray> saved = new LinkedHashMap<>();
        StateDict.export(net.backbone)
                .forEach((name, array) -> (Lora.isLoraParameter(name) ? saved : base).put(name, array));
        StateDict.export(net.root).forEach((name, array) -> {
            if (!name.startsWith(Network.BACKBONE + ".")) {
                saved.put(name, array);
            }
        });
        LowRankUpdate first = updates.values().iterator().next();
        Descriptor descriptor = new Descriptor(
                FORMAT,
                RunFingerprint.ofWeights(base),
                model.architecture().id(),
                List.copyOf(updates.keySet()),
                (int) first.rank(),
                first.scale() * first.rank(),
                first.dropout(),
                model.classNames(),
                model.head().config(),
                java.util.Arrays.stream(model.adapterUnits()).boxed().toList());
        try {
            Files.createDirectories(directory);
            SafeTensors.write(directory.resolve(WEIGHTS), saved);
            Files.writeString(directory.resolve(DESCRIPTOR), GSON.toJson(descriptor), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the adapter to " + directory, e);
        }
    }

    /**
     * Loads an adapter onto the base backbone it was trained on, into a model that holds its own copy
     * of the base weights (so that it can be {@link #merge merged}).
     *
     * @param base the base backbone, without LoRA updates
     * @param directory an adapter directory written by {@link #save}
     * @param <I> the raw input type
     * @return the model; close it when done
     * @throws IllegalArgumentException naming both sha256 values when the base weights differ from
     *     those the adapter was trained on
     * @throws JsonParseException naming the file when the descriptor is malformed
     * @throws WeightMismatchException naming the file when its tensors do not fit the layers it names
     */
    public static <I> TransferModel<I> load(Backbone<I> base, Path directory) {
        return load(base, directory, false);
    }

    /**
     * Loads an adapter onto the base backbone it was trained on, into a model that reads the
     * backbone's own weight arrays instead of a copy: one loaded base serves many tasks, each adding
     * only its updates and head (kilobytes to a few megabytes). Predictions equal those of {@link
     * #load}, and, as for any model, are safe from several threads, across tasks too (the shared
     * weights are only read). Keep the backbone open while its models are used and close it after
     * them; closing one model leaves the others and the base intact. Such a model cannot be {@link
     * #merge merged}: that would write into weights other tasks read.
     *
     * <pre>{@code
     * try (Backbone<String> base = minilm.backbone(Pooling.MEAN, 128);
     *         TransferModel<String> spam = LoraAdapter.loadShared(base, spamDir);
     *         TransferModel<String> topic = LoraAdapter.loadShared(base, topicDir)) {
     *     spam.classify(text); topic.classify(text);         // one copy of MiniLM in memory
     * }
     * }</pre>
     *
     * @param base the base backbone, without LoRA updates; it must outlive the model
     * @param directory an adapter directory written by {@link #save}
     * @param <I> the raw input type
     * @return the model; close it when done, before the backbone
     * @throws IllegalArgumentException naming both sha256 values when the base weights differ from
     *     those the adapter was trained on
     * @throws JsonParseException naming the file when the descriptor is malformed
     * @throws WeightMismatchException naming the file when its tensors do not fit the layers it names
     */
    public static <I> TransferModel<I> loadShared(Backbone<I> base, Path directory) {
        return load(base, directory, true);
    }

    private static <I> TransferModel<I> load(Backbone<I> base, Path directory, boolean shared) {
        Descriptor d = readDescriptor(directory.resolve(DESCRIPTOR));
        String baseSha256 = base.weightsSha256();
        if (!baseSha256.equals(d.baseSha256())) {
            throw new IllegalArgumentException("LoRA adapter " + directory + " was trained on base weights with sha256 "
                    + d.baseSha256() + " but this backbone's weights have sha256 " + baseSha256 + " ("
                    + base.provenance().source() + ")");
        }
        LoraConfig config = new LoraConfig(d.rank(), d.alpha(), d.dropout(), d.layers(), 0);
        Head head = Head.fromConfig(d.head());
        int[] adapterUnits =
                d.adapterUnits().stream().mapToInt(Integer::intValue).toArray();
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> tensors = SafeTensors.read(directory.resolve(WEIGHTS), manager);
            Map<String, NDArray> updates = new LinkedHashMap<>();
            Map<String, NDArray> rest = new LinkedHashMap<>();
            tensors.forEach((name, array) -> (Lora.isLoraParameter(name) ? updates : rest).put(name, array));
            try (Backbone<I> adapted =
                    shared ? Lora.unweighted(base, config) : Lora.withUpdates(base, config, updates)) {
                Network net;
                Map<String, NDArray> all = new LinkedHashMap<>();
                if (shared) {
                    Block block = Lora.sharingBase(base, config, manager);
                    net = Network.sharingBase(
                            block,
                            base.featureShape(),
                            adapterUnits,
                            head,
                            d.classes().size(),
                            manager);
                    updates.forEach((name, array) -> all.put(Network.BACKBONE + "." + name, array));
                } else {
                    net = Network.build(adapted, adapterUnits, head, d.classes().size(), manager, 0);
                    StateDict.export(net.root).forEach((name, array) -> {
                        if (name.startsWith(Network.BACKBONE + ".")) {
                            all.put(name, array);
                        }
                    });
                }
                all.putAll(rest);
                try {
                    StateDict.loadSelected(net.root, all, name -> !shared || isAdapterParameter(name));
                } catch (WeightMismatchException e) {
                    throw e.inFile(directory.resolve(WEIGHTS));
                }
                return new TransferModel<>(
                        manager, net, adapted, head, adapterUnits, d.classes(), History.empty(), null, null);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Tells whether a network parameter is one an adapter file holds: an update, an added layer's or the head's. */
    private static boolean isAdapterParameter(String name) {
        return !name.startsWith(Network.BACKBONE + ".") || Lora.isLoraParameter(name);
    }

    /**
     * Merges a model's LoRA updates into its weights, for inference at the plain network's speed.
     *
     * @param model a model with LoRA updates
     * @return how many updates were merged
     * @throws IllegalStateException when they are merged already, or when the model shares its base
     *     weights ({@link #loadShared})
     */
    public static int merge(TransferModel<?> model) {
        if (model.network().sharesBase) {
            throw new IllegalStateException("This model reads base weights shared with other tasks"
                    + " (LoraAdapter.loadShared): merging would change them for every task; load the adapter"
                    + " with LoraAdapter.load to merge it");
        }
        return Lora.merge(model.network().backbone);
    }

    /**
     * Restores a merged model's weights exactly and turns its LoRA updates back on.
     *
     * @param model a merged model
     * @return how many updates were unmerged
     * @throws IllegalStateException when they are not merged
     */
    public static int unmerge(TransferModel<?> model) {
        return Lora.unmerge(model.network().backbone);
    }

    private static Descriptor readDescriptor(Path file) {
        Descriptor d;
        try {
            d = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Descriptor.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the LoRA adapter descriptor " + file, e);
        } catch (RuntimeException e) {
            throw new JsonParseException("Malformed LoRA adapter descriptor " + file + ": " + e.getMessage(), e);
        }
        if (d == null
                || !FORMAT.equals(d.format())
                || d.baseSha256() == null
                || d.layers() == null
                || d.classes() == null
                || d.head() == null
                || d.adapterUnits() == null) {
            throw new JsonParseException("Malformed LoRA adapter descriptor " + file + ": expected format '" + FORMAT
                    + "' with baseSha256, layers, classes, head and adapterUnits");
        }
        return d;
    }
}
