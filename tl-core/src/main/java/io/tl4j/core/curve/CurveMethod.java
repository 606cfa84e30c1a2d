package io.tl4j.core.curve;

import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import java.util.Objects;

/**
 * One way of learning on a learning curve: given a training subset and a seed, fits something and
 * returns a model to evaluate. Feature extraction, fine-tuning and training from scratch are {@link
 * #of(TransferLearner) TransferLearner configurations}; a classical baseline is a lambda, e.g. {@code
 * (train, seed) -> BagOfWordsLearner.create().seed(seed).fit(train)::evaluate}.
 *
 * @param <I> the input type
 */
@FunctionalInterface
public interface CurveMethod<I> {

    /**
     * Fits a model on a training subset.
     *
     * @param train the class-balanced training subset
     * @param seed the seed the subset was drawn with; use it for everything random in the fit
     * @return the fitted model; the learning curve evaluates it once and closes it
     */
    CurveModel<I> fit(LabeledData<I> train, long seed);

    /**
     * Makes a method of a configured learner: each fit runs {@code learner.seed(seed).fit(train)}, and
     * closing the returned model closes the {@link TransferModel}.
     *
     * @param learner the configured learner (freezing, head, epochs, rates)
     * @param <I> the input type
     * @return the method
     */
    static <I> CurveMethod<I> of(TransferLearner<I> learner) {
        Objects.requireNonNull(learner, "learner");
        return (train, seed) -> {
            TransferModel<I> model = learner.seed(seed).fit(train);
            return new CurveModel<>() {
                @Override
                public ClassificationReport evaluate(LabeledData<I> test) {
                    return model.evaluate(test);
                }

                @Override
                public void close() {
                    model.close();
                }
            };
        };
    }
}
