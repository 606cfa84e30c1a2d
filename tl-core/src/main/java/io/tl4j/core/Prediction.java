package io.tl4j.core;

/**
 * One class and how likely the model finds it.
 *
 * @param label the class name
 * @param index the class index in {@link TransferModel#classNames()}
 * @param probability the softmax probability
 */
public record Prediction(String label, int index, float probability) {}
