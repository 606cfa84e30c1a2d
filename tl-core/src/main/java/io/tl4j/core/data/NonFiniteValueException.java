package io.tl4j.core.data;

/**
 * A NaN or infinite value reached a place where it would silently become a wrong answer: an input
 * batch, or a model's class scores. The message names the example (its index in the caller's list
 * or data set) and where the value was found.
 */
public final class NonFiniteValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final int example;

    /**
     * Creates the exception.
     *
     * @param example the index of the first offending example in the caller's list or data set
     * @param message what was found, where, and what to do
     */
    public NonFiniteValueException(int example, String message) {
        super(message);
        this.example = example;
    }

    /**
     * Returns the index of the first offending example.
     *
     * @return the index in the caller's list or data set
     */
    public int example() {
        return example;
    }
}
