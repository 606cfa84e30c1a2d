package io.tl4j.benchmarks.report;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the command line of {@link ResultsReport#main}: the files it names (JMH runs, the PyTorch reference, the
 * soak run, the machine description) go into a report, and the output file is returned.
 */
final class ReportInputs {

    private ReportInputs() {}

    /**
     * Reads every input the arguments name into a report.
     *
     * @param args the arguments, as {@link ResultsReport#main} documents them
     * @param report the report the inputs are added to
     * @return the file the report is to be written to
     * @throws IOException when a file cannot be read
     */
    static Path readInto(String[] args, ResultsReport report) throws IOException {
        Path out = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--out" -> out = Path.of(value);
                case "--jmh" -> {
                    int eq = value.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("--jmh takes LABEL=FILE, got " + value);
                    }
                    Path file = Path.of(value.substring(eq + 1));
                    if (Files.exists(file) && Files.size(file) > 0) {
                        report.addJmh(JmhResult.read(file, value.substring(0, eq)));
                    } else {
                        System.err.println(
                                "no JMH results in " + file + " (missing or empty: the run did not finish), skipped");
                    }
                }
                case "--pytorch" -> {
                    if (Files.exists(Path.of(value))) {
                        report.addReference(ReferenceResult.read(Path.of(value)));
                    }
                }
                case "--soak" -> {
                    if (Files.exists(Path.of(value))) {
                        report.soak(JsonParser.parseString(Files.readString(Path.of(value)))
                                .getAsJsonObject());
                    }
                }
                case "--machine" -> {
                    for (String line : Files.readAllLines(Path.of(value))) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            report.machine(
                                    line.substring(0, colon).trim(),
                                    line.substring(colon + 1).trim());
                        }
                    }
                }
                case "--note" -> report.note(value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        return out;
    }
}
