/**
 * Building blocks of networks shared by every domain module: {@link io.tl4j.core.nn.LayeredBlock}
 * (named layers, run by range), PyTorch's layers under PyTorch's parameter names ({@link
 * io.tl4j.core.nn.TorchModule}, {@link io.tl4j.core.nn.TorchLinear}, {@link
 * io.tl4j.core.nn.TorchLayerNorm}, {@link io.tl4j.core.nn.TorchEmbedding}), the one transformer
 * encoder layer that BERT, wav2vec2 and ViT share ({@link io.tl4j.core.nn.TransformerEncoderLayer}
 * over {@link io.tl4j.core.nn.MultiHeadAttention}, named per model by {@link
 * io.tl4j.core.nn.TransformerNames}), {@link
 * io.tl4j.core.nn.HfConfigJson} (Hugging Face {@code config.json} files read into declared classes)
 * and {@link io.tl4j.core.nn.Scalars} (array-number arithmetic that stays valid in a backward
 * pass). Depends on DJL's API and Gson only.
 */
package io.tl4j.core.nn;
