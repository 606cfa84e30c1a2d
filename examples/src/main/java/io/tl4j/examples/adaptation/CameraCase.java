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
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.demo.FashionMnistSubset;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import io.tl4j.vision.data.NewCamera;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fashion-MNIST under a new camera ({@link NewCamera}): the shipped {@link FashionMnistResNet} with a head
 * trained on 1,000 clean Fashion-MNIST images (the source), tested on 1,000 camera images of the test set;
 * 1,500 other camera images are the unlabelled target pool, of which 0 or 10 per class are also labelled.
 */
public final class CameraCase implements AutoCloseable {

    /** The CORAL loss's weight. */
    static final double CORAL_WEIGHT = 1;
    /** Clean images per class that CORAL fine-tuning trains on (of the 100 vendored), to keep it quick. */
    static final int CORAL_SOURCE_PER_CLASS = 30;
    /** DANN's largest gradient-reversal coefficient (Ganin et al.'s 1, not tuned here). */
    static final double DANN_LAMBDA = 1;
    /** The least probability of a pseudo-label. */
    static final double THRESHOLD = 0.8;

    private final LabeledData<float[]> source;
    private final Backbone<float[]> backbone;

    /** Loads the data and the shipped backbone. */
    public CameraCase() {
        source = IdxDatasets.load(
                FashionMnistSubset.sourceImages(), FashionMnistSubset.sourceLabels(), Mnist.FASHION_CLASSES);
        backbone = FashionMnistResNet.backbone();
    }

    /**
     * Runs every method at one seed.
     *
     * @param seed the camera, the split, the labelled sample and training
     * @param perClass labelled camera images per class: 0 (the head learns from clean images only) or more
     * @return the test accuracy of every method
     */
    public CaseResult run(long seed, int perClass) {
        LabeledData<float[]> target = NewCamera.withSeed(seed)
                .shoot(IdxDatasets.load(
                        FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES));
        Split<float[]> split = target.stratifiedSplit(0.4, seed);
        LabeledData<float[]> pool = split.train();
        LabeledData<float[]> test = split.validation();
        Unlabelled<float[]> unlabelled = Unlabelled.hidingLabels(pool);
        LabeledData<float[]> labelled = perClass == 0 ? source : pool.samplePerClass(perClass, seed);
        TransferLearner<float[]> features = features(backbone, seed);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        try (TransferModel<float[]> plain = features.fit(labelled)) {
            accuracy.put(CaseResult.NONE, plain.evaluate(test).accuracy());
            if (perClass == 0) {
                try (TransferModel<float[]> adapted = plain.adaptBatchNorm(unlabelled)) {
                    accuracy.put("AdaBN", adapted.evaluate(test).accuracy());
                    try (Backbone<float[]> adaptedBackbone = adapted.backbone()) {
                        accuracy.put(
                                "AdaBN + self-training",
                                selfTrain(features(adaptedBackbone, seed), adapted, source, unlabelled, test));
                    }
                }
            } else {
                accuracy.put("AdaBN", evaluate(features.fit(labelled, unlabelled), test));
            }
            LabeledData<float[]> aligned = source.samplePerClass(CORAL_SOURCE_PER_CLASS, seed);
            LabeledData<float[]> alignedTrain = perClass == 0 ? aligned : LabeledData.concat(aligned, labelled);
            accuracy.put(
                    "CORAL",
                    evaluate(fineTune(seed).fit(alignedTrain, unlabelled, DomainAdaptation.coral(CORAL_WEIGHT)), test));
            accuracy.put(
                    "DANN",
                    evaluate(
                            fineTune(seed).fit(alignedTrain, unlabelled, DomainAdaptation.adversarial(DANN_LAMBDA)),
                            test));
            accuracy.put("self-training", selfTrain(features, plain, labelled, unlabelled, test));
            if (perClass > 0) {
                accuracy.put(
                        "AdaBN + self-training",
                        score(
                                SelfTraining.with(features)
                                        .threshold(THRESHOLD)
                                        .rounds(2)
                                        .adaptation(DomainAdaptation.batchNorm())
                                        .run(labelled, unlabelled),
                                test));
            }
        }
        return new CaseResult("camera, " + perClass + " labels/class", accuracy);
    }

    private static double selfTrain(
            TransferLearner<float[]> learner,
            TransferModel<float[]> teacher,
            LabeledData<float[]> labelled,
            Unlabelled<float[]> pool,
            LabeledData<float[]> test) {
        SelfTrainingResult<float[]> result =
                SelfTraining.with(learner).threshold(THRESHOLD).rounds(2).run(teacher, labelled, pool);
        result.rounds().forEach(r -> System.out.println("    " + r));
        double accuracy = result.model().evaluate(test).accuracy();
        if (result.model() != teacher) {
            result.model().close();
        }
        return accuracy;
    }

    private static double score(SelfTrainingResult<float[]> result, LabeledData<float[]> test) {
        result.rounds().forEach(r -> System.out.println("    " + r));
        return evaluate(result.model(), test);
    }

    private static double evaluate(TransferModel<float[]> model, LabeledData<float[]> test) {
        try (model) {
            return model.evaluate(test).accuracy();
        }
    }

    /** Frozen backbone, features cached, linear head. */
    private static TransferLearner<float[]> features(Backbone<float[]> backbone, long seed) {
        return TransferLearner.from(backbone)
                .progressBar(false)
                .seed(seed)
                .freezeAll()
                .learningRate(1e-2f)
                .epochs(30)
                .schedule(LearningRateSchedule.warmupCosine(0.1));
    }

    /** layer3 and the head train (layer3 at a tenth of the head's rate): what CORAL and DANN align. */
    private TransferLearner<float[]> fineTune(long seed) {
        return TransferLearner.from(backbone)
                .progressBar(false)
                .seed(seed)
                .freezeUntil("layer3")
                .backboneLearningRate(0.1f)
                .learningRate(3e-3f)
                .epochs(6)
                .schedule(LearningRateSchedule.warmupCosine(0.1));
    }

    @Override
    public void close() {
        backbone.close();
    }
}
