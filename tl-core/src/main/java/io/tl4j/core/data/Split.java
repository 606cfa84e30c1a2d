package io.tl4j.core.data;

import java.util.Objects;

/**
 * A data set divided into a training part and a validation part with the same class names.
 *
 * @param train the training examples
 * @param validation the validation examples
 * @param <I> the input type
 */
public record Split<I>(LabeledData<I> train, LabeledData<I> validation) {

    /**
     * Checks that both parts are present and have the same class names.
     *
     * @param train the training examples
     * @param validation the validation examples
     * @throws IllegalArgumentException if the class names differ
     */
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        if (!train.classNames().equals(validation.classNames())) {
            throw new IllegalArgumentException(
                    "class names differ: " + train.classNames() + " vs " + validation.classNames());
        }
    }
}
