/**
 * Readers of speech weight files into maps keyed by Hugging Face's names: {@link
 * io.tl4j.speech.weights.Wav2Vec2Weights} sorts a wav2vec2 / HuBERT {@code model.safetensors} into
 * the encoder's and the CTC head's tensors. Names are not checked against a network here; loading
 * them into one does. Depends on DJL's API, SLF4J and io.tl4j.core's {@code weights} package only.
 */
package io.tl4j.speech.weights;
