package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingListener;
import io.tl4j.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link CtcFineTuner} and {@link CtcObjective} on the tiny encoder and the toy tone language of
 * {@link ToySpeech}: the objective is {@link CtcLoss}, fine-tuning learns a few clips, freezing
 * keeps the feature encoder's weights, and bad clips are refused naming the clip.
 */
class CtcFineTunerTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(ToySpeech.ALPHABET);

    private static List<TranscribedClip> clips(long seed, String... texts) {
        Random random = new Random(seed);
        List<TranscribedClip> clips = new ArrayList<>();
        for (String text : texts) {
            clips.add(new TranscribedClip(ToySpeech.speak(text, random), text));
        }
        return clips;
    }

    private static Wav2Vec2ForCtc tinyModel(NDManager manager) {
        Engine.getInstance().setRandomSeed(7);
        return Wav2Vec2ForCtc.create(ToySpeech.tinyConfig(), VOCABULARY.size(), manager);
    }

    /** The mean CTC loss of all clips in one batch, in inference mode. */
    private static float loss(Wav2Vec2ForCtc ctc, List<TranscribedClip> clips, NDManager manager) {
        try (NDManager sm = manager.newSubManager()) {
            TrainingLoop.Batch batch =
                    CtcTrainingData.of(clips, VOCABULARY, ctc.config()).batch(sm, indices(clips));
            NDList out = ctc.block().forward(new ParameterStore(sm, false), batch.inputs(), false);
            return new CtcObjective(new CtcLoss()).loss(out, batch.targets()).getFloat();
        }
    }

    private static List<String> transcripts(Wav2Vec2ForCtc ctc, List<TranscribedClip> clips, NDManager manager) {
        int samples = clips.stream().mapToInt(c -> c.samples().length).max().orElseThrow();
        float[] waves = new float[clips.size() * samples];
        long[] lengths = new long[clips.size()];
        for (int b = 0; b < clips.size(); b++) {
            float[] clip = clips.get(b).samples();
            System.arraycopy(clip, 0, waves, b * samples, clip.length);
            lengths[b] = clip.length;
        }
        try (NDManager sm = manager.newSubManager()) {
            return ctc.transcribe(sm.create(waves, new Shape(clips.size(), samples)), sm.create(lengths), VOCABULARY);
        }
    }

    private static int[] indices(List<?> list) {
        return IntStream.range(0, list.size()).toArray();
    }

    @Test
    void theObjectiveIsTheCtcLossAndCountsExactGreedyTranscripts() {
        List<TranscribedClip> clips = clips(1, "ab", "c", "bca");
        try (NDManager manager = NDManager.newBaseManager();
                Wav2Vec2ForCtc ctc = tinyModel(manager)) {
            CtcTrainingData data = CtcTrainingData.of(clips, VOCABULARY, ctc.config());
            TrainingLoop.Batch batch = data.batch(manager, indices(clips));
            NDList out = ctc.block().forward(new ParameterStore(manager, false), batch.inputs(), false);
            for (CtcLoss loss : List.of(new CtcLoss(), new CtcLoss(0, CtcLoss.Reduction.SUM, false))) {
                float expected = loss.evaluate(batch.targets(), out).getFloat();
                assertThat(new CtcObjective(loss).loss(out, batch.targets()).getFloat())
                        .isEqualTo(expected);
            }

            // ids: blank 0, a 1, b 2, c 3; frames of the first example spell "ab", the second "bb" (not "c").
            float[] scores = new float[2 * 4 * 4];
            int[][] best = {{1, 0, 2, 2}, {2, 2, 0, 2}};
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    scores[(b * 4 + t) * 4 + best[b][t]] = 5f;
                }
            }
            NDList logits = new NDList(manager.create(scores, new Shape(2, 4, 4)), manager.create(new long[] {4, 4}));
            NDList targets = new NDList(
                    manager.create(new long[] {1, 2, 3, 0}, new Shape(2, 2)), manager.create(new long[] {2, 1}));
            assertThat(new CtcObjective(new CtcLoss()).correct(logits, targets)).isEqualTo(1);
        }
    }

    @Test
    void fineTuningLearnsToTranscribeTheTrainingClips() {
        List<TranscribedClip> clips = clips(3, "a", "b", "c", "ab", "ca", "bc");
        try (NDManager manager = NDManager.newBaseManager();
                Wav2Vec2ForCtc ctc = tinyModel(manager)) {
            float before = loss(ctc, clips, manager);
            List<String> transcriptsBefore = transcripts(ctc, clips, manager);
            List<Double> stepLosses = new ArrayList<>();
            long started = System.nanoTime();
            History history = CtcFineTuner.from(ctc, VOCABULARY)
                    .optimizer(OptimizerSpec.adamW(3e-3f, 0.005f))
                    .schedule(LearningRateSchedule.constant())
                    .epochs(30)
                    .batchSize(3)
                    .seed(5)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepInfo step) {
                            stepLosses.add(step.loss());
                        }
                    })
                    .fit(clips);
            double seconds = (System.nanoTime() - started) / 1e9;
            float after = loss(ctc, clips, manager);
            List<String> transcriptsAfter = transcripts(ctc, clips, manager);
            System.out.printf(
                    "CTC fine-tuner, %d steps in %.1f s: loss %.3f -> %.3f, transcripts %s -> %s%n",
                    stepLosses.size(), seconds, before, after, transcriptsBefore, transcriptsAfter);

            assertThat(history.size()).isEqualTo(30);
            assertThat(stepLosses).hasSize(60).allMatch(Double::isFinite);
            assertThat(after).isLessThan(0.1f * before);
            assertThat(transcriptsAfter).containsExactly("a", "b", "c", "ab", "ca", "bc");
            assertThat(history.last().metrics()).containsKey("train_accuracy");
        }
    }

    @Test
    void freezingTheFeatureEncoderKeepsItsWeightsBitIdentical() {
        List<TranscribedClip> clips = clips(4, "ab", "c");
        for (boolean freeze : new boolean[] {true, false}) {
            try (NDManager manager = NDManager.newBaseManager();
                    Wav2Vec2ForCtc ctc = tinyModel(manager)) {
                Map<String, float[]> before = new LinkedHashMap<>();
                ctc.stateDict().forEach((name, array) -> before.put(name, array.toFloatArray()));
                CtcFineTuner.from(ctc, VOCABULARY)
                        .freezeFeatureEncoder(freeze)
                        .learningRate(1e-2f)
                        .epochs(1)
                        .fit(clips);
                ctc.stateDict().forEach((name, array) -> {
                    boolean keeps = freeze && name.startsWith("wav2vec2.feature_extractor.");
                    if (keeps) {
                        assertThat(array.toFloatArray()).as(name).isEqualTo(before.get(name));
                    } else {
                        assertThat(array.toFloatArray()).as(name).isNotEqualTo(before.get(name));
                    }
                });
            }
        }
    }

    @Test
    void badClipsAndSettingsAreRefusedNamingWhatIsWrong() {
        try (NDManager manager = NDManager.newBaseManager();
                Wav2Vec2ForCtc ctc = tinyModel(manager)) {
            CtcFineTuner tuner = CtcFineTuner.from(ctc, VOCABULARY).epochs(1);
            float[] speech = clips(5, "ab").get(0).samples();
            assertThatThrownBy(() -> tuner.fit(List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one transcribed clip");
            assertThatThrownBy(() ->
                            tuner.fit(List.of(new TranscribedClip(speech, "ab"), new TranscribedClip(speech, "abd"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clip 1 (\"abd\")")
                    .hasMessageContaining("'d' at position 2");
            // the tiny encoder (kernels 10, 3, 2; strides 5, 2, 2) makes 13 frames of 280 samples; 12
            // characters with 3 doubled need 15
            float[] short280 = Arrays.copyOf(speech, 280);
            assertThatThrownBy(() -> tuner.fit(List.of(new TranscribedClip(short280, "abcabcaabbcc"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clip 0 (\"abcabcaabbcc\")")
                    .hasMessageContaining("make 13 frames")
                    .hasMessageContaining("needs 15");
            assertThatThrownBy(() -> tuner.fit(List.of(new TranscribedClip(new float[10], "a"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clip 0 (\"a\")")
                    .hasMessageContaining("too short");
            float[] broken = speech.clone();
            broken[17] = Float.NaN;
            assertThatThrownBy(() -> tuner.fit(List.of(new TranscribedClip(broken, "ab"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clip 0 (\"ab\"): sample 17");
            assertThatThrownBy(() -> CtcFineTuner.from(ctc, CtcVocabulary.ofCharacters("abcd")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("predicts 4 tokens")
                    .hasMessageContaining("has 5");
            assertThatThrownBy(() -> tuner.batchSize(0)).hasMessageContaining("batchSize must be positive");
            ctc.block().freezeParameters(true);
            assertThatThrownBy(() -> tuner.fit(List.of(new TranscribedClip(speech, "ab"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frozen");
        }
    }
}
