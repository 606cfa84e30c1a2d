package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorPipelineTest {

    private static final List<float[]> INPUTS =
            List.of(new float[] {1, 2, 3, 4, 5, 6}, new float[] {-1, 0, 7, 8, 9, 10});

    @Test
    void passesValuesThroughInBatchOrderAndShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = TensorPipeline.of(new Shape(2, 3))
                    .batch(manager, INPUTS, true, new Random(1))
                    .singletonOrThrow();
            assertThat(batch.getShape()).isEqualTo(new Shape(2, 2, 3));
            assertThat(batch.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, -1, 0, 7, 8, 9, 10);
        }
    }

    @Test
    void standardisesAndAddsNoiseOnlyInTraining() {
        TensorPipeline pipeline =
                TensorPipeline.of(new Shape(6)).normalize(2f, 4f).trainingNoise(0.5f);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] eval = pipeline.batch(manager, INPUTS, false, new Random(1))
                    .singletonOrThrow()
                    .toFloatArray();
            assertThat(eval).containsExactly(-0.25f, 0f, 0.25f, 0.5f, 0.75f, 1f, -0.75f, -0.5f, 1.25f, 1.5f, 1.75f, 2f);
            float[] train = pipeline.batch(manager, INPUTS, true, new Random(1))
                    .singletonOrThrow()
                    .toFloatArray();
            Random expected = new Random(1);
            for (int i = 0; i < train.length; i++) {
                assertThat(train[i]).isEqualTo(eval[i] + (float) (expected.nextGaussian() * 0.5f));
            }
        }
    }

    @Test
    void refusesAnInputOfTheWrongSizeNamingIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> TensorPipeline.of(new Shape(6))
                            .batch(manager, List.of(INPUTS.get(0), new float[5]), false, new Random(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Input 1 of the batch has 5 values, expected 6");
        }
    }

    @Test
    void asAnArrayInputItTakesExactlyTheSampleSize() {
        ArrayInput input = TensorPipeline.of(new Shape(2, 3));
        assertThat(input.acceptsLength(6)).isTrue();
        assertThat(input.acceptsLength(5)).isFalse();
        assertThat(input.acceptsLength(7)).isFalse();
        assertThat(input.acceptedArrays()).isEqualTo("arrays of 6 numbers (sample shape (2, 3))");
    }

    @Test
    void batchesKeepTheirOwnValuesAndAnEmptyBatchHasNoRows() {
        TensorPipeline pipeline = TensorPipeline.of(new Shape(6)).normalize(1f, 2f);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first =
                    pipeline.batch(manager, INPUTS, false, new Random(1)).singletonOrThrow();
            NDArray second = pipeline.batch(manager, List.of(INPUTS.get(1), INPUTS.get(0)), false, new Random(1))
                    .singletonOrThrow();
            try (NDManager step = manager.newSubManager()) {
                pipeline.batch(step, List.of(new float[6]), false, new Random(1));
            }
            assertThat(first.toFloatArray()).containsExactly(0, 0.5f, 1, 1.5f, 2, 2.5f, -1, -0.5f, 3, 3.5f, 4, 4.5f);
            assertThat(second.toFloatArray()).containsExactly(-1, -0.5f, 3, 3.5f, 4, 4.5f, 0, 0.5f, 1, 1.5f, 2, 2.5f);
            NDArray empty =
                    pipeline.batch(manager, List.of(), false, new Random(1)).singletonOrThrow();
            assertThat(empty.getShape()).isEqualTo(new Shape(0, 6));
        }
    }
}
