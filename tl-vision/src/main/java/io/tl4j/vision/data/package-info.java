/**
 * Image data sets and a shipped backbone: IDX files (MNIST, Fashion-MNIST) read strictly, and {@link
 * io.tl4j.vision.data.FashionMnistResNet}, the small ResNet tl4j pretrained on Fashion-MNIST as the
 * offline default backbone for 28x28 grayscale images. Depends
 * on io.tl4j.core, Gson (the backbone's provenance file) and tl-vision's {@code image} and {@code
 * models} packages; no other domain module.
 */
package io.tl4j.vision.data;
