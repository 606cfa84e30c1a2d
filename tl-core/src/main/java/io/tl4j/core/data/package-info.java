/**
 * Labelled data and what is done to it before training: the immutable {@link
 * io.tl4j.core.data.LabeledData}, seeded shuffling and train/validation splits, k-fold
 * cross-validation, cleaning (missing files, invalid, duplicate and conflicting examples), the
 * minimum-data checks and the NaN/infinity checks on batches. Depends on the JDK and DJL's {@code
 * ndarray} API only (for the finite-value checks); nothing else of tl4j.
 */
package io.tl4j.core.data;
