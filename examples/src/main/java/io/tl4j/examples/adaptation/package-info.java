/**
 * The cases of {@code AdaptationQuickStart}: a Fashion-MNIST network meeting a "new camera", and the keyword
 * encoder meeting flite voices, each adapted with unlabelled target data by every method of tl-core's {@code
 * io.tl4j.core.adapt} and compared with no adaptation on the same split.
 */
package io.tl4j.examples.adaptation;
