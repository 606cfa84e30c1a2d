package io.tl4j.report;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A small three-class problem and a model trained on it, for the report tests. */
final class ReportFixtures {

    static final int FEATURES = 8;

    private ReportFixtures() {}

    /** Three Gaussian blobs, 20 points each, centred on different axes. */
    static LabeledData<float[]> blobs(long seed) {
        Random random = new Random(seed);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[60];
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            float[] x = new float[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                x[f] = (float) random.nextGaussian() + (f == c ? 3f : 0f);
            }
            inputs.add(x);
            labels[i] = c;
        }
        return LabeledData.of(inputs, labels, List.of("red", "green", "blue"));
    }

    /** A random MLP backbone of 6 features over the blobs' 8 inputs. */
    static Backbone<float[]> backbone() {
        return Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(6))
                .setPipeline(TensorPipeline.of(new Shape(FEATURES)))
                .build();
    }

    /** Fine-tunes a classifier on the blobs for 3 epochs with a quarter held out for validation. */
    static TransferModel<float[]> trained(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .unfreezeAll()
                .epochs(3)
                .validationSplit(0.25)
                .progressBar(false)
                .fit(blobs(1));
    }
}
