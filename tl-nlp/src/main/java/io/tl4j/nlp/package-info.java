/**
 * The service provider of tl-nlp: {@link io.tl4j.nlp.NlpComponents} registers the BERT architecture
 * and the text pipelines in tl-core's {@code Components}. Depends on io.tl4j.core and tl-nlp's
 * {@code bert} and {@code text} packages only.
 */
package io.tl4j.nlp;
