/**
 * BERT-family encoders with Hugging Face's parameter names: the architecture as a layered DJL block,
 * {@link io.tl4j.nlp.bert.BertEncoder} (backbone, embeddings, masked-word prediction) and {@link
 * io.tl4j.nlp.bert.Bert}, which loads weights strictly from Hugging Face directories, ONNX exports
 * and TensorFlow checkpoints (read by tl-nlp's {@code weights} package). Depends on DJL's API, Gson,
 * SLF4J, io.tl4j.core (with {@code nn} and {@code weights}) and tl-nlp's {@code text} and {@code
 * weights} packages.
 */
package io.tl4j.nlp.bert;
