package io.tl4j.serving;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs a {@link ModelServer} from the command line until the process is stopped.
 *
 * <p>Usage: {@code ServeMain [--flag value | --flag=value ...] name=modelDir [name=modelDir ...]}, with the flags
 * {@code --host}, {@code --port}, {@code --max-batch}, {@code --batch-wait-ms}, {@code --queue-size},
 * {@code --timeout-ms}, {@code --max-request-bytes}, {@code --max-upload-bytes}, {@code --drift-window},
 * {@code --feedback-window} and {@code --prediction-memory}; each defaults to {@link ModelServer#builder()}'s value.
 */
public final class ServeMain {

    /** Every flag, with the builder setting it sets and what it means (printed when a flag is unknown). */
    static final Map<String, Flag> FLAGS = flags();

    /**
     * One command-line flag.
     *
     * @param meaning what the value is, for the usage message
     * @param setter applies the value to a builder; throws IllegalArgumentException for a bad value
     */
    record Flag(String meaning, BiConsumer<ModelServer.Builder, String> setter) {}

    private ServeMain() {}

    /**
     * Starts a server for the models named on the command line and closes it when the JVM shuts down.
     *
     * @param args flags ({@code --port 8080}, ...) and one or more {@code name=directory} pairs
     */
    public static void main(String[] args) {
        ModelServer.Builder builder = configure(args);
        ModelServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tl4j-serve-shutdown"));
        System.out.println("tl4j serving on port " + server.port() + ": " + builder.describe());
    }

    /**
     * Turns command-line arguments into a builder; an unknown flag, a flag without a value, a bad value (naming the
     * flag) and a model argument without '=' are refused.
     *
     * @param args the command-line arguments
     * @return the configured builder
     * @throws IllegalArgumentException naming the argument at fault
     */
    static ModelServer.Builder configure(String[] args) {
        ModelServer.Builder builder = ModelServer.builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                Flag flag = FLAGS.get(name);
                if (flag == null) {
                    throw new IllegalArgumentException(
                            "Argument " + (i + 1) + " ('" + arg + "') is not a flag; flags: " + usage());
                }
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(name + " needs a value: " + flag.meaning());
                }
                try {
                    flag.setter().accept(builder, value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " '" + value + "': " + e.getMessage(), e);
                }
            } else if (arg.indexOf('=') <= 0) {
                throw new IllegalArgumentException(
                        "Argument " + (i + 1) + " ('" + arg + "') is neither a flag nor name=modelDir");
            } else {
                int eq = arg.indexOf('=');
                builder.model(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
            }
        }
        return builder;
    }

    /** Returns every flag with its meaning, one per line. */
    static String usage() {
        StringBuilder text = new StringBuilder();
        FLAGS.forEach(
                (name, flag) -> text.append("\n  ").append(name).append(' ').append(flag.meaning()));
        return text.toString();
    }

    private static Map<String, Flag> flags() {
        Map<String, Flag> flags = new LinkedHashMap<>();
        flags.put("--host", new Flag("interface to bind to (127.0.0.1)", ModelServer.Builder::host));
        flags.put("--port", new Flag("port, 0 for a free one (8080)", (b, v) -> b.port(integer(v))));
        flags.put("--max-batch", new Flag("most inputs per forward pass (32)", (b, v) -> b.maxBatch(integer(v))));
        flags.put(
                "--batch-wait-ms",
                new Flag("ms a batch waits for more inputs after its first (5)", (b, v) -> b.maxWaitMillis(number(v))));
        flags.put(
                "--queue-size",
                new Flag("inputs that may wait per model before 503 (256)", (b, v) -> b.queueCapacity(integer(v))));
        flags.put(
                "--timeout-ms",
                new Flag(
                        "ms a request waits for its answer before 504 (10000)",
                        (b, v) -> b.requestTimeoutMillis(number(v))));
        flags.put(
                "--max-request-bytes",
                new Flag("largest JSON body before 413 (1048576)", (b, v) -> b.maxRequestBytes(number(v))));
        flags.put(
                "--max-upload-bytes",
                new Flag("largest multipart (file) body before 413 (16777216)", (b, v) -> b.maxUploadBytes(number(v))));
        flags.put(
                "--drift-window",
                new Flag("predictions the drift statistics cover, >= 50 (500)", (b, v) -> b.driftWindow(integer(v))));
        flags.put(
                "--feedback-window",
                new Flag("feedbacks the rolling accuracy covers (500)", (b, v) -> b.feedbackWindow(integer(v))));
        flags.put(
                "--prediction-memory",
                new Flag("predictions remembered for feedback (10000)", (b, v) -> b.predictionMemory(integer(v))));
        return Collections.unmodifiableMap(flags);
    }

    private static int integer(String value) {
        long parsed = number(value);
        if (parsed != (int) parsed) {
            throw new IllegalArgumentException("too large");
        }
        return (int) parsed;
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number", e);
        }
    }
}
