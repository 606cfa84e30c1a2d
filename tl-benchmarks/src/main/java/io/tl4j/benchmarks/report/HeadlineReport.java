package io.tl4j.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns the rounds of {@code run.sh headline} into ratios against the tool a user would pick
 * instead, each as the median over the rounds with its min-max, and the line {@code RESULT perf ...}.
 *
 * <p>Round {@code r} is the files {@code r<r>-tl4j-*.json} and {@code r<r>-ort.json} (JMH) and
 * {@code r<r>-pytorch.json} (the PyTorch reference). A ratio of a round is tl4j's throughput over
 * the alternative's from that same round (both in processes of their own, one after the other), so
 * that the machine's drift between rounds cancels; peak RSS is tl4j's over PyTorch's.
 */
public final class HeadlineReport {

    /** What each ratio compares: its name in the RESULT line, the JMH key and the reference's. */
    private record Ratio(String name, String title, String jmhKey, String side, String reference, boolean memory) {}

    private static final List<Ratio> RATIOS = List.of(
            new Ratio(
                    "bert_infer_vs_ort",
                    "MiniLM classification, batch 16 x 128 tokens: tl4j after optimizeForInference() vs ONNX Runtime"
                            + " on langchain4j's file",
                    "BertInference.predict",
                    "tl4jOnnx",
                    "ort",
                    false),
            new Ratio(
                    "bert_libtorch_vs_ort",
                    "the same, tl4j on libtorch (without optimizeForInference) vs ONNX Runtime",
                    "BertInference.predict",
                    "tl4j",
                    "ort",
                    false),
            new Ratio(
                    "resnet50_infer_vs_pytorch",
                    "ResNet-50 inference, batch 16, vs PyTorch eager",
                    "Inference.predict",
                    "tl4j",
                    "Inference.predict",
                    false),
            new Ratio(
                    "features_vs_pytorch",
                    "ResNet-18 frozen features, cached, 10 epochs, vs PyTorch eager",
                    "FeatureExtraction.cached",
                    "tl4j",
                    "FeatureExtraction.cached",
                    false),
            new Ratio(
                    "features_onnx_vs_pytorch",
                    "the same, the frozen features computed on ONNX Runtime (featuresOnOnnxRuntime), vs PyTorch eager",
                    "FeatureExtraction.cached",
                    "tl4jOnnx",
                    "FeatureExtraction.cached",
                    false),
            new Ratio(
                    "resnet18_train_vs_pytorch",
                    "ResNet-18 full fine-tuning vs PyTorch eager",
                    "ResNet18Training.fullFineTune",
                    "tl4j",
                    "ResNet18Training.fullFineTune",
                    false),
            new Ratio(
                    "head_vs_pytorch",
                    "linear head on cached features vs PyTorch eager",
                    "HeadTraining.head",
                    "tl4j",
                    "HeadTraining.head",
                    false),
            new Ratio(
                    "rss_resnet50_vs_pytorch",
                    "ResNet-50 inference peak RSS over PyTorch eager's (lower is better)",
                    "Inference.predict",
                    "tl4j",
                    "Inference.predict",
                    true),
            new Ratio(
                    "resnet50_onnx_vs_pytorch",
                    "ResNet-50 inference, batch 16, tl4j after optimizeForInference() (ONNX Runtime) vs PyTorch eager",
                    "Inference.predict",
                    "tl4jOnnx",
                    "Inference.predict",
                    false),
            new Ratio(
                    "rss_resnet50_onnx_vs_pytorch",
                    "the same, peak RSS over PyTorch eager's (lower is better)",
                    "Inference.predict",
                    "tl4jOnnx",
                    "Inference.predict",
                    true));

    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    private HeadlineReport() {
        RATIOS.forEach(r -> values.put(r.name(), new ArrayList<>()));
    }

    /**
     * Reads every round found in a directory.
     *
     * @param raw the directory of the rounds' files
     * @return the report
     * @throws IllegalArgumentException when the directory holds no round
     */
    public static HeadlineReport read(Path raw) {
        HeadlineReport report = new HeadlineReport();
        for (int round = 1;
                Files.exists(raw.resolve("r" + round + "-pytorch.json"))
                        || Files.exists(raw.resolve("r" + round + "-ort.json"));
                round++) {
            report.addRound(raw, round);
        }
        if (report.values.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("No headline rounds (r1-pytorch.json, r1-ort.json, ...) in " + raw);
        }
        return report;
    }

    private void addRound(Path raw, int round) {
        List<JmhResult> tl4j = new ArrayList<>();
        try (Stream<Path> files = Files.list(raw)) {
            files.filter(f -> f.getFileName().toString().startsWith("r" + round + "-tl4j-")
                            && f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .forEach(f -> tl4j.addAll(JmhResult.read(f, "headline")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + raw, e);
        }
        Path ortFile = raw.resolve("r" + round + "-ort.json");
        List<JmhResult> ort = Files.exists(ortFile) ? JmhResult.read(ortFile, "headline") : List.of();
        Path pytorchFile = raw.resolve("r" + round + "-pytorch.json");
        List<ReferenceResult> pytorch = Files.exists(pytorchFile) ? ReferenceResult.read(pytorchFile) : List.of();
        for (Ratio ratio : RATIOS) {
            Optional<JmhResult> ours = tl4j.stream()
                    .filter(r -> r.key().equals(ratio.jmhKey()) && r.side().equals(ratio.side()))
                    .findFirst();
            if (ours.isEmpty()) {
                continue;
            }
            if (ratio.reference().equals("ort")) {
                ort.stream()
                        .filter(r -> r.key().equals(ratio.jmhKey()) && r.side().equals("ort"))
                        .findFirst()
                        .ifPresent(o -> values.get(ratio.name()).add(ours.get().itemsPerSecond() / o.itemsPerSecond()));
            } else {
                pytorch.stream()
                        .filter(p -> p.matches(ours.get()))
                        .findFirst()
                        .ifPresent(p -> values.get(ratio.name())
                                .add(
                                        ratio.memory()
                                                ? ours.get().peakRssMiB() / p.peakRssMiB()
                                                : ours.get().itemsPerSecond() / p.itemsPerSecond()));
            }
        }
    }

    /**
     * Returns a ratio's values, one per round that measured both sides.
     *
     * @param name the ratio's name in the RESULT line
     * @return its values in round order
     */
    public List<Double> values(String name) {
        return List.copyOf(values.get(name));
    }

    /**
     * Returns the median of values (the mean of the middle two for an even count), NaN when empty.
     *
     * @param xs the values
     * @return their median
     */
    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Returns the line {@code RESULT perf name=median ...}; a ratio no round measured is {@code n/a}. */
    public String resultLine() {
        StringBuilder line = new StringBuilder("RESULT perf");
        values.forEach((name, xs) -> line.append(' ')
                .append(name)
                .append('=')
                .append(xs.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.3f", median(xs))));
        return line.toString();
    }

    /** Returns the markdown table: per ratio its median, min-max, spread and every round's value. */
    public String markdown() {
        StringBuilder md =
                new StringBuilder("| ratio | what | rounds | median | min-max | spread (max-min)/median | per round |\n"
                        + "| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Ratio ratio : RATIOS) {
            List<Double> xs = values.get(ratio.name());
            double min = xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            double median = median(xs);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.3f | %.3f-%.3f | %.0f %% | %s |%n",
                    ratio.name(),
                    ratio.title(),
                    xs.size(),
                    median,
                    min,
                    max,
                    100 * (max - min) / median,
                    Arrays.toString(xs.stream()
                            .map(x -> String.format(Locale.ROOT, "%.3f", x))
                            .toArray())));
        }
        return md.toString();
    }

    /**
     * Prints the table and the RESULT line for the rounds in a directory, and writes them to a file.
     *
     * @param args the rounds' directory, then the markdown file to write
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        HeadlineReport report = read(Path.of(args[0]));
        String text = report.markdown() + "\n" + report.resultLine() + "\n";
        Files.writeString(Path.of(args[1]), text);
        System.out.print(text);
    }
}
