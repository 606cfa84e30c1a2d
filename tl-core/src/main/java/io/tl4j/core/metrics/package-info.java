/**
 * What training and evaluation measured: per-epoch records and the run's {@link
 * io.tl4j.core.metrics.History}, and {@link io.tl4j.core.metrics.ClassificationReport} (accuracy,
 * per-class precision, recall and F1, macro-F1, confusion matrix). All immutable, with a JSON form.
 * Depends on the JDK and Gson only.
 */
package io.tl4j.core.metrics;
