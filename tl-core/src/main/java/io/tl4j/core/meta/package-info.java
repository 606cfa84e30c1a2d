/**
 * Prototypical networks (Snell et al., 2017): episodic meta-learning of a backbone so that new classes
 * are recognised from a few examples by the nearest class prototype, with no training at use time.
 * {@link io.tl4j.core.meta.EpisodeSampler} draws N-way K-shot episodes from labelled source classes,
 * {@link io.tl4j.core.meta.PrototypicalLoss} is the objective the shared training loop minimises on
 * them, {@link io.tl4j.core.meta.MetaLearner} runs that loop, and {@link
 * io.tl4j.core.meta.PrototypeClassifier} classifies new classes from a support set.
 */
package io.tl4j.core.meta;
