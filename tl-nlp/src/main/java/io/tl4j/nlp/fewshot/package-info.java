/**
 * Few-shot text classification on top of any sentence encoder: embedding texts with a frozen
 * backbone, nearest-centroid classification without training, self-training of a
 * logistic-regression head on the embeddings of an unlabelled pool ({@link
 * io.tl4j.nlp.fewshot.HeadSelfTraining}), and SetFit-style contrastive fine-tuning of the encoder.
 * Depends on DJL's API, SLF4J and io.tl4j.core (with its {@code data}, {@code adapt}, {@code metrics}, {@code nn}, {@code train} and {@code weights} packages) and tl-nlp's
 * {@code baseline} logistic regression; not on tl-nlp's BERT classes.
 */
package io.tl4j.nlp.fewshot;
