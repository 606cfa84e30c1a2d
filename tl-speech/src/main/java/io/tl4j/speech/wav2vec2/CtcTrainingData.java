package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.train.TrainingLoop;
import java.util.Arrays;
import java.util.List;

/**
 * The training clips of a CTC fine-tuning run, checked once and encoded: each transcript as the
 * vocabulary's ids, each batch as zero-padded waveforms with their lengths (the encoder's packed
 * input) and the padded label ids with their lengths ({@link CtcObjective}'s targets).
 */
final class CtcTrainingData {

    private final List<TranscribedClip> clips;
    private final int[][] labels;
    private final int blank;

    private CtcTrainingData(List<TranscribedClip> clips, int[][] labels, int blank) {
        this.clips = clips;
        this.labels = labels;
        this.blank = blank;
    }

    /**
     * Checks and encodes training clips.
     *
     * @param clips the clips
     * @param vocabulary the head's tokens
     * @param config the encoder's architecture, which decides how many frames a clip makes
     * @return the encoded clips
     * @throws IllegalArgumentException naming the clip when there are none, a sample is not finite,
     *     a transcript has a character outside the vocabulary, or a clip makes too few frames for
     *     its transcript
     */
    static CtcTrainingData of(List<TranscribedClip> clips, CtcVocabulary vocabulary, Wav2Vec2Config config) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("CTC fine-tuning needs at least one transcribed clip, got none");
        }
        int[][] labels = new int[clips.size()][];
        for (int i = 0; i < clips.size(); i++) {
            TranscribedClip clip = clips.get(i);
            requireFinite(clip, i);
            try {
                labels[i] = vocabulary.encode(clip.transcript());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name(clip, i) + ": " + e.getMessage(), e);
            }
            requireEnoughFrames(clip, i, labels[i], config);
        }
        return new CtcTrainingData(List.copyOf(clips), labels, vocabulary.blank());
    }

    /** Returns the number of clips. */
    int size() {
        return clips.size();
    }

    /**
     * Returns a batch of clips: the encoder's input and the CTC targets.
     *
     * @param sm the manager that owns the arrays
     * @param idx the clips' indices
     * @return inputs {@code [packed waveforms (batch, 2, samples)]}, targets {@code [ids (batch,
     *     maxLabels), lengths (batch)]}
     */
    TrainingLoop.Batch batch(NDManager sm, int[] idx) {
        int n = idx.length;
        int samples = 1;
        int width = 1;
        for (int i : idx) {
            samples = Math.max(samples, clips.get(i).samples().length);
            width = Math.max(width, labels[i].length);
        }
        float[] waves = new float[n * samples];
        long[] lengths = new long[n];
        long[] ids = new long[n * width];
        long[] idLengths = new long[n];
        Arrays.fill(ids, blank);
        for (int b = 0; b < n; b++) {
            float[] clip = clips.get(idx[b]).samples();
            System.arraycopy(clip, 0, waves, b * samples, clip.length);
            lengths[b] = clip.length;
            int[] label = labels[idx[b]];
            for (int k = 0; k < label.length; k++) {
                ids[b * width + k] = label[k];
            }
            idLengths[b] = label.length;
        }
        NDList inputs =
                new NDList(Wav2Vec2Model.packInput(sm.create(waves, new Shape(n, samples)), sm.create(lengths)));
        return new TrainingLoop.Batch(inputs, new NDList(sm.create(ids, new Shape(n, width)), sm.create(idLengths)));
    }

    private static void requireFinite(TranscribedClip clip, int i) {
        float[] samples = clip.samples();
        for (int s = 0; s < samples.length; s++) {
            if (!Float.isFinite(samples[s])) {
                throw new IllegalArgumentException(name(clip, i) + ": sample " + s + " is " + samples[s]);
            }
        }
    }

    /** CTC needs a frame per label, and a blank frame between two equal labels in a row. */
    private static void requireEnoughFrames(TranscribedClip clip, int i, int[] label, Wav2Vec2Config config) {
        long frames = config.frames(clip.samples().length);
        int needed = label.length;
        for (int k = 1; k < label.length; k++) {
            needed += label[k] == label[k - 1] ? 1 : 0;
        }
        if (frames == 0) {
            throw new IllegalArgumentException(name(clip, i) + ": its " + clip.samples().length
                    + " samples are too short for the encoder, which needs at least " + config.receptiveField()
                    + " samples for one frame");
        }
        if (frames < needed) {
            throw new IllegalArgumentException(name(clip, i) + ": its " + clip.samples().length + " samples make "
                    + frames + " frames, too few for a transcript of " + label.length + " characters, which needs "
                    + needed + " (one per character, plus a blank between equal characters in a row)");
        }
    }

    private static String name(TranscribedClip clip, int i) {
        String text = clip.transcript();
        return "clip " + i + " (\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\")";
    }
}
