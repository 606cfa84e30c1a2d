package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.Backbone;
import io.tl4j.examples.catalog.TextBackbones;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model-selection quick start's fine-tuning recipes: flag parsing and what each freezes. */
class SelectionRecipeTest {

    @Test
    void readsTheRecipeFromItsFlagWithTopLayerAsTheDefault() {
        assertThat(SelectionRecipe.of(new String[] {"--seeds=1"})).isEqualTo(SelectionRecipe.TOP_LAYER);
        assertThat(SelectionRecipe.of(new String[] {"--recipe=full"})).isEqualTo(SelectionRecipe.FULL);
        assertThat(SelectionRecipe.of(new String[] {"--recipe=top"})).isEqualTo(SelectionRecipe.TOP_LAYER);
        assertThatThrownBy(() -> SelectionRecipe.of(new String[] {"--recipe=half"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--recipe=half")
                .hasMessageContaining("--recipe=full");
    }

    @Test
    void topLayerFreezesEveryLayerBelowTheLastEncoderLayerAndFullOnlyTheEmbeddings() {
        try (Backbone<String> zh = TextBackbones.BGE_SMALL_ZH_V15.backbone(ModelSelectionQuickStart.TOKENS)) {
            assertThat(SelectionRecipe.TOP_LAYER.learner(zh, 1).config().frozenLayers())
                    .containsExactlyInAnyOrder("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2");
            assertThat(SelectionRecipe.FULL.learner(zh, 1).config().frozenLayers())
                    .containsExactly("embeddings");
        }
    }

    @Test
    void topLayerRefusesABackboneWithoutEncoderLayersNamingItsLayers() {
        assertThatThrownBy(() -> SelectionRecipe.topEncoderLayer(List.of("block1", "block2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoder.layer.N")
                .hasMessageContaining("[block1, block2]");
    }
}
