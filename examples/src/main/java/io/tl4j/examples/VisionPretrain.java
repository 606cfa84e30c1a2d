package io.tl4j.examples;

import com.google.gson.GsonBuilder;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.Mnist;
import io.tl4j.vision.image.ArrayImagePipeline;
import io.tl4j.vision.models.ResNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains the small ResNet that tl-vision ships as {@link FashionMnistResNet} on Fashion-MNIST
 * (Debian's {@code dataset-fashion-mnist}; a class-balanced sample of its 60,000 training images,
 * tested on all 10,000 test images) and writes its backbone weights
 * ({@code fashion-mnist-resnet.safetensors}) and provenance ({@code fashion-mnist-resnet.json}).
 *
 * <p>Arguments, all optional: the output directory (default {@code fashion-mnist-resnet}), the
 * number of epochs (default {@value #EPOCHS}), the number of training images (default {@value
 * #TRAIN_IMAGES}, at most 60,000) and the Fashion-MNIST directory (default {@link
 * Mnist#DEBIAN_FASHION_MNIST}). The shipped checkpoint was made with the defaults (its provenance
 * file records the time it took on the shared build machine).
 *
 * <p>System properties vary the network, the rest of the recipe staying the same: {@code
 * -Dtl4j.baseWidth=8} (default 16: the first stage's channels, doubled each stage) and {@code
 * -Dtl4j.blocksPerStage=1,1} (default {@code 1,1,1}: basic blocks per stage, one stage per number).
 * The catalog's variants ({@code io.tl4j.examples.catalog.VisionBackbones}) were made this way.
 */
public final class VisionPretrain {

    static final int EPOCHS = 2;
    static final int TRAIN_IMAGES = 20_000;
    static final long SEED = 7;

    private VisionPretrain() {}

    /**
     * Returns the shipped architecture, changed by {@code tl4j.baseWidth} and {@code
     * tl4j.blocksPerStage} where set.
     */
    static ResNet architecture() {
        ResNet shipped = FashionMnistResNet.architecture();
        int width = Integer.getInteger("tl4j.baseWidth", shipped.config().baseWidth());
        String blocks = System.getProperty("tl4j.blocksPerStage");
        int[] perStage = blocks == null
                ? shipped.blocksPerStage()
                : Arrays.stream(blocks.split(","))
                        .map(String::trim)
                        .mapToInt(Integer::parseInt)
                        .toArray();
        return shipped.toBuilder()
                .optBaseWidth(width)
                .setBlocksPerStage(perStage)
                .build();
    }

    /**
     * Pretrains the small ResNet on Fashion-MNIST and writes its backbone weights and provenance.
     *
     * @param args [output directory] [epochs] [training images] [Fashion-MNIST directory]
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "fashion-mnist-resnet");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : EPOCHS;
        int images = args.length > 2 ? Integer.parseInt(args[2]) : TRAIN_IMAGES;
        Path dir = args.length > 3 ? Path.of(args[3]) : Mnist.DEBIAN_FASHION_MNIST;
        LabeledData<float[]> all = Mnist.fashion(dir, true);
        LabeledData<float[]> train = images >= all.size() ? all : all.samplePerClass(images / all.numClasses(), SEED);
        LabeledData<float[]> test = Mnist.fashion(dir, false);
        ResNet architecture = architecture();
        ArrayImagePipeline pipeline = FashionMnistResNet.pipeline().horizontalFlip(0.5f);
        System.out.println("Pretraining " + architecture + " on " + train.size() + " Fashion-MNIST images, " + epochs
                + " epochs, with " + pipeline);
        long start = System.nanoTime();
        try (Backbone<float[]> init = Backbone.<float[]>builder()
                        .setArchitecture(architecture)
                        .setPipeline(pipeline)
                        .build();
                TransferModel<float[]> model = TransferLearner.from(init)
                        .unfreezeAll()
                        .backboneLearningRate(1f)
                        .optimizer(OptimizerSpec.adamW(2e-3f, 1e-4f))
                        .schedule(LearningRateSchedule.warmupCosine(0.05))
                        .batchSize(128)
                        .epochs(epochs)
                        .seed(SEED)
                        .fit(train)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = model.evaluate(test).accuracy();
            System.out.printf(
                    Locale.ROOT,
                    "Fashion-MNIST test accuracy %.4f after %d epochs (%.0f s)%n",
                    accuracy,
                    epochs,
                    seconds);
            Files.createDirectories(out);
            try (Backbone<float[]> trained = model.backbone()) {
                trained.saveWeights(out.resolve(FashionMnistResNet.WEIGHTS));
            }
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("architecture", architecture.config());
            provenance.put("pipeline", FashionMnistResNet.pipeline().config());
            provenance.put(
                    "data",
                    "Fashion-MNIST (Debian dataset-fashion-mnist, MIT): " + train.size()
                            + " of its 60,000 training images, class-balanced sample, seed " + SEED);
            provenance.put(
                    "recipe",
                    "all layers + linear head, AdamW lr 2e-3 weight decay 1e-4, warmup-cosine 5%, "
                            + "batch 128, horizontal flip 0.5, seed " + SEED);
            provenance.put("epochs", epochs);
            provenance.put("test_accuracy", Math.round(accuracy * 10000) / 10000.0);
            provenance.put("test_images", test.size());
            provenance.put("train_seconds", Math.round(seconds));
            provenance.put("created", Instant.now().toString());
            provenance.put("licence", "MIT (weights trained by tl4j on Fashion-MNIST, MIT)");
            Files.writeString(
                    out.resolve(FashionMnistResNet.PROVENANCE),
                    new GsonBuilder().setPrettyPrinting().create().toJson(provenance) + "\n");
            System.out.println("Wrote " + out.toAbsolutePath());
        }
    }
}
