/**
 * Zero-shot text classification: classes given by names or descriptions, embedded with a sentence
 * encoder ({@link io.tl4j.nlp.zeroshot.ClassDescriptions}, {@link io.tl4j.nlp.zeroshot.EncoderPrefixes});
 * each text goes to the most similar class ({@link io.tl4j.nlp.zeroshot.ZeroShotClassifier}), and
 * the class embeddings serve as the prior of a few-shot head once labels arrive.
 */
package io.tl4j.nlp.zeroshot;
