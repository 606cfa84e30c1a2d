/**
 * Adapting a model to a new domain with unlabelled target data: {@link io.tl4j.core.adapt.Unlabelled} inputs passed
 * beside the labelled ones, BatchNorm statistics re-estimated on them (AdaBN, {@link
 * io.tl4j.core.adapt.BatchNormStatistics}), features aligned during training ({@link io.tl4j.core.adapt.CoralLoss}, or a {@link
 * io.tl4j.core.adapt.DomainDiscriminator} behind a {@link io.tl4j.core.adapt.GradientReversal} as in DANN),
 * and self-training with confident pseudo-labels ({@link io.tl4j.core.adapt.SelfTraining}). Everything here is
 * domain-agnostic: it works with any backbone and input type.
 */
package io.tl4j.core.adapt;
