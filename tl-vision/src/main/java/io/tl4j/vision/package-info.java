/**
 * The entry point of tl-vision: {@link io.tl4j.vision.Vision} names torchvision's ResNets and VGGs
 * and loads them with their weights (safetensors, Hugging Face directories, DJL {@code .params} or
 * TorchScript) as classifiers or backbones; {@link io.tl4j.vision.VisionComponents} registers the
 * architectures and image pipelines so saved vision models load back. Depends on io.tl4j.core and
 * tl-vision's {@code image}, {@code models} and {@code weights} packages only.
 */
package io.tl4j.vision;
