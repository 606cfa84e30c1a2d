package io.tl4j.examples;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The e-mails of the serving quick start: the vendored spam task split in half by class (seed 1), a few training
 * e-mails per class drawn from the first half, the whole second half as validation (its first {@value #PROFILED}
 * profile the model at fit time), and the first half's e-mails that were not drawn, which the model never sees.
 *
 * @param train the training e-mails
 * @param validation the held-out half, in its stored order
 * @param untrained the rest of the training half
 */
record ServingEmails(LabeledData<String> train, LabeledData<String> validation, LabeledData<String> untrained) {

    /** How many validation e-mails profile the model. */
    static final int PROFILED = 400;

    /**
     * Splits the vendored e-mails.
     *
     * @param perClass training e-mails per class
     * @return the split
     */
    static ServingEmails of(int perClass) {
        Split<String> split = SpamData.load().stratifiedSplit(0.5, 1);
        LabeledData<String> half = split.train();
        LabeledData<String> train = half.samplePerClass(perClass, 1);
        Set<String> drawn = new HashSet<>(train.inputs());
        LabeledData<String> untrained = half.subset(IntStream.range(0, half.size())
                .filter(i -> !drawn.contains(half.input(i)))
                .toArray());
        return new ServingEmails(train, split.validation(), untrained);
    }

    /** Returns the validation e-mails that profile the model at fit time: the first {@value #PROFILED}. */
    LabeledData<String> profile() {
        return validation.subset(IntStream.range(0, PROFILED).toArray());
    }

    /** Returns the e-mails the model neither trained on nor was profiled on: the rest of validation, then untrained. */
    LabeledData<String> unseen() {
        return LabeledData.concat(
                validation.subset(IntStream.range(PROFILED, validation.size()).toArray()), untrained);
    }
}
