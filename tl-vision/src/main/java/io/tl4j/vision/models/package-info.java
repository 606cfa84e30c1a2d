/**
 * torchvision's ResNet 18-152, VGG 11-19 (with or without BatchNorm), MobileNetV3 Large and Small
 * EfficientNet B0-B3, ConvNeXt-Tiny, Inception-v3 and the Vision Transformers ViT-B/16, B/32 and L/16 (on
 * tl-core's shared transformer layer) as layered DJL blocks whose
 * layer and parameter names are torchvision's, the PyTorch-equivalent layers they need, ImageNet
 * labels, Hugging Face transformers' ViT naming ({@link io.tl4j.vision.models.HuggingFaceVit}),
 * and {@link io.tl4j.vision.models.PretrainedModel} (a network with strictly loaded weights,
 * as classifier or backbone). The architectures are registered with tl-core's {@code Components} so
 * saved models load back. Depends on DJL's API, io.tl4j.core and tl-vision's {@code weights}
 * package; no other domain module.
 */
package io.tl4j.vision.models;
