/**
 * Synthetic data for demos and tests: {@link io.tl4j.core.demo.SyntheticWorld} makes related
 * source and target classification tasks from one hidden generator, so transfer can be shown with
 * no download. Depends on {@link io.tl4j.core.data} only.
 */
package io.tl4j.core.demo;
