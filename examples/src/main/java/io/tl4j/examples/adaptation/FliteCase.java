package io.tl4j.examples.adaptation;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.adapt.DomainAdaptation;
import io.tl4j.core.adapt.SelfTraining;
import io.tl4j.core.adapt.SelfTrainingResult;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shipped {@link KeywordEncoder} on five new words spoken by flite voices, a synthesizer and accent no
 * training clip has: 5 labelled clips per word from espeak voices ({@link AdaptationWords#train()}), half of
 * the flite clips as the unlabelled target pool, the other half as the test set.
 */
public final class FliteCase implements AutoCloseable {

    /** The CORAL loss's weight. */
    static final double CORAL_WEIGHT = 1;
    /** DANN's largest gradient-reversal coefficient (Ganin et al.'s 1, not tuned here). */
    static final double DANN_LAMBDA = 1;
    /** The least probability of a pseudo-label. */
    static final double THRESHOLD = 0.8;

    private final LabeledData<Audio> espeak;
    private final LabeledData<Audio> flite;
    private final Backbone<Audio> encoder;

    /** Extracts the vendored clips and loads the shipped encoder. */
    public FliteCase() {
        AdaptationWords words = AdaptationWords.extract();
        espeak = AudioFolder.at(words.train()).load();
        flite = AudioFolder.at(words.flite()).load();
        encoder = KeywordEncoder.pretrained();
    }

    /**
     * Runs every method at one seed.
     *
     * @param seed the split, the labelled sample and training
     * @param perClass labelled espeak clips per word
     * @return the test accuracy of every method
     */
    public CaseResult run(long seed, int perClass) {
        Split<Audio> split = flite.stratifiedSplit(0.5, seed);
        LabeledData<Audio> test = split.validation();
        Unlabelled<Audio> pool = Unlabelled.hidingLabels(split.train());
        LabeledData<Audio> labelled = espeak.samplePerClass(perClass, 1000 + seed);
        TransferLearner<Audio> features = features(encoder, seed);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        try (TransferModel<Audio> plain = features.fit(labelled)) {
            accuracy.put(CaseResult.NONE, plain.evaluate(test).accuracy());
            try (TransferModel<Audio> adapted = plain.adaptBatchNorm(pool);
                    Backbone<Audio> adaptedEncoder = adapted.backbone()) {
                accuracy.put("AdaBN", adapted.evaluate(test).accuracy());
                accuracy.put("AdaBN before training", evaluate(features.fit(labelled, pool), test));
                try (TransferModel<Audio> aligned =
                                align(seed).fit(labelled, pool, DomainAdaptation.coral(CORAL_WEIGHT));
                        TransferModel<Audio> alignedAdapted = aligned.adaptBatchNorm(pool);
                        TransferModel<Audio> adversarial =
                                align(seed).fit(labelled, pool, DomainAdaptation.adversarial(DANN_LAMBDA));
                        TransferModel<Audio> adversarialAdapted = adversarial.adaptBatchNorm(pool)) {
                    accuracy.put("DANN", adversarial.evaluate(test).accuracy());
                    accuracy.put(
                            "DANN + AdaBN", adversarialAdapted.evaluate(test).accuracy());
                    accuracy.put("CORAL", aligned.evaluate(test).accuracy());
                    accuracy.put("self-training", score(self(features).run(plain, labelled, pool), plain, test));
                    accuracy.put("CORAL + AdaBN", alignedAdapted.evaluate(test).accuracy());
                    accuracy.put(
                            "AdaBN + self-training",
                            score(self(features(adaptedEncoder, seed)).run(adapted, labelled, pool), adapted, test));
                }
            }
        }
        return new CaseResult("flite voices, " + perClass + " espeak labels/word", accuracy);
    }

    private static double score(
            SelfTrainingResult<Audio> result, TransferModel<Audio> teacher, LabeledData<Audio> test) {
        result.rounds().forEach(r -> System.out.println("    " + r));
        double accuracy = result.model().evaluate(test).accuracy();
        if (result.model() != teacher) {
            result.model().close();
        }
        return accuracy;
    }

    private static double evaluate(TransferModel<Audio> model, LabeledData<Audio> test) {
        try (model) {
            return model.evaluate(test).accuracy();
        }
    }

    private static SelfTraining<Audio> self(TransferLearner<Audio> learner) {
        return SelfTraining.with(learner).threshold(THRESHOLD).rounds(2);
    }

    /** block4 and the head train (block4 at a tenth of the head's rate): what CORAL and DANN align. */
    private TransferLearner<Audio> align(long seed) {
        return TransferLearner.from(encoder)
                .progressBar(false)
                .seed(seed)
                .freezeUntil("block4")
                .backboneLearningRate(0.1f)
                .learningRate(1e-2f)
                .batchSize(16)
                .epochs(40);
    }

    /** Frozen encoder, features cached, linear head. */
    private static TransferLearner<Audio> features(Backbone<Audio> encoder, long seed) {
        return TransferLearner.from(encoder)
                .progressBar(false)
                .seed(seed)
                .freezeAll()
                .learningRate(1e-2f)
                .batchSize(16)
                .epochs(40);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
