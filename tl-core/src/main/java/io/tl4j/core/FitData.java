package io.tl4j.core;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.MinimumData;
import io.tl4j.core.data.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of one fit, checked and labelled with the model's classes: the new task's training
 * examples, the pool they are drawn from (followed by the replay examples under rehearsal) and the
 * validation examples (given, or held out of the training data).
 *
 * @param classNames the model's classes: the new task's, then any only the replay data has
 * @param train the new task's training examples
 * @param pool the training examples followed by the replay examples
 * @param validation the validation examples, or null
 * @param <I> the raw input type
 */
record FitData<I>(List<String> classNames, LabeledData<I> train, LabeledData<I> pool, LabeledData<I> validation) {

    /**
     * Prepares a fit's data.
     *
     * @param config the run's configuration (validation split, early stopping, seed)
     * @param inputs the run's validation and replay data
     * @param data the labelled training data
     * @param <I> the raw input type
     * @return the prepared data
     * @throws IllegalArgumentException when the data cannot train a classifier or validate it; the
     *     message says why
     */
    static <I> FitData<I> of(TrainingConfig config, RunInputs<I> inputs, LabeledData<I> data) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException(
                    "The training data is empty: a classifier needs examples of at least" + " two classes");
        }
        LabeledData<I> train = data;
        LabeledData<I> val = inputs.validation();
        if (config.validationSplit() > 0) {
            MinimumData.requireSplittable(data, config.validationSplit());
            Split<I> split = data.stratifiedSplit(config.validationSplit(), config.seed());
            train = split.train();
            val = split.validation();
        }
        List<String> names = new ArrayList<>(train.classNames());
        if (inputs.replay() != null) {
            inputs.replay().classNames().stream()
                    .filter(n -> !names.contains(n))
                    .forEach(names::add);
        }
        List<String> classNames = List.copyOf(names);
        LabeledData<I> trainMapped = relabel(train, classNames);
        LabeledData<I> pool = inputs.replay() == null
                ? trainMapped
                : LabeledData.concat(trainMapped, relabel(inputs.replay(), classNames));
        LabeledData<I> validation = val == null ? null : relabel(val, classNames);
        MinimumData.requireTrainable(pool, classNames, "training data");
        if (validation != null) {
            MinimumData.requireEveryClass(validation, train.classNames());
        }
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException(
                    "Early stopping needs validation data: call validationSplit(...) or validationData(...)");
        }
        return new FitData<>(classNames, trainMapped, pool, validation);
    }

    /**
     * Returns the number of the new task's training examples, which come first in the pool.
     *
     * @return the training set's size
     */
    int trainSize() {
        return train.size();
    }

    /**
     * Maps a data set's labels onto {@code names} by class name.
     *
     * @param data the data
     * @param names the model's classes
     * @param <I> the raw input type
     * @return the data labelled with indices into {@code names}
     * @throws IllegalArgumentException when a class of the data is not one of {@code names}
     */
    static <I> LabeledData<I> relabel(LabeledData<I> data, List<String> names) {
        if (data.classNames().equals(names)) {
            return data;
        }
        int[] map = new int[data.numClasses()];
        for (int c = 0; c < map.length; c++) {
            map[c] = names.indexOf(data.classNames().get(c));
            if (map[c] < 0) {
                throw new IllegalArgumentException(
                        "Class '" + data.classNames().get(c) + "' is not one of the model's classes " + names);
            }
        }
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[labels[i]];
        }
        return LabeledData.of(data.inputs(), labels, names);
    }
}
