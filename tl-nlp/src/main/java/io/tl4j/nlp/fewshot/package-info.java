/**
 * Few-shot text classification on top of any sentence encoder: embedding texts with a frozen
 * backbone, nearest-centroid classification without training, and SetFit-style contrastive
 * fine-tuning of the encoder. Depends on DJL's API, SLF4J and io.tl4j.core (with its {@code data},
 * {@code metrics}, {@code nn}, {@code train} and {@code weights} packages); not on tl-nlp's BERT
 * classes.
 */
package io.tl4j.nlp.fewshot;
