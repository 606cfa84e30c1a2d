/**
 * Model selection before training: {@link io.tl4j.core.selection.ModelSelection} ranks candidate
 * backbones ({@link io.tl4j.core.selection.Candidate}) for a labelled task from one frozen forward
 * pass each, by transferability scores ({@link io.tl4j.core.selection.Score}: LogME, leave-one-out
 * kNN accuracy, cross-validated linear-probe accuracy) and measured cost ({@link
 * io.tl4j.core.selection.Cost}), into a {@link io.tl4j.core.selection.SelectionReport} that prints as
 * a table, JSON or CSV and recommends a candidate under {@link io.tl4j.core.selection.Constraints}.
 * {@link io.tl4j.core.selection.SelectionProof} checks that the scores predict fine-tuned accuracy
 * (Kendall's tau, top-1 regret, time against fine-tuning every candidate). The scores are plain Java on double arrays (a symmetric eigensolver, L-BFGS); features come through
 * {@link io.tl4j.core.FrozenFeatures}, the feature cache of {@link io.tl4j.core.TransferLearner#fit}.
 * Depends on the core API, the data package, DJL's API (the head's timed training step), Gson and
 * SLF4J.
 */
package io.tl4j.core.selection;
