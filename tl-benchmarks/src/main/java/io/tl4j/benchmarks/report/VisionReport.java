package io.tl4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the rounds of {@code run.sh vision} into one row per image architecture: tl4j's and PyTorch
 * eager's throughput and peak RSS, each the median over the rounds, and the ratio of the two taken
 * within each round (median and min-max), so that the machine's drift between rounds cancels.
 *
 * <p>Round {@code r} of architecture {@code m} is the files {@code r<r>-tl4j-<m>.json} (JMH's {@code
 * VisionInference.predict_tl4j}) and {@code r<r>-pytorch-<m>.json} ({@code pytorch_reference.py
 * --cases VisionInference.predict:<m>}); a round missing either side is left out of that row.
 */
public final class VisionReport {

    /** One round of one architecture: both sides' throughput (images/s) and peak RSS (MiB). */
    record Round(double tl4jImagesPerSecond, double tl4jRssMiB, double pytorchImagesPerSecond, double pytorchRssMiB) {}

    private final Map<String, List<Round>> rounds = new LinkedHashMap<>();
    private final Map<String, String> batches = new LinkedHashMap<>();

    private VisionReport() {}

    /**
     * Reads every round of every architecture found in a directory.
     *
     * @param raw the directory of the rounds' files
     * @param models the architectures, in the order of the table
     * @return the report
     * @throws IllegalArgumentException when no architecture has a round with both sides, naming the
     *     directory
     */
    public static VisionReport read(Path raw, List<String> models) {
        VisionReport report = new VisionReport();
        for (String model : models) {
            List<Round> found = new ArrayList<>();
            for (int r = 1; Files.exists(raw.resolve("r" + r + "-tl4j-" + model + ".json")); r++) {
                Path pytorchFile = raw.resolve("r" + r + "-pytorch-" + model + ".json");
                if (!Files.exists(pytorchFile)) {
                    continue;
                }
                List<JmhResult> ours = JmhResult.read(raw.resolve("r" + r + "-tl4j-" + model + ".json"), "vision");
                List<ReferenceResult> theirs = ReferenceResult.read(pytorchFile);
                for (JmhResult row : ours) {
                    theirs.stream().filter(p -> p.matches(row)).findFirst().ifPresent(p -> {
                        found.add(
                                new Round(row.itemsPerSecond(), row.peakRssMiB(), p.itemsPerSecond(), p.peakRssMiB()));
                        report.batches.put(model, row.params().get("batch"));
                    });
                }
            }
            if (!found.isEmpty()) {
                report.rounds.put(model, found);
            }
        }
        if (report.rounds.isEmpty()) {
            throw new IllegalArgumentException("No vision rounds with both sides (r1-tl4j-<model>.json and"
                    + " r1-pytorch-<model>.json) in " + raw);
        }
        return report;
    }

    /**
     * Returns an architecture's rounds that measured both sides.
     *
     * @param model the torchvision name
     * @return its rounds in order, empty when none
     */
    List<Round> rounds(String model) {
        return rounds.getOrDefault(model, List.of());
    }

    /** Returns the markdown table, one row per architecture that has rounds. */
    public String markdown() {
        StringBuilder md = new StringBuilder(
                "| network | batch | rounds | tl4j img/s | PyTorch img/s | tl4j / PyTorch throughput, median (min-max)"
                        + " | tl4j peak RSS | PyTorch peak RSS | RSS ratio |\n"
                        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rounds.forEach((model, rs) -> {
            List<Double> ratios = values(rs, r -> r.tl4jImagesPerSecond() / r.pytorchImagesPerSecond());
            double tl4jRss = HeadlineReport.median(values(rs, Round::tl4jRssMiB));
            double pytorchRss = HeadlineReport.median(values(rs, Round::pytorchRssMiB));
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.2f | %.2f | %.2f (%.2f-%.2f) | %.0f MiB | %.0f MiB | %.2f |%n",
                    model,
                    batches.get(model),
                    rs.size(),
                    HeadlineReport.median(values(rs, Round::tl4jImagesPerSecond)),
                    HeadlineReport.median(values(rs, Round::pytorchImagesPerSecond)),
                    HeadlineReport.median(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    tl4jRss,
                    pytorchRss,
                    tl4jRss / pytorchRss));
        });
        return md.toString();
    }

    private static List<Double> values(List<Round> rounds, ToDoubleFunction<Round> value) {
        return rounds.stream().map(value::applyAsDouble).toList();
    }

    /**
     * Prints the table for the rounds in a directory and writes it to a file.
     *
     * @param args the rounds' directory, the markdown file to write, then the architectures
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        VisionReport report = read(Path.of(args[0]), List.of(args).subList(2, args.length));
        String text = report.markdown();
        Files.writeString(Path.of(args[1]), text);
        System.out.print(text);
    }
}
