/**
 * The one training loop and its parts: {@link io.tl4j.core.train.TrainingLoop} runs epochs of
 * optimizer steps for any {@link io.tl4j.core.train.Objective} (cross-entropy here; contrastive and
 * CTC objectives live in tl-nlp and tl-speech), taking its batches and trainable parameters from the
 * caller's {@link io.tl4j.core.train.TrainingLoop.Run}. Around it: the {@link
 * io.tl4j.core.train.FreezePlan} that decides once what trains in which epoch, optimizer settings and
 * the {@link io.tl4j.core.train.Updater} that applies them per parameter, learning-rate schedules
 * (records, so a configuration holding one can be saved), early stopping, the divergence guard,
 * progress listeners, and per-epoch checkpoints with the run fingerprint that makes resuming safe.
 * {@code io.tl4j.core.TransferLearner.fit} drives the loop for classification. Depends on DJL's API,
 * Gson, SLF4J, {@link io.tl4j.core.Provenance} and tl-core's {@code data}, {@code metrics}, {@code
 * persist} and {@code weights} packages; no domain module.
 */
package io.tl4j.core.train;
