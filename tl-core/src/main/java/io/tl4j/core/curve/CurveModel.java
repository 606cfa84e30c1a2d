package io.tl4j.core.curve;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;

/**
 * Evaluates what one {@link CurveMethod} fitted, on the learning curve's test set. A functional
 * interface, so a classical model's {@code evaluate} method fits it: {@code bow.fit(train)::evaluate}.
 *
 * @param <I> the input type
 */
@FunctionalInterface
public interface CurveModel<I> extends AutoCloseable {

    /**
     * Evaluates the fitted model on labelled data.
     *
     * @param test the test set, with the training data's class names
     * @return the evaluation; the learning curve keeps its accuracy
     */
    ClassificationReport evaluate(LabeledData<I> test);

    /** Frees what the model holds (native memory, files); nothing by default. */
    @Override
    default void close() {}
}
