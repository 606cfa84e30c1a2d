package io.tl4j.serving;

import java.nio.file.Path;

/**
 * Runs a {@link ModelServer} from the command line until the process is stopped.
 *
 * <p>Usage: {@code ServeMain [--host 127.0.0.1] [--port 8080] name=modelDir [name=modelDir ...]}.
 */
public final class ServeMain {

    private ServeMain() {}

    /**
     * Starts a server for the models named on the command line and closes it when the JVM shuts down.
     *
     * @param args {@code --host h}, {@code --port p} and one or more {@code name=directory} pairs
     */
    public static void main(String[] args) {
        ModelServer server = configure(args).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tl4j-serve-shutdown"));
        System.out.println("tl4j serving " + String.join(" ", args) + " on port " + server.port());
    }

    /**
     * Turns command-line arguments into a builder, refusing unknown options and pairs without '='.
     *
     * @param args the command-line arguments
     * @return the configured builder
     */
    static ModelServer.Builder configure(String[] args) {
        ModelServer.Builder builder = ModelServer.builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--host") || arg.equals("--port")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = args[++i];
                if (arg.equals("--host")) {
                    builder.host(value);
                } else {
                    builder.port(parsePort(value));
                }
            } else if (arg.startsWith("--") || arg.indexOf('=') <= 0) {
                throw new IllegalArgumentException(
                        "Argument " + (i + 1) + " ('" + arg + "') is neither --host, --port nor name=modelDir");
            } else {
                int eq = arg.indexOf('=');
                builder.model(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
            }
        }
        return builder;
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port '" + value + "' is not a number", e);
        }
    }
}
