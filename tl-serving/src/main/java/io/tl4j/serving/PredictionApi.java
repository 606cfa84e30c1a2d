package io.tl4j.serving;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.Provenance;
import io.tl4j.core.TransferModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Defines the HTTP routes of a {@link ModelServer} and answers them in JSON.
 *
 * <p>Routes (also described by {@code /openapi.json}): {@code POST /v1/models/{name}:predict},
 * {@code POST /v1/models/{name}:feedback}, {@code POST /v1/models/{name}:rollback}, {@code GET /v1/models}, {@code GET /v1/models/{name}},
 * {@code GET /health/live}, {@code GET /health/ready}, {@code GET /metrics}, {@code GET /openapi.json}. Errors are
 * {@code {"error": ..., "field": ...}} with status 400, 404, 409, 413, 503 (with Retry-After) or 504.
 */
final class PredictionApi {

    /** The largest refused body read to its end before answering 413, so that the client sees the answer. */
    static final long SWALLOW_BYTES = 2L << 20;

    private static final String JSON = "application/json";
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final ModelServer server;
    private final String openApi;

    PredictionApi(ModelServer server) {
        this.server = server;
        this.openApi = readOpenApi();
    }

    void register(JavalinConfig config) {
        config.routes.get("/health/live", ctx -> json(ctx, 200, status("live")));
        config.routes.get("/health/ready", ctx -> {
            if (!server.ready()) {
                throw new ApiException(503, "not_ready", "The server is not ready", null);
            }
            json(ctx, 200, status("ready"));
        });
        config.routes.get("/v1/models", ctx -> {
            JsonArray models = new JsonArray();
            server.slots().values().forEach(slot -> models.add(describe(slot)));
            JsonObject body = new JsonObject();
            body.add("models", models);
            json(ctx, 200, body);
        });
        config.routes.get("/v1/models/{name}", ctx -> json(ctx, 200, describe(server.slot(ctx.pathParam("name")))));
        config.routes.post("/v1/models/{action}", this::act);
        config.routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(server.metrics().scrape()));
        config.routes.get("/openapi.json", ctx -> ctx.contentType(JSON).result(openApi));
        config.routes.exception(ApiException.class, (e, ctx) -> answer(ctx, e));
        config.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> answer(
                        ctx,
                        new ApiException(
                                e.getStatus(), e.getStatus() == 413 ? "too_large" : "http", e.getMessage(), null)));
        config.routes.exception(
                Exception.class,
                (e, ctx) -> answer(
                        ctx,
                        new ApiException(500, "internal", e.getClass().getSimpleName() + ": " + e.getMessage(), null)));
    }

    /** Answers {@code POST /v1/models/{name}:predict}, {@code :feedback} and {@code :rollback}. */
    private void act(Context ctx) {
        String action = ctx.pathParam("action");
        int colon = action.lastIndexOf(':');
        String verb = colon < 0 ? "" : action.substring(colon + 1);
        String name = colon < 0 ? action : action.substring(0, colon);
        switch (verb) {
            case "predict" -> predict(ctx, name);
            case "rollback" -> {
                ModelSlot slot = server.slot(name);
                slot.rollback();
                json(ctx, 200, describe(slot));
            }
            case "feedback" -> {
                JsonElement body;
                try {
                    body = JsonParser.parseString(ctx.body());
                } catch (JsonParseException e) {
                    throw new ApiException(400, "bad_feedback", "The body is not valid JSON: " + e.getMessage(), null);
                }
                FeedbackLog log = server.feedback(name);
                JsonObject answer = new JsonObject();
                answer.addProperty("model", name);
                answer.addProperty("accepted", log.apply(body));
                answer.add("feedback", log.toJson());
                json(ctx, 200, answer);
            }
            default ->
                throw new ApiException(
                        404,
                        "unknown_route",
                        "Unknown action '" + verb + "'; use :predict, :feedback or :rollback",
                        "action");
        }
    }

    /**
     * Reads and discards a refused body of up to {@link #SWALLOW_BYTES}, as Tomcat's {@code maxSwallowSize} does:
     * answering before the client has sent its body makes the server close the connection while the client still
     * writes, and the client then sees a broken pipe instead of the 413. Larger bodies are not read.
     */
    private static void swallow(Context ctx) {
        if (ctx.contentLength() > SWALLOW_BYTES) {
            return;
        }
        try (InputStream body = ctx.req().getInputStream()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away; the 413 is answered (or not) all the same
        }
    }

    private void predict(Context ctx, String name) {
        long start = System.nanoTime();
        Batcher batcher = server.batcher(name);
        boolean multipart = ctx.isMultipartFormData();
        long cap = multipart
                ? server.settings().maxUploadBytes()
                : server.settings().maxRequestBytes();
        if (ctx.contentLength() > cap) {
            swallow(ctx);
            throw new ApiException(
                    413, "too_large", "The body has " + ctx.contentLength() + " bytes; the cap is " + cap, null);
        }
        InputPipeline<?> pipeline = server.slot(name).current().model().pipeline();
        try (RequestInputs request = multipart
                ? RequestInputs.multipart(ctx, name, pipeline, server.uploadDirectory(), cap)
                : RequestInputs.json(ctx.body()).checkedFor(name, pipeline)) {
            answer(ctx, name, batcher, request, start);
        }
    }

    private void answer(Context ctx, String name, Batcher batcher, RequestInputs request, long start) {
        List<CompletableFuture<ScoredInput>> futures =
                new ArrayList<>(request.inputs().size());
        try {
            for (Object input : request.inputs()) {
                futures.add(batcher.submit(input));
            }
            collect(ctx, name, futures, request, start);
        } finally {
            // a request answered early (queue full, timeout, bad input) leaves no input for the batcher to score
            futures.forEach(future -> future.cancel(false));
        }
    }

    private void collect(
            Context ctx, String name, List<CompletableFuture<ScoredInput>> futures, RequestInputs request, long start) {
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(server.settings().requestTimeoutMillis());
        JsonArray predictions = new JsonArray();
        JsonArray ids = new JsonArray();
        FeedbackLog feedback = server.feedback(name);
        String version = null;
        for (int i = 0; i < futures.size(); i++) {
            ScoredInput scored =
                    await(futures.get(i), deadline, request.fields().get(i));
            version = scored.version();
            predictions.add(ranked(scored));
            int top = argMax(scored.probabilities());
            ids.add(feedback.remember(scored, top));
            server.metrics()
                    .prediction(
                            name,
                            version,
                            Duration.ofNanos(System.nanoTime() - start),
                            scored.classNames().get(top),
                            scored.probabilities()[top]);
        }
        JsonObject body = new JsonObject();
        body.addProperty("model", name);
        body.addProperty("version", version);
        body.add("predictions", predictions);
        body.add("ids", ids);
        json(ctx, 200, body);
    }

    private static ScoredInput await(CompletableFuture<ScoredInput> future, long deadline, String field) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(504, "timeout", "No answer for " + field + " in time", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw new ApiException(api.status(), api.kind(), api.getMessage(), field);
            }
            throw new IllegalStateException("Scoring " + field + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "Interrupted while waiting", null);
        }
    }

    private static JsonArray ranked(ScoredInput scored) {
        float[] p = scored.probabilities();
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < p.length; c++) {
            order.add(c);
        }
        order.sort((a, b) -> Float.compare(p[b], p[a]));
        JsonArray labels = new JsonArray();
        for (int c : order) {
            JsonObject label = new JsonObject();
            label.addProperty("label", scored.classNames().get(c));
            label.addProperty("probability", p[c]);
            labels.add(label);
        }
        return labels;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private JsonObject describe(ModelSlot slot) {
        JsonObject body = new JsonObject();
        synchronized (slot) {
            LoadedModel loaded = slot.current();
            TransferModel<Object> model = loaded.model();
            body.addProperty("name", slot.name());
            body.addProperty("version", loaded.versionName());
            body.add("classes", GSON.toJsonTree(model.classNames()));
            Provenance provenance = model.provenance();
            body.add(
                    "provenance",
                    GSON.toJsonTree(Map.of(
                            "source", String.valueOf(provenance.source()),
                            "sha256", String.valueOf(provenance.sha256()),
                            "licence", String.valueOf(provenance.licence()),
                            "note", String.valueOf(provenance.note()))));
            body.add("history", JsonParser.parseString(model.history().toJson()));
        }
        body.add("feedback", server.feedback(slot.name()).toJson());
        return body;
    }

    private void answer(Context ctx, ApiException e) {
        server.metrics().error(e.kind());
        if (e.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        JsonObject body = new JsonObject();
        body.addProperty("error", e.getMessage());
        body.addProperty("field", e.field());
        json(ctx, e.status(), body);
    }

    private static JsonObject status(String value) {
        JsonObject body = new JsonObject();
        body.addProperty("status", value);
        return body;
    }

    private static void json(Context ctx, int status, JsonObject body) {
        ctx.status(status).contentType(JSON).result(GSON.toJson(body));
    }

    private static String readOpenApi() {
        try (InputStream in = PredictionApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the tl-serving jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read openapi.json", e);
        }
    }
}
