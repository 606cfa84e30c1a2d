package io.tl4j.core;

import io.tl4j.core.torchscript.TorchScriptBackbones;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry that turns the ids and configurations stored in a saved model back into
 * architectures and input pipelines. Built-ins are registered here; modules register theirs through
 * a {@link Provider} listed in {@code META-INF/services/io.tl4j.core.Components$Provider}, and
 * applications may call the {@code register} methods directly.
 */
public final class Components {

    /** Registers a module's architectures and pipelines; found with {@link ServiceLoader}. */
    public interface Provider {
        /** Calls {@link Components#registerArchitecture} and {@link Components#registerPipeline}. */
        void register();
    }

    private static final Map<String, Function<Map<String, String>, Architecture>> ARCHITECTURES =
            new ConcurrentHashMap<>();
    private static final Map<String, Function<Map<String, String>, InputPipeline<?>>> PIPELINES =
            new ConcurrentHashMap<>();
    private static volatile boolean providersLoaded;

    static {
        registerArchitecture(Architectures.MLP, c -> Architectures.fromConfig(Architectures.MLP, c));
        registerArchitecture(Architectures.CONV_NET, c -> Architectures.fromConfig(Architectures.CONV_NET, c));
        registerArchitecture(TorchScriptBackbones.ID, TorchScriptBackbones::fromConfig);
        registerPipeline(TensorPipeline.ID, TensorPipeline::fromConfig);
    }

    private Components() {}

    /**
     * Registers how to rebuild an architecture from its configuration.
     *
     * @param id the architecture id
     * @param factory builds the architecture from its configuration
     */
    public static void registerArchitecture(String id, Function<Map<String, String>, Architecture> factory) {
        ARCHITECTURES.put(id, factory);
    }

    /**
     * Registers how to rebuild an input pipeline from its configuration.
     *
     * @param id the pipeline id
     * @param factory builds the pipeline from its configuration
     */
    public static void registerPipeline(String id, Function<Map<String, String>, InputPipeline<?>> factory) {
        PIPELINES.put(id, factory);
    }

    /**
     * Rebuilds an architecture from its id and configuration.
     *
     * @param id an architecture id
     * @param config its configuration
     * @return the architecture
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown
     */
    public static Architecture architecture(String id, Map<String, String> config) {
        loadProviders();
        Function<Map<String, String>, Architecture> factory = id == null ? null : ARCHITECTURES.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("Unknown architecture '" + id + "'; registered: "
                    + new TreeSet<>(ARCHITECTURES.keySet())
                    + ". Register it in Components or pass the backbone to TransferModel.load(dir, backbone).");
        }
        return factory.apply(config);
    }

    /**
     * Rebuilds an input pipeline from its id and configuration.
     *
     * @param id a pipeline id
     * @param config its configuration
     * @return the pipeline
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown
     */
    public static InputPipeline<?> pipeline(String id, Map<String, String> config) {
        loadProviders();
        Function<Map<String, String>, InputPipeline<?>> factory = id == null ? null : PIPELINES.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("Unknown input pipeline '" + id + "'; registered: "
                    + new TreeSet<>(PIPELINES.keySet()));
        }
        return factory.apply(config);
    }

    /** Returns the ids of the registered architectures, providers on the class path included. */
    public static Set<String> architectureIds() {
        loadProviders();
        return Set.copyOf(ARCHITECTURES.keySet());
    }

    /** Returns the ids of the registered input pipelines, providers on the class path included. */
    public static Set<String> pipelineIds() {
        loadProviders();
        return Set.copyOf(PIPELINES.keySet());
    }

    private static void loadProviders() {
        if (!providersLoaded) {
            synchronized (Components.class) {
                if (!providersLoaded) {
                    ServiceLoader.load(Provider.class).forEach(Provider::register);
                    providersLoaded = true;
                }
            }
        }
    }
}
