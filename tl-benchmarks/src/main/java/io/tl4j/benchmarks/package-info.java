/**
 * JMH benchmarks of tl4j's hot paths, each measured against a raw-DJL baseline doing the same work
 * in the same run (feature extraction, head training, ResNet-18 and BERT fine-tuning, inference,
 * tokenisation, log-mel), plus a native-memory soak run and a peak-RSS JMH profiler. Depends on
 * JMH, DJL (API, PyTorch engine, tokenizers), Gson and every tl4j library module; nothing depends
 * on it.
 */
package io.tl4j.benchmarks;
