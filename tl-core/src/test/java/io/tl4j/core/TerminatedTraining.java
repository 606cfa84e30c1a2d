package io.tl4j.core;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link TerminatedTrainingTest}: trains a network whose steps spend nearly all
 * their time inside libtorch, printing {@code STEP} after its first step, until the parent terminates
 * it.
 */
public final class TerminatedTraining {

    private TerminatedTraining() {}

    /**
     * Trains until terminated.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        TrainingListener firstStep = new TrainingListener() {
            @Override
            public void onStep(StepInfo step) {
                if (step.epoch() == 1 && step.step() == 1) {
                    System.out.println("STEP");
                    System.out.flush();
                }
            }
        };
        Random random = new Random(1);
        List<float[]> images = new ArrayList<>();
        int[] labels = new int[256];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float[] image = new float[3 * 32 * 32];
            for (int p = 0; p < image.length; p++) {
                image[p] = (float) random.nextGaussian() + labels[i];
            }
            images.add(image);
        }
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.convNet(32, 64))
                        .setPipeline(TensorPipeline.of(new Shape(3, 32, 32)))
                        .build();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .epochs(100_000)
                        .batchSize(64)
                        .seed(5)
                        .progressBar(false)
                        .listener(firstStep)
                        .fit(LabeledData.of(images, labels, List.of("low", "high")))) {
            System.out.println("FINISHED " + model.history().size());
        }
    }
}
