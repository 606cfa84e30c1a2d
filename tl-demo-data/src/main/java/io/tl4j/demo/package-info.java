/**
 * Demo data for tl4j's examples and tests, kept out of the library jars: {@link
 * io.tl4j.demo.SyntheticWorld} makes related source and target classification tasks from one hidden
 * generator, so transfer can be shown with no download; {@link io.tl4j.demo.MnistSubset} and {@link
 * io.tl4j.demo.AdaptationWords} locate vendored MNIST digits and synthesized keyword clips, to be
 * read with tl-vision and tl-speech. Depends on the JDK only, so every module's tests may use it.
 */
package io.tl4j.demo;
