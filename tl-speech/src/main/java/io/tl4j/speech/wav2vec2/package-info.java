/**
 * wav2vec 2.0 and HuBERT encoders with Hugging Face's parameter names, read from Hugging Face model
 * directories ({@code config.json} and {@code model.safetensors}): as tl-core backbones for
 * classification ({@link io.tl4j.speech.wav2vec2.Wav2Vec2Backbones}) fed by {@link
 * io.tl4j.speech.wav2vec2.WaveformPipeline}, and with a CTC head for speech recognition ({@link
 * io.tl4j.speech.wav2vec2.Wav2Vec2ForCtc}, {@link io.tl4j.speech.wav2vec2.CtcLoss}, greedy
 * decoding), fine-tuned on tl-core's training loop by {@link io.tl4j.speech.wav2vec2.CtcFineTuner}.
 * Depends on DJL's API, Gson, SLF4J, io.tl4j.core (with its {@code nn}, {@code weights}, {@code
 * train}, {@code metrics} and {@code data} packages) and tl-speech's {@code weights} package only.
 */
package io.tl4j.speech.wav2vec2;
