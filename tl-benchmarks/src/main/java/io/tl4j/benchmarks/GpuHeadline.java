package io.tl4j.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Times tl4j's headline workloads on a GPU against the files {@code scripts/gpu_reference.py}
 * leaves: the same seeded weights (torchvision ResNet-50 and ResNet-18 without their classifiers as
 * safetensors, MiniLM- and BERT-base-shaped encoders as Hugging Face directories), the same images
 * and texts, and PyTorch's outputs for them, which tl4j's must match before anything is timed.
 *
 * <p>{@code java ... GpuHeadline DIR} prints one {@code RESULT gpu-tl4j ...} line per workload:
 * ResNet-50 frozen features (batch 32, 224 px), ResNet-18 fine-tuning (256 images, batch 32, Adam,
 * whole network), and sentence embeddings of 16 texts with each encoder; each with the median
 * throughput over the timed repetitions, its min-max, and the largest difference from PyTorch.
 * It runs on DJL's default device, the GPU when the engine sees one (checked).
 */
public final class GpuHeadline {

    private static final Shape IMAGE = new Shape(3, 224, 224);
    private static final int IMAGES = 32;
    private static final int WARMUP = 3;
    private static final int REPEATS = 10;

    private GpuHeadline() {}

    /**
     * Runs every workload and prints its result line.
     *
     * @param args the directory the reference script wrote, then optionally {@code cpu} to allow
     *     running without a GPU
     * @throws IOException if a reference file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        boolean cpuAllowed = args.length > 1 && args[1].equals("cpu");
        String device = Engine.getInstance().defaultDevice().toString();
        if (!cpuAllowed && !device.startsWith("gpu")) {
            throw new IllegalStateException("DJL's default device is " + device + ", not a GPU");
        }
        System.out.println("device " + device);
        List<float[]> images = rows(read(dir.resolve("images.f32")), IMAGES);
        List<String> texts = Files.readAllLines(dir.resolve("texts.txt"));
        int failed = 0;
        failed += attempt("resnet50_features", () -> resNet50Features(dir, images, device));
        failed += attempt("resnet18_finetune", () -> resNet18FineTuning(dir, device));
        for (String encoder : List.of("minilm", "bertbase")) {
            failed += attempt(encoder + "_embed", () -> embeddings(dir, encoder, texts, device));
        }
        failed += attempt("op_cost", () -> operationCost(device));
        if (failed > 0) {
            throw new IllegalStateException(failed + " workload(s) failed");
        }
    }

    /**
     * Times single engine operations through DJL (BERT-base's feed-forward linear layer on 16 x 95 tokens, and
     * an elementwise add of its output), in microseconds per call over 2,000 calls, synchronising once at the end:
     * the per-operation cost that {@code gpu_reference.py} measures for PyTorch the same way.
     */
    private static void operationCost(String device) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(16, 95, 768));
            NDArray weight = manager.randomNormal(new Shape(3072, 768)).mul(0.02f);
            NDArray bias = manager.zeros(new Shape(3072));
            Map<String, Function<NDArray, NDArray>> operations = new LinkedHashMap<>();
            operations.put("linear", a -> Linear.linear(a, weight, bias).singletonOrThrow());
            operations.put("linear_nobias", a -> Linear.linear(a, weight).singletonOrThrow());
            operations.put("add", a -> a.add(a));
            for (Map.Entry<String, Function<NDArray, NDArray>> op : operations.entrySet()) {
                for (int round = 0; round < 2; round++) {
                    long start = System.nanoTime();
                    for (int block = 0; block < 20; block++) {
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray input = x.duplicate();
                            input.attach(scope);
                            NDArray last = null;
                            for (int i = 0; i < 100; i++) {
                                last = op.getValue().apply(input);
                            }
                            last.get(0, 0, 0).getFloat();
                        }
                    }
                    double micros = (System.nanoTime() - start) / 1e3 / 2000;
                    if (round == 1) {
                        System.out.printf(
                                Locale.ROOT,
                                "RESULT gpu-tl4j workload=op_%s device=%s us_per_call=%.1f%n",
                                op.getKey(),
                                device,
                                micros);
                    }
                }
            }
        }
    }

    /** Runs one workload; a failure is printed and counted, so that the others still run. */
    private static int attempt(String workload, Runnable run) {
        try {
            run.run();
            return 0;
        } catch (RuntimeException | Error e) {
            System.out.println("FAILED " + workload + ": " + e);
            e.printStackTrace(System.out);
            return 1;
        }
    }

    private static void resNet50Features(Path dir, List<float[]> images, String device) {
        LabeledData<float[]> data = Workloads.labelled(images);
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Tl4jSide.vision("resnet50"))
                        .setPipeline(TensorPipeline.of(IMAGE))
                        .optWeights(dir.resolve("resnet50.safetensors"), "BSD-3-Clause")
                        .build();
                FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, Tl4jSide.SEED)) {
            float[] reference = read(dir.resolve("resnet50_features.f32"));
            float difference = maxDifference(features.extract(data), reference);
            double[] perSecond = throughput(() -> features.extract(data), IMAGES);
            print("resnet50_features", device, perSecond, difference, maxMagnitude(reference));
            profile("resnet50_features", () -> features.extract(data));
        }
    }

    private static void resNet18FineTuning(Path dir, String device) {
        LabeledData<float[]> data = Workloads.labelled(Workloads.samples(256, IMAGE, Tl4jSide.SEED));
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                .setArchitecture(Tl4jSide.vision("resnet18"))
                .setPipeline(TensorPipeline.of(IMAGE))
                .optWeights(dir.resolve("resnet18.safetensors"), "BSD-3-Clause")
                .build()) {
            // steady-state epochs: a 4-epoch fit minus a 1-epoch fit, so building the network and
            // copying the weights (once per fit) are not counted; the whole fit is printed too
            fit(backbone, data, 1);
            double[] perSecond = new double[3];
            double[] wholeFit = new double[3];
            for (int i = 0; i < perSecond.length; i++) {
                double one = fit(backbone, data, 1);
                double four = fit(backbone, data, 4);
                perSecond[i] = 3.0 * data.size() / (four - one);
                wholeFit[i] = 4.0 * data.size() / four;
            }
            Arrays.sort(perSecond);
            Arrays.sort(wholeFit);
            print("resnet18_finetune_whole_fit", device, wholeFit, Float.NaN, Float.NaN);
            print("resnet18_finetune", device, perSecond, Float.NaN, Float.NaN);
        }
    }

    /** Returns the seconds one fit of the whole network takes. */
    private static double fit(Backbone<float[]> backbone, LabeledData<float[]> data, int epochs) {
        long start = System.nanoTime();
        try (TransferModel<float[]> model =
                Tl4jSide.learner(backbone, 32, epochs).unfreezeAll().fit(data)) {
            if (!Double.isFinite(model.history().last().trainLoss())) {
                throw new IllegalStateException("ResNet-18 diverged");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void embeddings(Path dir, String name, List<String> texts, String device) {
        try (BertEncoder encoder = Bert.fromHuggingFace(dir.resolve(name), "Apache-2.0")) {
            float[] reference = read(dir.resolve(name + "_embed.f32"));
            float difference = maxDifference(encoder.embed(texts), reference);
            double[] perSecond = throughput(() -> encoder.embed(texts), texts.size());
            print(name + "_embed", device, perSecond, difference, maxMagnitude(reference));
            print(
                    name + "_tokenize",
                    device,
                    throughput(() -> encoder.tokenize(texts), texts.size()),
                    Float.NaN,
                    Float.NaN);
            profile(name + "_embed", () -> encoder.embed(texts));
        }
    }

    /** Runs the work ten more times under a {@link StackSampler} and prints where the time went. */
    private static void profile(String workload, Supplier<?> work) {
        try (StackSampler sampler = StackSampler.ofCurrentThread()) {
            for (int i = 0; i < REPEATS; i++) {
                work.get();
            }
            System.out.println("PROFILE " + workload + " " + sampler.report(12));
        }
    }

    private static double[] throughput(Supplier<?> work, int examples) {
        return throughput(work, examples, WARMUP, REPEATS);
    }

    /** Runs the work warmup times, then returns the examples per second of each of the timed runs. */
    private static double[] throughput(Supplier<?> work, int examples, int warmup, int repeats) {
        for (int i = 0; i < warmup; i++) {
            work.get();
        }
        double[] perSecond = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            work.get();
            perSecond[i] = examples / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(perSecond);
        return perSecond;
    }

    private static void print(String workload, String device, double[] sorted, float difference, float scale) {
        System.out.printf(
                Locale.ROOT,
                "RESULT gpu-tl4j workload=%s device=%s per_s_median=%.1f per_s_min=%.1f per_s_max=%.1f"
                        + " max_diff_vs_pytorch=%.2e max_abs_pytorch=%.2e%n",
                workload,
                device,
                sorted[sorted.length / 2],
                sorted[0],
                sorted[sorted.length - 1],
                difference,
                scale);
    }

    private static float maxMagnitude(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static float maxDifference(float[][] actual, float[] expected) {
        int width = actual[0].length;
        if (actual.length * width != expected.length) {
            throw new IllegalStateException(
                    actual.length + "x" + width + " outputs against " + expected.length + " reference values");
        }
        float difference = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < width; j++) {
                difference = Math.max(difference, Math.abs(actual[i][j] - expected[i * width + j]));
            }
        }
        return difference;
    }

    private static List<float[]> rows(float[] flat, int count) {
        int width = flat.length / count;
        List<float[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(Arrays.copyOfRange(flat, i * width, (i + 1) * width));
        }
        return rows;
    }

    private static float[] read(Path file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
