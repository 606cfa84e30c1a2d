/**
 * Apache Spark ML stages for tl4j: {@link io.tl4j.spark.TransferModelTransformer} scores a saved model over a
 * DataFrame, {@link io.tl4j.spark.FeatureExtractor} adds a frozen backbone's embedding, and {@link
 * io.tl4j.spark.MllibHeads} turns an MLlib logistic regression fitted on those embeddings into a tl4j model.
 */
package io.tl4j.spark;
