/**
 * Audio features computed on the engine, equal to torchaudio's: mel filterbanks, mel spectrograms,
 * decibels and MFCC, SpecAugment masking, and {@link io.tl4j.speech.features.AudioPipeline}, the
 * input pipeline that turns batches of recordings into standardised spectrogram images. Depends on
 * DJL's {@code ndarray} API, io.tl4j.core and tl-speech's {@code audio} package only.
 */
package io.tl4j.speech.features;
