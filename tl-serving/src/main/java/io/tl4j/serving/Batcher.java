package io.tl4j.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects the requests for one model into batches and runs one forward pass per batch on its own thread.
 *
 * <p>A batch closes when it holds {@code maxBatch} inputs or {@code maxWaitMillis} after its first input arrived. The
 * queue is bounded: a full queue refuses new inputs with 503. An input whose request was already answered (timed out
 * with 504, or refused because another of its inputs found the queue full) is dropped when its batch is collected,
 * so no forward pass is spent on an answer nobody waits for. If a batch fails, each of its inputs is retried alone
 * so that one bad input fails only its own request. {@link #close()} refuses new inputs and finishes the queued ones.
 */
final class Batcher implements AutoCloseable {

    private record Pending(Object input, CompletableFuture<ScoredInput> result) {}

    private final ModelSlot slot;
    private final ServingMetrics metrics;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean accepting = true;

    Batcher(ModelSlot slot, ServingMetrics metrics, int maxBatch, long maxWaitMillis, int queueCapacity) {
        this.slot = slot;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        metrics.queueDepth(slot.name(), queue);
        this.thread = new Thread(this::run, "tl4j-batcher-" + slot.name());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues one input; the future completes with its probabilities, or fails with an {@link ApiException}. Cancel
     * the future to drop the input if it is still waiting.
     */
    CompletableFuture<ScoredInput> submit(Object input) {
        CompletableFuture<ScoredInput> result = new CompletableFuture<>();
        if (!accepting) {
            throw new ApiException(503, "shutting_down", "The server is shutting down", null);
        }
        if (!queue.offer(new Pending(input, result))) {
            throw new ApiException(503, "queue_full", "The queue of model '" + slot.name() + "' is full", null);
        }
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (accepting || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                int collected = batch.size();
                batch.removeIf(pending -> pending.result().isDone());
                if (batch.size() < collected) {
                    metrics.dropped(slot.name(), collected - batch.size());
                }
                if (!batch.isEmpty()) {
                    score(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void score(List<Pending> batch) {
        try {
            complete(batch);
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(refused(batchFailure));
                return;
            }
            for (Pending pending : batch) {
                score(List.of(pending));
            }
        }
    }

    private void complete(List<Pending> batch) {
        List<Object> inputs = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            inputs.add(pending.input());
        }
        float[][] probabilities;
        LoadedModel model;
        List<String> classes;
        synchronized (slot) {
            model = slot.current();
            probabilities = model.drift() == null
                    ? model.model().probabilities(inputs)
                    : model.model().probabilities(inputs, model.drift());
            classes = model.model().classNames();
        }
        metrics.batch(slot.name(), batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(new ScoredInput(probabilities[i], classes, model.versionName()));
        }
    }

    private static ApiException refused(RuntimeException failure) {
        return new ApiException(400, "bad_input", "The model refused the input: " + failure.getMessage(), "inputs");
    }

    /** Refuses new inputs, answers the queued ones and waits for the batcher thread to finish. */
    @Override
    public void close() {
        accepting = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
