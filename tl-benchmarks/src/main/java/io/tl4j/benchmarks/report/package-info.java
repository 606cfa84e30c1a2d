/**
 * Turns benchmark outputs (JMH JSON, the PyTorch eager reference, the soak run) into the results
 * report {@code results/latest.md}, with tl4j/baseline ratios and the targets met. Depends on the
 * JDK and Gson only.
 */
package io.tl4j.benchmarks.report;
