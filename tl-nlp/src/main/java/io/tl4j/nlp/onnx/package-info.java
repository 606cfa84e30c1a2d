/**
 * Exports tl4j's BERT encoders to ONNX: {@link io.tl4j.nlp.onnx.BertOnnx} writes the embeddings, the
 * encoder layers and the pooling, so that {@link io.tl4j.core.TransferModel#exportOnnx} can write a
 * BERT text classifier for any ONNX runtime.
 */
package io.tl4j.nlp.onnx;
