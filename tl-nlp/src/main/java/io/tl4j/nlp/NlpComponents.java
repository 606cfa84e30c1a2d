package io.tl4j.nlp;

import io.tl4j.core.Components;
import io.tl4j.nlp.bert.BertArchitecture;
import io.tl4j.nlp.text.TextPairPipeline;
import io.tl4j.nlp.text.TextPipeline;

/**
 * Registers tl-nlp's architecture ({@link BertArchitecture}) and input pipelines ({@link
 * TextPipeline}, {@link TextPairPipeline}) in tl-core's {@link Components}, so that {@code
 * TransferModel.load(dir)} rebuilds saved text models. Found through {@code META-INF/services}.
 */
public final class NlpComponents implements Components.Provider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public NlpComponents() {}

    @Override
    public void register() {
        Components.registerArchitecture(
                BertArchitecture.ID, BertArchitecture.Config.class, BertArchitecture::fromConfig);
        Components.registerPipeline(TextPipeline.ID, TextPipeline.Config.class, TextPipeline::fromConfig);
        Components.registerPipeline(TextPairPipeline.ID, TextPipeline.Config.class, TextPairPipeline::fromConfig);
    }
}
