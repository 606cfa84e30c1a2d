package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.tl4j.core.ModelSummary.Row;
import io.tl4j.core.ModelSummary.Status;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.ParameterNames;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A summary lists every layer's output shape, parameter count and status under a freezing. */
class ModelSummaryTest {

    private static final List<String> LAYERS = List.of("embed", "block1", "block2", "out");

    private static LayeredBlock network() {
        LayeredBlock block = new LayeredBlock();
        block.add(
                "embed", new SequentialBlock().add(Linear.builder().setUnits(16).build()));
        for (String name : List.of("block1", "block2")) {
            block.add(
                    name,
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(12).build())
                            .add(Activation.reluBlock()));
        }
        block.add("out", new SequentialBlock().add(Linear.builder().setUnits(8).build()));
        return block;
    }

    private static Backbone<float[]> backbone() {
        return Backbone.<float[]>builder()
                .setArchitecture(Architecture.of("summary-test", ModelSummaryTest::network))
                .setPipeline(TensorPipeline.of(new Shape(Fixtures.INPUT)))
                .build();
    }

    private static List<Status> statuses(ModelSummary summary) {
        return summary.rows().stream().map(Row::status).toList();
    }

    @Test
    void countsAreTheSumsOfParameterSizesAndShapesFollowTheLayers() {
        try (Backbone<float[]> backbone = backbone();
                NDManager manager = NDManager.newBaseManager()) {
            ModelSummary summary = backbone.summary(Freezing.none());
            long total = ParameterNames.of(backbone.instantiate(manager, 0)).values().stream()
                    .mapToLong(p -> p.getArray().size())
                    .sum();
            assertThat(summary.rows()).extracting(Row::layer).containsExactlyElementsOf(LAYERS);
            // Linear layers: inputs x units weights plus units biases
            assertThat(summary.rows())
                    .extracting(Row::parameters)
                    .containsExactly(64L * 16 + 16, 16L * 12 + 12, 12L * 12 + 12, 12L * 8 + 8);
            assertThat(summary.totalParameters()).isEqualTo(total);
            assertThat(summary.rows())
                    .extracting(Row::outputShape)
                    .containsExactly(
                            Optional.of(new Shape(16)),
                            Optional.of(new Shape(12)),
                            Optional.of(new Shape(12)),
                            Optional.of(new Shape(8)));
            assertThat(statuses(summary)).containsOnly(Status.TRAINABLE);
            assertThat(summary.toString()).contains("block2", "(12)", "Total 1,504 parameters: 1,504 trainable");
        }
    }

    @Test
    void statusesFollowFreezeUntilAndTheCache() {
        try (Backbone<float[]> backbone = backbone()) {
            ModelSummary until = backbone.summary(Freezing.until("block2"));
            assertThat(statuses(until))
                    .containsExactly(Status.CACHED, Status.CACHED, Status.TRAINABLE, Status.TRAINABLE);
            assertThat(until.parameters(Status.CACHED)).isEqualTo(64L * 16 + 16 + 16 * 12 + 12);

            // a frozen layer after a trainable one runs on every batch: frozen, not cached
            ModelSummary middle = backbone.summary(Freezing.where("block1"::equals));
            assertThat(statuses(middle))
                    .containsExactly(Status.TRAINABLE, Status.FROZEN, Status.TRAINABLE, Status.TRAINABLE);

            assertThat(statuses(backbone.summary())).containsOnly(Status.CACHED);
            assertThatThrownBy(() -> backbone.summary(Freezing.until("block3")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unknown layer 'block3'");
        }
    }

    @Test
    void modelSummaryAddsTheHeadUnderTheTrainedFreezing() {
        try (Backbone<float[]> backbone = backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil("block2")
                        .featureCache(false)
                        .epochs(1)
                        .progressBar(false)
                        .fit(Fixtures.tiny(4, 1))) {
            ModelSummary summary = model.summary();
            assertThat(summary.rows())
                    .extracting(Row::layer)
                    .containsExactly("embed", "block1", "block2", "out", "head");
            assertThat(statuses(summary))
                    .containsExactly(
                            Status.FROZEN, Status.FROZEN, Status.TRAINABLE, Status.TRAINABLE, Status.TRAINABLE);
            Row head = summary.rows().get(4);
            assertThat(head.outputShape()).contains(new Shape(3));
            assertThat(head.parameters()).isEqualTo(8L * 3 + 3);
        }
    }

    @Test
    void aModelWithoutTrainingSettingsSaysItsStatusesAreUnknown() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(6);
                TransferModel<float[]> model =
                        LinearHeads.of(backbone, List.of("x", "y"), new float[2][6], new float[2])) {
            ModelSummary summary = model.summary();
            assertThat(statuses(summary)).containsOnly(Status.UNKNOWN);
            assertThat(summary.rows().get(summary.rows().size() - 1).parameters())
                    .isEqualTo(2L * 6 + 2);
            assertThat(summary.toString()).contains("no training settings");
        }
    }
}
