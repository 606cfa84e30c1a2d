/**
 * The non-neural baseline every text classifier should beat: TF-IDF bag-of-words vectors and an
 * L2-regularised multinomial logistic regression (L-BFGS) whose C is chosen by cross-validation.
 * Plain Java: depends on the JDK, SLF4J and tl-core's {@code data} and {@code metrics} packages
 * only; no DJL.
 */
package io.tl4j.nlp.baseline;
