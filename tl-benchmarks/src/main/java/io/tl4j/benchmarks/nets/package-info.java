/**
 * The benchmarked networks written with plain DJL blocks for the raw-DJL baselines: ResNet-18/50 and
 * VGG-16 in torchvision's layout, and a MiniLM-sized BERT classifier built on DJL's own {@code
 * BertBlock}. Depends on DJL's API and {@code io.tl4j.core.nn.LayeredBlock} only, so the same
 * networks can also serve as tl4j backbones.
 */
package io.tl4j.benchmarks.nets;
