package io.tl4j.speech.wav2vec2;

import java.util.Objects;

/**
 * A recording and what is said in it, one training example of {@link CtcFineTuner}.
 *
 * @param samples the waveform, prepared as for {@link Wav2Vec2ForCtc#transcribe} (16 kHz for the
 *     published models; not copied, treat as read-only)
 * @param transcript the words spoken, in the characters of the head's {@link CtcVocabulary}
 */
public record TranscribedClip(float[] samples, String transcript) {

    /** Checks that neither part is missing. */
    public TranscribedClip {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(transcript, "transcript");
    }
}
