/**
 * The pretrained backbones that can be had here without a network, each with its provenance and
 * licence: text encoders from Maven Central artifacts ({@link io.tl4j.examples.catalog.TextBackbones}), and
 * the keyword encoders ({@link io.tl4j.examples.catalog.SpeechBackbones}) and small Fashion-MNIST
 * ResNets ({@link io.tl4j.examples.catalog.VisionBackbones}) tl4j pretrained itself. They are the
 * candidates of {@link io.tl4j.examples.ModelSelectionQuickStart}, {@link
 * io.tl4j.examples.SpeechModelSelection} and {@link io.tl4j.examples.VisionModelSelection}.
 */
package io.tl4j.examples.catalog;
