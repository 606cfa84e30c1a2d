/**
 * The pretrained backbones that can be had here without a network, each with its provenance and
 * licence: text encoders from Maven Central artifacts and the keyword encoders tl4j pretrained
 * itself. They are the candidates of {@link io.tl4j.examples.ModelSelectionQuickStart}.
 */
package io.tl4j.examples.catalog;
