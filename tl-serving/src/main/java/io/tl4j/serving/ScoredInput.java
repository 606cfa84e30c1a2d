package io.tl4j.serving;

import java.util.List;

/**
 * Holds the outcome of one input's forward pass: its class probabilities and the model version that computed them.
 *
 * @param probabilities one probability per class, in the model's class order
 * @param classNames the model's class names
 * @param version the version of the model that computed them
 */
record ScoredInput(float[] probabilities, List<String> classNames, String version) {}
