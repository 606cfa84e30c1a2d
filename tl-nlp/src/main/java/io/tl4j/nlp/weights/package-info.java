/**
 * Readers of BERT weight files into float tensors under Hugging Face's names: ONNX exports ({@link
 * io.tl4j.nlp.weights.OnnxGraph}, converted by {@link io.tl4j.nlp.weights.OnnxBertWeights}) and
 * Google's TensorFlow checkpoints ({@link io.tl4j.nlp.weights.TfCheckpoint}, named by {@link
 * io.tl4j.nlp.weights.TfBertNames}), read directly from their wire formats with protobuf-java's
 * {@code CodedInputStream}, without generated classes. Names are not checked against a network
 * here; loading them into one does. Depends on protobuf-java and the JDK only.
 */
package io.tl4j.nlp.weights;
