/**
 * Recordings as samples: the mono {@link io.tl4j.speech.audio.Audio} record, a strict WAV reader and
 * writer whose header is checked against {@link io.tl4j.speech.audio.AudioLimits} before any sample
 * is decoded, torchaudio-equivalent resampling, crop-or-pad to a fixed length, and labelled {@link
 * io.tl4j.speech.audio.AudioFolder} data sets. Plain Java: depends on the JDK, SLF4J and tl-core's
 * {@code data} package only; no DJL.
 */
package io.tl4j.speech.audio;
