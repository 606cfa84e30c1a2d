/**
 * Watches a deployed model: a {@link io.tl4j.core.monitor.ReferenceProfile} records what the model's
 * predictions (class mix, confidence) and, optionally, its backbone features looked like on held-out data,
 * and a {@link io.tl4j.core.monitor.DriftMonitor} compares sliding windows of live traffic with it (population
 * stability index for classes and confidence, standardised mean difference for features) and raises a
 * {@link io.tl4j.core.monitor.DriftAlert} to its listeners and the log when a threshold is crossed. Works in
 * any application, with or without a server.
 */
package io.tl4j.core.monitor;
