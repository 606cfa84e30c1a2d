package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterNamesTest {

    @Test
    void sequentialChildrenAreNumberedFromZero() {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(3).build());

        assertThat(ParameterNames.of(block).keySet())
                .containsExactly(
                        "0.weight",
                        "0.bias",
                        "1.gamma",
                        "1.beta",
                        "1.runningMean",
                        "1.runningVar",
                        "2.weight",
                        "2.bias");
    }

    @Test
    void sequentialOfDistinctClassesIsStillNumberedAndParameterlessChildrenCount() {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Activation.reluBlock())
                .add(BatchNorm.builder().build());

        assertThat(ParameterNames.of(block).keySet())
                .containsExactly("0.weight", "0.bias", "2.gamma", "2.beta", "2.runningMean", "2.runningVar");
    }

    @Test
    void namedChildrenKeepTheirNamesAndNestedNamesJoinWithDots() {
        Block encoder = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(Linear.builder().setUnits(8).build());
        Named block = new Named()
                .child("encoder", encoder)
                .child("head", Linear.builder().setUnits(2).build());

        Map<String, Parameter> names = ParameterNames.of(block);

        assertThat(names.keySet())
                .containsExactly(
                        "encoder.0.weight",
                        "encoder.0.bias",
                        "encoder.1.weight",
                        "encoder.1.bias",
                        "head.weight",
                        "head.bias");
        assertThat(names.get("head.weight"))
                .isSameAs(block.getChildren()
                        .get(1)
                        .getValue()
                        .getDirectParameters()
                        .get("weight"));
    }

    @Test
    void duplicateChildNamesFallBackToPositions() {
        Named block = new Named()
                .child("layer", Linear.builder().setUnits(2).build())
                .child("layer", Linear.builder().setUnits(2).build());

        assertThat(ParameterNames.of(block).keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias");
    }

    @Test
    void directParametersComeFirstWithTheirNamesAsTheyAre() {
        Named block = new Named("layer1.0.conv1.weight", "layer1.0.bn1.running_mean")
                .child("fc", Linear.builder().setUnits(2).build());

        assertThat(ParameterNames.of(block).keySet())
                .containsExactly("layer1.0.conv1.weight", "layer1.0.bn1.running_mean", "fc.weight", "fc.bias");
    }

    /** A block with named children and, like a TorchScript block, dotted direct parameters. */
    private static final class Named extends AbstractBlock {

        Named(String... parameters) {
            for (String parameter : parameters) {
                addParameter(Parameter.builder()
                        .setName(parameter)
                        .setType(Parameter.Type.WEIGHT)
                        .build());
            }
        }

        Named child(String name, Block child) {
            addChildBlock(name, child);
            return this;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
