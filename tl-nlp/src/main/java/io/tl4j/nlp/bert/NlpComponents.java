package io.tl4j.nlp.bert;

import io.tl4j.core.Components;
import io.tl4j.nlp.text.TextPipeline;

/** Registers BERT architectures and text pipelines so saved models load back ({@code TransferModel.load}). */
public final class NlpComponents implements Components.Provider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public NlpComponents() {}

    @Override
    public void register() {
        Components.registerArchitecture(BertArchitecture.ID, BertArchitecture::fromConfig);
        Components.registerPipeline(TextPipeline.ID, TextPipeline::fromConfig);
    }
}
