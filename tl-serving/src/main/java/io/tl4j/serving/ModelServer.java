package io.tl4j.serving;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.tl4j.core.monitor.DriftMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * Serves saved tl4j models over HTTP: predictions with dynamic batching, model listing, health, reloads and metrics.
 *
 * <p>Use it as a library:
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.builder().model("spam", dir).port(8080).build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>It binds to 127.0.0.1 unless told otherwise. Model directories come only from this configuration and from
 * {@link #reload(String, Path)}; no request can name a path. The routes are those of {@link PredictionApi}.
 */
public final class ModelServer implements AutoCloseable {

    private final Builder settings;
    private final Map<String, ModelSlot> slots;
    private final Map<String, Batcher> batchers = new LinkedHashMap<>();
    private final Map<String, FeedbackLog> feedback = new LinkedHashMap<>();
    private final ServingMetrics metrics = new ServingMetrics();
    private final Javalin app;
    private final Path uploadDirectory;
    private volatile boolean ready;

    private ModelServer(Builder settings, Map<String, ModelSlot> slots) {
        this.settings = settings;
        this.slots = slots;
        try {
            this.uploadDirectory = Files.createTempDirectory("tl4j-uploads");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for uploaded files", e);
        }
        for (ModelSlot slot : slots.values()) {
            metrics.drift(slot);
            feedback.put(
                    slot.name(),
                    new FeedbackLog(
                            slot.name(),
                            settings.feedbackWindow,
                            settings.predictionMemory,
                            window -> metrics.feedback(slot.name(), window)));
            batchers.put(
                    slot.name(),
                    new Batcher(slot, metrics, settings.maxBatch, settings.maxWaitMillis, settings.queueCapacity));
        }
        PredictionApi api = new PredictionApi(this);
        this.app = Javalin.create(config -> {
            config.http.maxRequestSize = settings.maxRequestBytes;
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes, SizeUnit.BYTES);
            config.startup.showJavalinBanner = false;
            // on stop, Jetty waits up to the request timeout for requests in progress to be answered, plus a second
            // to write the answers and stop its own components (with a 50 ms timeout alone, stopping timed out)
            config.jetty.modifyServer(jetty -> {
                jetty.setStopTimeout(settings.requestTimeoutMillis + 1_000);
                jetty.insertHandler(new GracefulHandler());
            });
            api.register(config);
        });
    }

    /**
     * Returns a builder with the defaults: host 127.0.0.1, port 8080, batches of at most 32 inputs collected for up
     * to 5 ms, a queue of 256 inputs per model, a 10 s request timeout, a 1 MiB cap on JSON bodies and a 16 MiB cap
     * on multipart (file upload) bodies, and feedback over the last 500 of the latest 10,000 predictions per model.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening; the readiness probe answers 200 from now on.
     *
     * @return this server
     */
    public ModelServer start() {
        app.start(settings.host, settings.port);
        ready = true;
        return this;
    }

    /**
     * Returns the port the server listens on (the chosen one when the builder asked for port 0).
     *
     * @return the port
     */
    public int port() {
        return app.port();
    }

    /**
     * Loads {@code directory} as the next version of {@code name} and swaps it in atomically; requests keep being
     * answered by the old version while it loads, and the old version is closed after its last batch.
     *
     * @param name a served model name
     * @param directory a saved model directory
     * @throws IllegalArgumentException if {@code name} is not served or the directory is not a valid model
     */
    public void reload(String name, Path directory) {
        slot(name).reload(directory);
    }

    /**
     * Stops accepting requests (Jetty answers new ones 503 while it stops), waits up to the request timeout for the
     * requests in progress to be answered, then stops the batchers and closes every model.
     */
    @Override
    public void close() {
        ready = false;
        app.stop();
        batchers.values().forEach(Batcher::close);
        slots.values().forEach(ModelSlot::close);
        try (var left = Files.list(uploadDirectory)) {
            for (Path file : left.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(uploadDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the upload directory " + uploadDirectory, e);
        }
    }

    Path uploadDirectory() {
        return uploadDirectory;
    }

    boolean ready() {
        return ready;
    }

    Builder settings() {
        return settings;
    }

    ServingMetrics metrics() {
        return metrics;
    }

    Map<String, ModelSlot> slots() {
        return slots;
    }

    Batcher batcher(String name) {
        slot(name);
        return batchers.get(name);
    }

    FeedbackLog feedback(String name) {
        slot(name);
        return feedback.get(name);
    }

    ModelSlot slot(String name) {
        ModelSlot slot = slots.get(name);
        if (slot == null) {
            throw new ApiException(
                    404, "unknown_model", "No model named '" + name + "'; served: " + slots.keySet(), "name");
        }
        return slot;
    }

    /** Configures a {@link ModelServer}; every setting has a default except the models. */
    public static final class Builder {

        private final Map<String, Path> models = new LinkedHashMap<>();
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxBatch = 32;
        private long maxWaitMillis = 5;
        private int queueCapacity = 256;
        private long requestTimeoutMillis = 10_000;
        private long maxRequestBytes = 1 << 20;
        private long maxUploadBytes = 16 << 20;
        private int feedbackWindow = 500;
        private int predictionMemory = 10_000;
        private int driftWindow = DriftMonitor.DEFAULT_WINDOW;

        private Builder() {}

        /**
         * Serves the model saved in {@code directory} under {@code name}.
         *
         * @param name the name in the URL, letters, digits, '-', '_' and '.'
         * @param directory a directory written by {@code TransferModel.save}
         * @return this builder
         */
        public Builder model(String name, Path directory) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("Model name '" + name + "' must match [A-Za-z0-9._-]+");
            }
            if (models.putIfAbsent(name, directory) != null) {
                throw new IllegalArgumentException("Model name '" + name + "' is given twice");
            }
            return this;
        }

        /**
         * Sets the interface to bind to; 127.0.0.1 by default.
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is empty");
            }
            this.host = host;
            return this;
        }

        /**
         * Sets the port; 0 picks a free one (see {@link ModelServer#port()}).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = checked("port", port, 0, 65_535);
            return this;
        }

        /**
         * Sets the largest number of inputs in one forward pass.
         *
         * @param maxBatch at least 1
         * @return this builder
         */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = checked("maxBatch", maxBatch, 1, 4096);
            return this;
        }

        /**
         * Sets how long a batch waits for more inputs after its first one arrived.
         *
         * @param millis 0 or more milliseconds
         * @return this builder
         */
        public Builder maxWaitMillis(long millis) {
            this.maxWaitMillis = checked("maxWaitMillis", millis, 0, 60_000);
            return this;
        }

        /**
         * Sets how many inputs may wait per model before requests are refused with 503.
         *
         * @param capacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = checked("queueCapacity", capacity, 1, 1_000_000);
            return this;
        }

        /**
         * Sets how long a request waits for its answer before it is answered 504.
         *
         * @param millis at least 1 millisecond
         * @return this builder
         */
        public Builder requestTimeoutMillis(long millis) {
            this.requestTimeoutMillis = checked("requestTimeoutMillis", millis, 1, 3_600_000);
            return this;
        }

        /**
         * Sets the largest request body accepted; larger ones are answered 413.
         *
         * @param bytes at least 1 byte
         * @return this builder
         */
        public Builder maxRequestBytes(long bytes) {
            this.maxRequestBytes = checked("maxRequestBytes", bytes, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets the largest multipart body (image or audio files) accepted; larger ones are answered 413. Decoded sizes
         * are capped by the model's pipeline (image pixels, audio duration).
         *
         * @param bytes at least 1 byte
         * @return this builder
         */
        public Builder maxUploadBytes(long bytes) {
            this.maxUploadBytes = checked("maxUploadBytes", bytes, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets how many of the latest feedbacks per model version the rolling accuracy and macro-F1 cover.
         *
         * @param size at least 1; 500 by default
         * @return this builder
         */
        public Builder feedbackWindow(int size) {
            this.feedbackWindow = checked("feedbackWindow", size, 1, 1_000_000);
            return this;
        }

        /**
         * Sets how many of the latest predictions per model are remembered for feedback; feedback for an older one is
         * refused.
         *
         * @param predictions at least 1; 10,000 by default
         * @return this builder
         */
        public Builder predictionMemory(int predictions) {
            this.predictionMemory = checked("predictionMemory", predictions, 1, 10_000_000);
            return this;
        }

        /**
         * Sets how many of the latest predictions the drift statistics of a model served with a reference profile
         * cover; they are evaluated every 50 predictions (or every {@code size}, when smaller).
         *
         * @param size at least 50; 500 by default ({@link DriftMonitor#DEFAULT_WINDOW})
         * @return this builder
         */
        public Builder driftWindow(int size) {
            this.driftWindow = checked("driftWindow", size, 50, 1_000_000);
            return this;
        }

        /**
         * Returns every setting, for a log line: models, host, port, batching, queue, timeout, caps and windows.
         *
         * @return the settings as {@code key=value} pairs
         */
        public String describe() {
            return "models=" + models + " host=" + host + " port=" + port + " maxBatch=" + maxBatch
                    + " maxWaitMillis=" + maxWaitMillis + " queueCapacity=" + queueCapacity + " requestTimeoutMillis="
                    + requestTimeoutMillis + " maxRequestBytes=" + maxRequestBytes + " maxUploadBytes="
                    + maxUploadBytes + " driftWindow=" + driftWindow + " feedbackWindow=" + feedbackWindow
                    + " predictionMemory=" + predictionMemory;
        }

        long maxUploadBytes() {
            return maxUploadBytes;
        }

        long requestTimeoutMillis() {
            return requestTimeoutMillis;
        }

        long maxRequestBytes() {
            return maxRequestBytes;
        }

        /**
         * Loads every model and builds the server without starting it; a model directory that is not valid, or whose
         * model.json names an unregistered component, is refused here.
         *
         * @return the server, not yet listening
         */
        public ModelServer build() {
            if (models.isEmpty()) {
                throw new IllegalStateException("No model configured: call model(name, directory) first");
            }
            Map<String, ModelSlot> slots = new LinkedHashMap<>();
            try {
                models.forEach((name, dir) ->
                        slots.put(name, new ModelSlot(name, LoadedModel.load(dir, 1, driftWindow), driftWindow)));
            } catch (RuntimeException e) {
                slots.values().forEach(ModelSlot::close);
                throw e;
            }
            return new ModelServer(this, slots);
        }

        private static int checked(String what, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " is " + value + ", not in [" + min + ", " + max + "]");
            }
            return (int) value;
        }
    }
}
