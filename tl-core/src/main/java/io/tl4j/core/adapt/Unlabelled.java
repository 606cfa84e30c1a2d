package io.tl4j.core.adapt;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Inputs without labels from the domain a model should adapt to, passed beside the labelled data:
 * {@code learner.fit(labelled, Unlabelled.of(targetInputs))}. Training never reads labels from here;
 * {@link #hidingLabels} keeps known labels aside only to report how good pseudo-labels were.
 *
 * @param <I> the raw input type, the backbone pipeline's
 */
public final class Unlabelled<I> {

    private final List<I> inputs;
    private final LabeledData<I> truth;

    private Unlabelled(List<I> inputs, LabeledData<I> truth) {
        this.inputs = inputs;
        this.truth = truth;
    }

    /**
     * Wraps unlabelled inputs.
     *
     * @param inputs at least one input, none null
     * @param <I> the raw input type
     * @return the unlabelled data
     * @throws IllegalArgumentException when the list is empty or an input is null, naming its index
     */
    public static <I> Unlabelled<I> of(List<I> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("Unlabelled data needs at least one input, got none");
        }
        List<I> copy = new ArrayList<>(inputs);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null) {
                throw new IllegalArgumentException("Unlabelled input " + i + " is null");
            }
        }
        return new Unlabelled<>(Collections.unmodifiableList(copy), null);
    }

    /**
     * Wraps labelled inputs as unlabelled ones, keeping the labels only for reports (the accuracy of
     * pseudo-labels); training never sees them.
     *
     * @param data the inputs with their true labels
     * @param <I> the raw input type
     * @return the unlabelled data, with the labels set aside
     */
    public static <I> Unlabelled<I> hidingLabels(LabeledData<I> data) {
        Objects.requireNonNull(data, "data");
        return new Unlabelled<>(of(data.inputs()).inputs, data);
    }

    /** Returns the number of inputs. */
    public int size() {
        return inputs.size();
    }

    /** Returns the inputs, unmodifiable. */
    public List<I> inputs() {
        return inputs;
    }

    /** Returns whether true labels were set aside for reports ({@link #hidingLabels}). */
    public boolean hasTruth() {
        return truth != null;
    }

    /**
     * Returns the labels set aside by {@link #hidingLabels}, for reports only.
     *
     * @return the inputs with their true labels
     * @throws IllegalStateException when the data was made without labels
     */
    public LabeledData<I> truth() {
        if (truth == null) {
            throw new IllegalStateException("These unlabelled inputs carry no true labels (made by Unlabelled.of)");
        }
        return truth;
    }

    /**
     * Returns the inputs as labelled data with one placeholder class, for code that iterates labelled
     * data; the placeholder label means nothing.
     *
     * @return the inputs, each labelled 0 of the single class {@code "unlabelled"}
     */
    public LabeledData<I> withPlaceholderLabels() {
        return LabeledData.of(inputs, new int[inputs.size()], List.of("unlabelled"));
    }

    @Override
    public String toString() {
        return "Unlabelled[size=" + size() + (hasTruth() ? ", labels set aside" : "") + "]";
    }
}
