/**
 * Readers of image-network weight files into maps keyed by torchvision's {@code state_dict} names:
 * safetensors with torchvision or timm names (files or Hugging Face directories) and DJL {@code
 * .params} files. Names are not checked here; loading them into a network does. Depends on DJL's
 * API, Gson and io.tl4j.core only.
 */
package io.tl4j.vision.weights;
