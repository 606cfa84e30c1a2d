/**
 * Serves saved tl4j models over HTTP: {@link io.tl4j.serving.ModelServer} as a library and
 * {@link io.tl4j.serving.ServeMain} from the command line.
 *
 * <p>Requests for a model are collected into batches (bounded queue, at most N inputs or M milliseconds) and answered
 * with one forward pass each; reloads swap versions atomically; Micrometer metrics are scraped at {@code /metrics}.
 *
 * <p>Why Javalin: it is an embeddable library rather than a framework (no container, no annotation scanning, no
 * dependency injection), small (one jar over Jetty), runs on Jetty 12 and needs only Java 17, which is tl4j's baseline.
 * A server embedded in someone else's JVM should bring as little as that.
 */
package io.tl4j.serving;
