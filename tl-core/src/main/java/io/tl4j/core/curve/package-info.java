/**
 * Learning curves: how the test accuracy of several ways of learning grows with the number of labels
 * per class. {@link io.tl4j.core.curve.LearningCurve} draws one class-balanced training subset per
 * (labels per class, seed), the same for every {@link io.tl4j.core.curve.CurveMethod}, fits each
 * method on it, evaluates it on a fixed test set and returns a {@link
 * io.tl4j.core.curve.LearningCurveResult} (a text table, JSON and CSV; tl-report draws it). Domain
 * agnostic: a method is anything that fits on {@link io.tl4j.core.data.LabeledData}, a {@link
 * io.tl4j.core.TransferLearner} or a classical baseline. Depends on {@code io.tl4j.core}, its data
 * and metrics packages, Gson and SLF4J.
 */
package io.tl4j.core.curve;
