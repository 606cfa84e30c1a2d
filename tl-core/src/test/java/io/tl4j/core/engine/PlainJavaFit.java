package io.tl4j.core.engine;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.EngineCheck;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.engine.EngineSettings.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link PlainJavaRunTest}: fine-tunes a small convolutional network, as a
 * user's {@code main} would, and prints what the engine setup did and the engine check's count.
 */
public final class PlainJavaFit {

    private PlainJavaFit() {}

    /**
     * Trains two epochs and prints {@code KEY value} lines.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Random random = new Random(1);
        List<float[]> images = new ArrayList<>();
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float[] image = new float[3 * 8 * 8];
            for (int p = 0; p < image.length; p++) {
                image[p] = (float) random.nextGaussian() + (labels[i] == 0 ? -1 : 1);
            }
            images.add(image);
        }
        // both convolutions 8 wide: libtorch 2.7.1's 3x3 convolution backward returns NaN at random for an input
        // narrower than oneDNN's channel block (8 under the AVX2 cap), see README.md "Platform notes"
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.convNet(8, 8))
                        .setPipeline(TensorPipeline.of(new Shape(3, 8, 8)))
                        .build();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .epochs(2)
                        .batchSize(8)
                        .seed(1)
                        .progressBar(false)
                        .fit(LabeledData.of(images, labels, List.of("low", "high")))) {
            System.out.println("ISA " + EngineSetup.variable(EngineSettings.ISA_VARIABLE));
            System.out.println("CAPPED " + EngineSetup.applied(Setting.ISA_CAP));
            System.out.println("MALLOC " + EngineSetup.applied(Setting.MALLOC_TUNING));
            System.out.println("WRONG " + EngineCheck.wrongConvolutionGradients());
            System.out.println("EPOCHS " + model.history().size());
        }
    }
}
