package io.tl4j.core;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to build a network: a factory of fresh blocks plus an id and a configuration that are stored
 * in saved models, so {@link TransferModel#load} can build the same network again (see {@link
 * Components}).
 */
public interface Architecture {

    /**
     * Builds a new block. It may come back uninitialized (the caller initializes it for the
     * backbone's input shape) or with its parameters already set (a TorchScript module).
     *
     * @param manager the manager that owns whatever native memory the block needs beyond its
     *     parameters (a loaded model, for example)
     * @return a new block, sharing no parameters with earlier ones
     */
    Block newBlock(NDManager manager);

    /** Returns the id under which {@link Components} can rebuild this architecture. */
    String id();

    /**
     * Returns the settings {@link Components} rebuilds this architecture from: a record of the class
     * registered for {@link #id()}, written into a saved model's {@code model.json} as a JSON object
     * (see {@link io.tl4j.core.persist.ConfigJson} for the types it may hold).
     *
     * @return the configuration
     */
    Record config();

    /**
     * Wraps a factory of the user's own blocks. Such an architecture can be trained and saved;
     * loading the saved model back needs the same architecture again ({@link
     * TransferModel#load(java.nio.file.Path, Backbone)}) unless the id is registered in {@link
     * Components}.
     *
     * @param id a name for the architecture
     * @param factory builds a new, uninitialized block on each call
     * @return the architecture
     */
    static Architecture of(String id, Supplier<? extends Block> factory) {
        Objects.requireNonNull(factory, "factory");
        return new Architecture() {
            @Override
            public Block newBlock(NDManager manager) {
                return factory.get();
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public Record config() {
                return new Components.NoConfig();
            }
        };
    }
}
