package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import io.tl4j.core.adapt.DomainAdaptation;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainAdaptationTest {

    @TempDir
    Path dir;

    /** The tiny task's inputs seen through another "sensor": scaled and shifted. */
    static List<float[]> shifted(LabeledData<float[]> data) {
        List<float[]> out = new ArrayList<>();
        for (float[] x : data.inputs()) {
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = 1.7f * x[i] + 0.9f;
            }
            out.add(y);
        }
        return out;
    }

    static TransferLearner<float[]> quiet(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone).progressBar(false).epochs(2);
    }

    @Test
    void adaptBatchNormSetsTheExactStatisticsOfTheTargetAndChangesNothingElse() {
        List<float[]> target = shifted(Fixtures.tiny(40, 5)).subList(0, 100);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = quiet(backbone).fit(Fixtures.tiny(10, 1));
                TransferModel<float[]> adapted = model.adaptBatchNorm(Unlabelled.of(target));
                NDManager m = NDManager.newBaseManager()) {
            model.save(dir.resolve("before"));
            adapted.save(dir.resolve("after"));
            model.save(dir.resolve("before-again"));
            Map<String, NDArray> before = SafeTensors.read(dir.resolve("before/weights.safetensors"), m);
            Map<String, NDArray> after = SafeTensors.read(dir.resolve("after/weights.safetensors"), m);
            Map<String, NDArray> beforeAgain = SafeTensors.read(dir.resolve("before-again/weights.safetensors"), m);
            int statistics = 0;
            for (String name : before.keySet()) {
                boolean running = name.toLowerCase().contains("running");
                float[] b = before.get(name).toFloatArray();
                assertThat(beforeAgain.get(name).toFloatArray()).as(name).isEqualTo(b);
                if (running) {
                    statistics++;
                    assertThat(after.get(name).toFloatArray()).as(name).isNotEqualTo(b);
                } else {
                    assertThat(after.get(name).toFloatArray()).as(name).isEqualTo(b);
                }
            }
            assertThat(statistics).isEqualTo(4);

            // block1 is Linear -> BatchNorm: its BatchNorm's input is W x + b, in batches of 64 and 36
            float[] w = after.get("backbone.block1.1.weight").toFloatArray();
            float[] bias = after.get("backbone.block1.1.bias").toFloatArray();
            double[][] h = new double[target.size()][16];
            for (int i = 0; i < target.size(); i++) {
                for (int o = 0; o < 16; o++) {
                    double v = bias[o];
                    for (int k = 0; k < Fixtures.INPUT; k++) {
                        v += w[o * Fixtures.INPUT + k] * target.get(i)[k];
                    }
                    h[i][o] = v;
                }
            }
            float[] mean = after.get("backbone.block1.2.runningMean").toFloatArray();
            float[] var = after.get("backbone.block1.2.runningVar").toFloatArray();
            for (int o = 0; o < 16; o++) {
                double sum = 0;
                double squares = 0;
                for (int[] batch : new int[][] {{0, 64}, {64, 100}}) {
                    int n = batch[1] - batch[0];
                    double mu = 0;
                    for (int i = batch[0]; i < batch[1]; i++) {
                        mu += h[i][o] / n;
                    }
                    double unbiased = 0;
                    for (int i = batch[0]; i < batch[1]; i++) {
                        unbiased += (h[i][o] - mu) * (h[i][o] - mu) / (n - 1);
                    }
                    sum += n * mu;
                    squares += n * (unbiased + mu * mu);
                }
                double expectedMean = sum / 100;
                double expectedVar = squares / 100 - expectedMean * expectedMean;
                assertThat((double) mean[o]).as("mean " + o).isCloseTo(expectedMean, relative(expectedMean));
                assertThat((double) var[o]).as("var " + o).isCloseTo(expectedVar, relative(expectedVar));
            }
        }
    }

    private static org.assertj.core.data.Offset<Double> relative(double value) {
        return org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(value)));
    }

    @Test
    void adaBnOnABackboneWithoutBatchNormNamesIt() {
        Architecture linear = Architecture.of(
                "test.linear-only",
                () -> new LayeredBlock()
                        .add(
                                "block1",
                                new ai.djl.nn.SequentialBlock()
                                        .add(Blocks.batchFlattenBlock())
                                        .add(Linear.builder().setUnits(8).build())));
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(linear)
                        .setPipeline(TensorPipeline.of(new Shape(Fixtures.INPUT)))
                        .build();
                TransferModel<float[]> model = quiet(backbone).fit(Fixtures.tiny(5, 1))) {
            Unlabelled<float[]> target = Unlabelled.of(shifted(Fixtures.tiny(5, 2)));
            assertThatThrownBy(() -> model.adaptBatchNorm(target))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("test.linear-only")
                    .hasMessageContaining("no BatchNorm");
            assertThatThrownBy(() -> quiet(backbone).fit(Fixtures.tiny(5, 1), target))
                    .hasMessageContaining("test.linear-only")
                    .hasMessageContaining("no BatchNorm");
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void unlabelledDataOfTheWrongShapeOrTypeIsRefusedClearly() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            LabeledData<float[]> labelled = Fixtures.tiny(5, 1);
            assertThatThrownBy(() -> quiet(backbone).fit(labelled, Unlabelled.of(List.of(new float[3]))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Unlabelled target inputs 0..0")
                    .hasMessageContaining(TensorPipeline.ID)
                    .hasMessageContaining("expected 64");
            Unlabelled texts = Unlabelled.of(List.of("not a vector"));
            assertThatThrownBy(() -> quiet(backbone).fit(labelled, texts))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("do not fit the backbone's pipeline");
            assertThatThrownBy(() -> Unlabelled.of(List.of())).hasMessageContaining("at least one input");
        }
    }

    @Test
    void coralNeedsATrainableLayerBeforeTheHead() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            Unlabelled<float[]> target = Unlabelled.of(shifted(Fixtures.tiny(5, 2)));
            assertThatThrownBy(() -> quiet(backbone).fit(Fixtures.tiny(5, 1), target, DomainAdaptation.coral(1)))
                    .hasMessageContaining("needs a trainable layer before the head");
        }
    }

    @Test
    void coralAlignsTheTrainedFeaturesOfBothDomains() {
        LabeledData<float[]> source = Fixtures.tiny(30, 1);
        List<float[]> targetInputs = shifted(Fixtures.tiny(30, 7));
        Unlabelled<float[]> target = Unlabelled.of(targetInputs);
        LabeledData<float[]> targetData = LabeledData.of(targetInputs, new int[targetInputs.size()], List.of("x"));
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            TransferLearner<float[]> learner =
                    quiet(backbone).freezeUntil("block2").epochs(15).learningRate(3e-3f);
            double plain;
            double aligned;
            try (TransferModel<float[]> model = learner.fit(source);
                    Backbone<float[]> trained = model.backbone()) {
                plain = coral(trained, source, targetData);
            }
            try (TransferModel<float[]> model = learner.fit(source, target, DomainAdaptation.coral(10));
                    Backbone<float[]> trained = model.backbone()) {
                aligned = coral(trained, source, targetData);
            }
            assertThat(aligned).isLessThan(plain * 0.5);
        }
    }

    @Test
    void dannMakesTheTrainedFeaturesOfBothDomainsHarderToTellApart() {
        LabeledData<float[]> source = Fixtures.tiny(30, 1);
        List<float[]> targetInputs = shifted(Fixtures.tiny(30, 7));
        Unlabelled<float[]> target = Unlabelled.of(targetInputs);
        LabeledData<float[]> targetData = LabeledData.of(targetInputs, new int[targetInputs.size()], List.of("x"));
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            TransferLearner<float[]> learner = quiet(backbone)
                    .freezeUntil("block2")
                    .epochs(15)
                    .learningRate(3e-3f)
                    .backboneLearningRate(1f);
            double plain;
            double plainAccuracy;
            double aligned;
            try (TransferModel<float[]> model = learner.fit(source);
                    Backbone<float[]> trained = model.backbone()) {
                plain = separability(trained, source, targetData);
                plainAccuracy = model.evaluate(source).accuracy();
            }
            try (TransferModel<float[]> model = learner.fit(source, target, DomainAdaptation.adversarial(1));
                    Backbone<float[]> trained = model.backbone()) {
                aligned = separability(trained, source, targetData);
                assertThat(model.evaluate(source).accuracy()).isGreaterThanOrEqualTo(plainAccuracy - 0.05);
            }
            // a linear classifier told the domains apart 79 % of the time after plain training, 71 % after DANN
            assertThat(aligned).isLessThan(plain - 0.05);
        }
    }

    @Test
    void aResumedDannRunEndsExactlyLikeAnUninterruptedOne() {
        LabeledData<float[]> source = Fixtures.tiny(10, 1);
        Unlabelled<float[]> target = Unlabelled.of(shifted(Fixtures.tiny(10, 7)));
        DomainAdaptation dann = DomainAdaptation.adversarial(1);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            TransferLearner<float[]> learner =
                    quiet(backbone).unfreezeAll().epochs(4).seed(3);
            try (TransferModel<float[]> whole =
                    learner.checkpoints(dir.resolve("a")).fit(source, target, dann)) {
                io.tl4j.core.train.TrainingListener killer = new io.tl4j.core.train.TrainingListener() {
                    @Override
                    public void onEpochEnd(io.tl4j.core.metrics.EpochRecord record) {
                        if (record.epoch() == 2) {
                            throw new IllegalStateException("killed");
                        }
                    }
                };
                assertThatThrownBy(() -> learner.checkpoints(dir.resolve("b"))
                                .listener(killer)
                                .fit(source, target, dann))
                        .hasMessage("killed");
                try (TransferModel<float[]> resumed =
                        learner.resume(dir.resolve("b")).fit(source, target, dann)) {
                    assertThat(resumed.probabilities(source.inputs()))
                            .isDeepEqualTo(whole.probabilities(source.inputs()));
                }
                assertThatThrownBy(
                                () -> learner.resume(dir.resolve("b")).fit(source, target, DomainAdaptation.coral(1)))
                        .hasMessageContaining("adaptation");
            }
        }
    }

    /**
     * How well a linear classifier tells the two data sets apart by their features: the training
     * accuracy of a logistic regression (standardised features, 500 steps of gradient descent).
     */
    private static double separability(Backbone<float[]> backbone, LabeledData<float[]> a, LabeledData<float[]> b) {
        try (FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, 0)) {
            float[][] fa = features.extract(a);
            float[][] fb = features.extract(b);
            int n = fa.length + fb.length;
            int d = fa[0].length;
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                float[] row = i < fa.length ? fa[i] : fb[i - fa.length];
                x[i] = new double[d];
                for (int j = 0; j < d; j++) {
                    x[i][j] = row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                double mean = 0;
                double square = 0;
                for (double[] row : x) {
                    mean += row[j] / n;
                    square += row[j] * row[j] / n;
                }
                double sd = Math.sqrt(Math.max(square - mean * mean, 1e-12));
                for (double[] row : x) {
                    row[j] = (row[j] - mean) / sd;
                }
            }
            double[] w = new double[d + 1];
            for (int step = 0; step < 500; step++) {
                double[] gradient = new double[d + 1];
                for (int i = 0; i < n; i++) {
                    double error = sigmoid(w, x[i]) - (i < fa.length ? 0 : 1);
                    for (int j = 0; j < d; j++) {
                        gradient[j] += error * x[i][j] / n;
                    }
                    gradient[d] += error / n;
                }
                for (int j = 0; j <= d; j++) {
                    w[j] -= 0.5 * gradient[j];
                }
            }
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += (sigmoid(w, x[i]) >= 0.5) == (i >= fa.length) ? 1 : 0;
            }
            return correct / (double) n;
        }
    }

    private static double sigmoid(double[] w, double[] x) {
        double z = w[x.length];
        for (int j = 0; j < x.length; j++) {
            z += w[j] * x[j];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** The CORAL distance between the backbone's features of two data sets, in plain Java. */
    private static double coral(Backbone<float[]> backbone, LabeledData<float[]> a, LabeledData<float[]> b) {
        try (FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, 0)) {
            double[][] ca = covariance(features.extract(a));
            double[][] cb = covariance(features.extract(b));
            int d = ca.length;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    sum += (ca[i][j] - cb[i][j]) * (ca[i][j] - cb[i][j]);
                }
            }
            return sum / (4.0 * d * d);
        }
    }

    private static double[][] covariance(float[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / (double) n;
            }
        }
        double[][] c = new double[d][d];
        for (float[] row : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
                }
            }
        }
        return c;
    }
}
