package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Trains the tiny encoder with a CTC head on a toy tone language, with a DJL trainer and {@link
 * CtcLoss}: the loss falls, and with enough steps greedy decoding transcribes held-out utterances.
 */
class CtcFineTuningTest {

    private static final CtcVocabulary VOCABULARY = CtcVocabulary.ofCharacters(ToySpeech.ALPHABET);
    private static final List<ToySpeech.Utterance> TRAIN = ToySpeech.utterances(48, 1);
    private static final List<ToySpeech.Utterance> TEST = ToySpeech.utterances(24, 2);

    /** A padded batch: waveforms (B, maxSamples), sample lengths, targets (B, 3), target lengths. */
    static NDList batch(NDManager manager, List<ToySpeech.Utterance> utterances) {
        int n = utterances.size();
        int samples = ToySpeech.maxSamples();
        float[] waves = new float[n * samples];
        long[] lengths = new long[n];
        long[] targets = new long[n * 3];
        long[] targetLengths = new long[n];
        for (int b = 0; b < n; b++) {
            ToySpeech.Utterance u = utterances.get(b);
            System.arraycopy(u.samples(), 0, waves, b * samples, u.samples().length);
            lengths[b] = u.samples().length;
            int[] ids = VOCABULARY.encode(u.text());
            for (int i = 0; i < ids.length; i++) {
                targets[b * 3 + i] = ids[i];
            }
            targetLengths[b] = ids.length;
        }
        return new NDList(
                manager.create(waves, new Shape(n, samples)),
                manager.create(lengths),
                manager.create(targets, new Shape(n, 3)),
                manager.create(targetLengths));
    }

    private static double exactTranscripts(Wav2Vec2ForCtc ctc, List<ToySpeech.Utterance> set, NDManager manager) {
        try (NDManager sm = manager.newSubManager()) {
            NDList b = batch(sm, set);
            List<String> texts = ctc.transcribe(b.get(0), b.get(1), VOCABULARY);
            int correct = 0;
            for (int i = 0; i < set.size(); i++) {
                correct += texts.get(i).equals(set.get(i).text()) ? 1 : 0;
            }
            return correct / (double) set.size();
        }
    }

    private static float loss(Wav2Vec2ForCtc ctc, List<ToySpeech.Utterance> set, NDManager manager) {
        try (NDManager sm = manager.newSubManager()) {
            NDList b = batch(sm, set);
            NDList out = ctc.block()
                    .forward(
                            new ai.djl.training.ParameterStore(sm, false),
                            new NDList(Wav2Vec2Model.packInput(b.get(0), b.get(1))),
                            false);
            return new CtcLoss().evaluate(new NDList(b.get(2), b.get(3)), out).getFloat();
        }
    }

    /** Trains for {@code epochs} over TRAIN in batches of 8; returns [loss before, loss after, accuracy before, after]. */
    private static double[] train(int epochs) {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager();
                Wav2Vec2ForCtc ctc = Wav2Vec2ForCtc.create(ToySpeech.tinyConfig(), VOCABULARY.size(), manager);
                Model model = Model.newInstance("toy-asr")) {
            model.setBlock(ctc.block());
            float lossBefore = loss(ctc, TRAIN, manager);
            double accuracyBefore = exactTranscripts(ctc, TEST, manager);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new CtcLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (int start = 0; start < TRAIN.size(); start += 8) {
                        try (NDManager step = manager.newSubManager()) {
                            NDList b = batch(step, TRAIN.subList(start, start + 8));
                            NDArray x = Wav2Vec2Model.packInput(b.get(0), b.get(1));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                collector.backward(trainer.getLoss()
                                        .evaluate(new NDList(b.get(2), b.get(3)), trainer.forward(new NDList(x))));
                            }
                            trainer.step();
                        }
                    }
                }
            }
            double[] result = {
                lossBefore, loss(ctc, TRAIN, manager), accuracyBefore, exactTranscripts(ctc, TEST, manager)
            };
            System.out.printf(
                    "CTC toy task, %d epochs: loss %.3f -> %.3f, held-out exact transcripts %.2f -> %.2f%n",
                    epochs, result[0], result[1], result[2], result[3]);
            return result;
        }
    }

    @Test
    void freezingTheFeatureEncoderKeepsItsWeights() {
        try (NDManager manager = NDManager.newBaseManager();
                Wav2Vec2ForCtc ctc = Wav2Vec2ForCtc.create(ToySpeech.tinyConfig(), VOCABULARY.size(), manager);
                Model model = Model.newInstance("toy-asr")) {
            ctc.freezeFeatureEncoder();
            model.setBlock(ctc.block());
            java.util.Map<String, float[]> before = new java.util.LinkedHashMap<>();
            ctc.stateDict().forEach((name, array) -> before.put(name, array.toFloatArray()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new CtcLoss())
                            .optOptimizer(Optimizer.adam()
                                    .optLearningRateTracker(Tracker.fixed(1e-2f))
                                    .build()));
                    NDManager step = manager.newSubManager()) {
                NDList b = batch(step, TRAIN.subList(0, 8));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    collector.backward(trainer.getLoss()
                            .evaluate(
                                    new NDList(b.get(2), b.get(3)),
                                    trainer.forward(new NDList(Wav2Vec2Model.packInput(b.get(0), b.get(1))))));
                }
                trainer.step();
            }
            ctc.stateDict().forEach((name, array) -> {
                if (name.startsWith("wav2vec2.feature_extractor.")) {
                    assertThat(array.toFloatArray()).as(name).isEqualTo(before.get(name));
                } else {
                    assertThat(array.toFloatArray()).as(name).isNotEqualTo(before.get(name));
                }
            });
        }
    }

    @Test
    void ctcTrainingLowersTheLoss() {
        double[] r = train(4);
        assertThat(r[1]).isLessThan(0.5 * r[0]);
    }

    @Test
    @Tag("slow")
    void ctcTrainingLearnsToTranscribeHeldOutUtterances() {
        double[] r = train(20);
        assertThat(r[1]).isLessThan(0.1 * r[0]);
        assertThat(r[2]).isEqualTo(0.0);
        assertThat(r[3]).isGreaterThanOrEqualTo(0.9);
    }
}
