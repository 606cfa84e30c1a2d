package io.tl4j.vision.models;

import io.tl4j.core.Architecture;

/**
 * An image network with an optional classifier layer at its end ({@link ResNet}'s {@code fc},
 * {@link Vgg}'s {@code classifier.6}): with it the network outputs class scores, without it
 * features, which makes it a backbone.
 */
public interface ImageArchitecture extends Architecture {

    /** Returns the number of classes of the classifier layer; 0 when the network has none. */
    int numClasses();

    /**
     * Returns the same network with a classifier layer of that many classes, or none.
     *
     * @param numClasses the classes of the classifier layer, or 0 for none
     * @return the same network with that classifier (or none)
     */
    ImageArchitecture withNumClasses(int numClasses);

    /** Returns the parameter-name prefix of the classifier layer, e.g. {@code fc.}. */
    String classifierPrefix();

    /** Returns the name of the first convolution's weight, whose input channels are the network's. */
    String firstConvolutionWeight();
}
