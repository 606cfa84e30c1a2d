package io.tl4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link FiniteValues} decides from one sum when every value is finite and falls back to the
 * value-by-value check otherwise: finite values whose sum overflows pass, and a bad value is still
 * found and named by its example, whatever the sum.
 */
class FiniteValuesTest {

    private static final int[] EXAMPLES = {10, 11, 12, 13};

    @Test
    void finiteValuesWhoseSumOverflowsPass() {
        float[] values = new float[4 * 8];
        Arrays.fill(values, 3e38f);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = new NDList(manager.create(values, new Shape(4, 8)));
            assertThat(batch.head().sum().getFloat()).isInfinite();
            assertThatCode(() -> FiniteValues.requireFiniteInputs(batch, EXAMPLES, "p", "Training example"))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aNanAmongFiniteValuesNamesItsExample() {
        assertThat(badExample(2, Float.NaN, 1f)).isEqualTo(12);
    }

    @Test
    void anInfinityAmongValuesWhoseSumOverflowsNamesItsExample() {
        assertThat(badExample(3, Float.POSITIVE_INFINITY, 3e38f)).isEqualTo(13);
    }

    @Test
    void opposedInfinitiesWhoseSumIsNanNameTheFirstExample() {
        float[] values = new float[4 * 8];
        values[8 + 1] = Float.NEGATIVE_INFINITY;
        values[3 * 8] = Float.POSITIVE_INFINITY;
        assertThat(badExample(values)).isEqualTo(11);
    }

    /** The example named when row {@code row} holds {@code bad} among values {@code fill}. */
    private static int badExample(int row, float bad, float fill) {
        float[] values = new float[4 * 8];
        Arrays.fill(values, fill);
        values[row * 8 + 5] = bad;
        return badExample(values);
    }

    private static int badExample(float[] values) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = new NDList(manager.create(values, new Shape(4, 8)));
            NonFiniteValueException e = catchThrowableOfType(
                    NonFiniteValueException.class,
                    () -> FiniteValues.requireFiniteInputs(batch, EXAMPLES, "p", "Training example"));
            assertThat(e).as("a non-finite value must be refused").isNotNull();
            assertThat(e.getMessage()).contains("Training example " + e.example(), "pipeline 'p'");
            return e.example();
        }
    }
}
