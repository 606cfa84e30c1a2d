/**
 * Images into arrays: the input pipelines for decoded or file images ({@link
 * io.tl4j.vision.image.ImagePipeline}) and small in-memory images ({@link
 * io.tl4j.vision.image.ArrayImagePipeline}) with normalisation and training-time augmentation,
 * strict decoding with size limits checked from the header, and torchvision-style {@link
 * io.tl4j.vision.image.ImageFolder} data sets. Depends on DJL's API (including {@code
 * ai.djl.modality.cv.Image}), {@code javax.imageio}, SLF4J and io.tl4j.core only.
 */
package io.tl4j.vision.image;
