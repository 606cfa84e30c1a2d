/**
 * The entry point of tl-speech: {@link io.tl4j.speech.Speech} reads recordings, loads folders of
 * labelled clips and gives the pretrained keyword encoder; {@link io.tl4j.speech.SpeechComponents}
 * registers the audio and waveform pipelines and the wav2vec2 architecture so saved speech models load
 * back. Depends on io.tl4j.core and tl-speech's {@code audio}, {@code features}, {@code keyword} and
 * {@code wav2vec2} packages only.
 */
package io.tl4j.speech;
