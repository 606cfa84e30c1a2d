/**
 * The parts of the training loop that users configure or observe: optimizer settings and the
 * {@link io.tl4j.core.train.Updater} that applies them per parameter, learning-rate schedules,
 * early stopping, the divergence guard, progress listeners, and per-epoch checkpoints with the
 * run fingerprint that makes resuming safe. The loop itself is {@code io.tl4j.core.FitRun}.
 * Depends on DJL's {@code ndarray} API, Gson, SLF4J, {@link io.tl4j.core.Provenance} and tl-core's
 * {@code data}, {@code metrics}, {@code persist} and {@code weights} packages; no domain module.
 */
package io.tl4j.core.train;
