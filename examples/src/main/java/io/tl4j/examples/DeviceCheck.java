package io.tl4j.examples;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.LoadOptions;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.vision.models.ResNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fine-tunes ResNet-50 and MiniLM on a device the user names, predicts there, saves, reloads the
 * model onto the CPU and checks that both give the same probabilities: the end-to-end check of a
 * GPU machine where DJL finds CUDA natives (README, 'GPU'), which runs on the CPU as well.
 *
 * <p>{@code java ... DeviceCheck gpu} (or {@code cpu}), optionally followed by the image side, the
 * number of images and texts, and the epochs (default 224, 64, 64, 2). It ends with {@code RESULT
 * device ...}: images and texts per second of training, and the largest probability difference
 * between the device and the reloaded CPU copy.
 */
public final class DeviceCheck {

    /**
     * What a check measured.
     *
     * @param examplesPerSecond training examples per second, over all epochs
     * @param reloadDifference the largest difference of a probability between the device and the CPU copy
     */
    record Result(double examplesPerSecond, float reloadDifference) {}

    private DeviceCheck() {}

    /**
     * Runs both checks and prints the result line.
     *
     * @param args the device ({@code gpu} or {@code cpu}), then optionally image side, examples and epochs
     */
    public static void main(String[] args) {
        Device device = args.length > 0 && args[0].startsWith("gpu") ? Device.gpu() : Device.cpu();
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 224;
        int examples = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Result resnet = resNet50(device, side, examples, epochs);
        Result miniLm = miniLm(device, examples, epochs);
        System.out.printf(
                Locale.ROOT,
                "RESULT device device=%s resnet50_train_img_per_s=%.2f resnet50_reload_diff=%.2e"
                        + " minilm_train_texts_per_s=%.2f minilm_reload_diff=%.2e%n",
                device,
                resnet.examplesPerSecond(),
                resnet.reloadDifference(),
                miniLm.examplesPerSecond(),
                miniLm.reloadDifference());
    }

    /** Fine-tunes a randomly initialised ResNet-50 end to end on random images of two classes. */
    static Result resNet50(Device device, int side, int images, int epochs) {
        Shape shape = new Shape(3, side, side);
        Random random = new Random(1);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % 2;
            float[] pixels = new float[(int) shape.size()];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (float) random.nextGaussian() + labels[i];
            }
            inputs.add(pixels);
        }
        LabeledData<float[]> data = LabeledData.of(inputs, labels, List.of("dark", "bright"));
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                .setArchitecture(ResNet.builder().setDepth(50).build())
                .setPipeline(TensorPipeline.of(shape))
                .build()) {
            return check(TransferLearner.from(backbone).unfreezeAll(), data, device, epochs);
        }
    }

    /** Fine-tunes MiniLM's top layers and a head on short texts of two topics. */
    static Result miniLm(Device device, int texts, int epochs) {
        String[] sport = {"the match ended in a late goal", "a record sprint at the stadium", "the team won the cup"};
        String[] money = {"the bank raised its rates", "shares fell on the exchange", "the loan has a fixed interest"};
        List<String> inputs = new ArrayList<>();
        int[] labels = new int[texts];
        for (int i = 0; i < texts; i++) {
            labels[i] = i % 2;
            inputs.add((labels[i] == 0 ? sport : money)[(i / 2) % 3] + " (" + i + ")");
        }
        LabeledData<String> data = LabeledData.of(inputs, labels, List.of("sport", "finance"));
        try (BertEncoder encoder = Bert.allMiniLmL6V2();
                Backbone<String> backbone = encoder.backbone(Pooling.MEAN, 128)) {
            return check(TransferLearner.from(backbone).freezeUntil("encoder.layer.4"), data, device, epochs);
        }
    }

    private static <I> Result check(TransferLearner<I> learner, LabeledData<I> data, Device device, int epochs) {
        Path dir = temporaryDirectory();
        long start = System.nanoTime();
        try (TransferModel<I> model = learner.device(device)
                .epochs(epochs)
                .batchSize(16)
                .seed(7)
                .progressBar(false)
                .fit(data)) {
            double perSecond = (double) data.size() * epochs / ((System.nanoTime() - start) / 1e9);
            float[][] onDevice = model.probabilities(data.inputs());
            model.save(dir);
            try (TransferModel<I> onCpu =
                    TransferModel.load(dir, LoadOptions.verified().onDevice(Device.cpu()))) {
                float[][] cpu = onCpu.probabilities(data.inputs());
                float difference = 0;
                for (int i = 0; i < cpu.length; i++) {
                    for (int c = 0; c < cpu[i].length; c++) {
                        difference = Math.max(difference, Math.abs(cpu[i][c] - onDevice[i][c]));
                    }
                }
                return new Result(perSecond, difference);
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("tl4j-device-check");
            dir.toFile().deleteOnExit();
            return dir.resolve("model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
