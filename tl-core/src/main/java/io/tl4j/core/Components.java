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
 * architectures and input pipelines. Each id is registered with the record class of its
 * configuration (what {@link Architecture#config()} and {@link InputPipeline#config()} return, and
 * what {@code model.json} holds as a JSON object) and a factory that takes that record. Built-ins
 * are registered here; modules register theirs through a {@link Provider} listed in {@code
 * META-INF/services/io.tl4j.core.Components$Provider}, and applications may call the {@code
 * register} methods directly.
 */
public final class Components {

    /** Registers a module's architectures and pipelines; found with {@link ServiceLoader}. */
    public interface Provider {
        /** Calls {@link Components#registerArchitecture} and {@link Components#registerPipeline}. */
        void register();
    }

    /** The configuration of a component that has no settings, such as {@link Architecture#of}'s. */
    public record NoConfig() {}

    /** A configuration record class and the factory that builds a component from one. */
    private record Registration<T>(Class<? extends Record> configType, Function<Record, T> factory) {

        static <C extends Record, T> Registration<T> of(Class<C> type, Function<? super C, ? extends T> factory) {
            return new Registration<>(type, config -> factory.apply(type.cast(config)));
        }

        T build(String kind, String id, Record config) {
            if (!configType.isInstance(config)) {
                throw new IllegalArgumentException(kind + " '" + id + "' is configured by a " + configType.getName()
                        + ", not by "
                        + (config == null ? "null" : "a " + config.getClass().getName()));
            }
            return factory.apply(config);
        }
    }

    private static final Map<String, Registration<Architecture>> ARCHITECTURES = new ConcurrentHashMap<>();
    private static final Map<String, Registration<InputPipeline<?>>> PIPELINES = new ConcurrentHashMap<>();
    private static volatile boolean providersLoaded;

    static {
        registerArchitecture(
                Architectures.MLP, Architectures.Config.class, c -> Architectures.fromConfig(Architectures.MLP, c));
        registerArchitecture(
                Architectures.CONV_NET,
                Architectures.Config.class,
                c -> Architectures.fromConfig(Architectures.CONV_NET, c));
        registerArchitecture(
                TorchScriptBackbones.ID, TorchScriptBackbones.Config.class, TorchScriptBackbones::fromConfig);
        registerPipeline(TensorPipeline.ID, TensorPipeline.Config.class, TensorPipeline::fromConfig);
    }

    private Components() {}

    /**
     * Registers an architecture, replacing any registered under the same id.
     *
     * @param id the architecture id
     * @param configType the record class of its configuration
     * @param factory builds the architecture from its configuration
     * @param <C> the configuration's type
     */
    public static <C extends Record> void registerArchitecture(
            String id, Class<C> configType, Function<? super C, ? extends Architecture> factory) {
        ARCHITECTURES.put(id, Registration.of(configType, factory));
    }

    /**
     * Registers an input pipeline, replacing any registered under the same id.
     *
     * @param id the pipeline id
     * @param configType the record class of its configuration
     * @param factory builds the pipeline from its configuration
     * @param <C> the configuration's type
     */
    public static <C extends Record> void registerPipeline(
            String id, Class<C> configType, Function<? super C, ? extends InputPipeline<?>> factory) {
        PIPELINES.put(id, Registration.of(configType, factory));
    }

    /**
     * Builds a registered architecture from its configuration.
     *
     * @param id an architecture id
     * @param config its configuration, of the registered record class
     * @return the architecture
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown, or the
     *     expected class when {@code config} is of another
     */
    public static Architecture architecture(String id, Record config) {
        return architectureRegistration(id).build("Architecture", id, config);
    }

    /**
     * Builds a registered input pipeline from its configuration.
     *
     * @param id a pipeline id
     * @param config its configuration, of the registered record class
     * @return the pipeline
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown, or the
     *     expected class when {@code config} is of another
     */
    public static InputPipeline<?> pipeline(String id, Record config) {
        return pipelineRegistration(id).build("Input pipeline", id, config);
    }

    /**
     * Returns the record class that configures a registered architecture.
     *
     * @param id an architecture id
     * @return its configuration's class
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown
     */
    public static Class<? extends Record> architectureConfigType(String id) {
        return architectureRegistration(id).configType();
    }

    /**
     * Returns the record class that configures a registered input pipeline.
     *
     * @param id a pipeline id
     * @return its configuration's class
     * @throws IllegalArgumentException naming the known ids when {@code id} is unknown
     */
    public static Class<? extends Record> pipelineConfigType(String id) {
        return pipelineRegistration(id).configType();
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

    private static Registration<Architecture> architectureRegistration(String id) {
        loadProviders();
        Registration<Architecture> registration = id == null ? null : ARCHITECTURES.get(id);
        if (registration == null) {
            throw new IllegalArgumentException("Unknown architecture '" + id + "'; registered: "
                    + new TreeSet<>(ARCHITECTURES.keySet())
                    + ". Register it in Components or pass the backbone to TransferModel.load(dir, backbone).");
        }
        return registration;
    }

    private static Registration<InputPipeline<?>> pipelineRegistration(String id) {
        loadProviders();
        Registration<InputPipeline<?>> registration = id == null ? null : PIPELINES.get(id);
        if (registration == null) {
            throw new IllegalArgumentException(
                    "Unknown input pipeline '" + id + "'; registered: " + new TreeSet<>(PIPELINES.keySet()));
        }
        return registration;
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
