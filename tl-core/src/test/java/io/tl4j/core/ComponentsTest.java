package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.persist.ConfigJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry of architectures and pipelines, and their configurations' round trip through JSON. */
class ComponentsTest {

    @Test
    void builtInsRebuildFromTheirConfigurationsThroughJson() {
        for (Architecture architecture : List.of(Architectures.mlp(16, 8), Architectures.convNet(4, 8))) {
            Record json = ConfigJson.read(
                    ConfigJson.write(architecture.config()), Components.architectureConfigType(architecture.id()));
            assertThat(Components.architecture(architecture.id(), json).config())
                    .isEqualTo(architecture.config());
        }
        TensorPipeline pipeline = TensorPipeline.of(new Shape(1, 28, 28))
                .normalize(0.1307f, 0.3081f)
                .trainingNoise(0.05f);
        Record json =
                ConfigJson.read(ConfigJson.write(pipeline.config()), Components.pipelineConfigType(TensorPipeline.ID));
        assertThat(Components.pipeline(TensorPipeline.ID, json).config()).isEqualTo(pipeline.config());
        Head head = Head.mlp(32, 16).dropout(0.25f).activation(Head.Nonlinearity.GELU);
        assertThat(Head.fromConfig(ConfigJson.read(ConfigJson.write(head.config()), Head.Config.class))
                        .config())
                .isEqualTo(head.config());
    }

    @Test
    void anApplicationRegistersItsOwnArchitecture() {
        record Widths(List<Integer> widths) {}
        Components.registerArchitecture(
                "test.widths",
                Widths.class,
                w -> Architectures.mlp(
                        w.widths().stream().mapToInt(Integer::intValue).toArray()));
        assertThat(Components.architectureIds()).contains("test.widths", Architectures.MLP);
        assertThat(Components.architectureConfigType("test.widths")).isEqualTo(Widths.class);
        assertThat(Components.architecture("test.widths", new Widths(List.of(5)))
                        .config())
                .isEqualTo(new Architectures.Config(List.of(5)));
    }

    @Test
    void anUnknownIdListsTheRegisteredOnesAndAConfigOfAnotherClassIsNamed() {
        assertThatThrownBy(() -> Components.architecture("tl4j.nonesuch", new Components.NoConfig()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown architecture 'tl4j.nonesuch'")
                .hasMessageContaining(Architectures.MLP);
        assertThatThrownBy(() -> Components.pipelineConfigType("tl4j.nonesuch"))
                .hasMessageContaining("Unknown input pipeline 'tl4j.nonesuch'")
                .hasMessageContaining(TensorPipeline.ID);
        assertThatThrownBy(() -> Components.pipeline(TensorPipeline.ID, new Architectures.Config(List.of(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is configured by a " + TensorPipeline.Config.class.getName());
    }

    @Test
    void anArchitectureOfTheUsersOwnHasNoSettings() {
        assertThat(Architecture.of("mine", () -> null).config()).isEqualTo(new Components.NoConfig());
    }
}
