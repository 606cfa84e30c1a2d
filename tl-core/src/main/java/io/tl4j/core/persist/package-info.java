/**
 * Model persistence and safe files on disk: the saved model's {@code model.json} ({@link
 * io.tl4j.core.persist.ModelDescriptor}: its schema, strict reading, writing), component settings as
 * JSON objects ({@link io.tl4j.core.persist.ConfigJson}), the checks on a saved model's files
 * ({@link io.tl4j.core.persist.ModelFiles}: recorded sha256, finite weights), atomic writes with
 * fixed modes ({@link io.tl4j.core.persist.AtomicFiles}), self-contained model directories ({@link
 * io.tl4j.core.persist.ModelDirectory}), strict JSON field reading ({@link
 * io.tl4j.core.persist.JsonFields}) and the exceptions that name the bad file, field and value. It
 * knows nothing of networks: rebuilding components from what it reads is the root package's job
 * ({@code TransferModel.load}). Depends on the JDK, Gson, SLF4J, DJL's {@code NDArray}, {@link
 * io.tl4j.core.Provenance}, {@code io.tl4j.core.metrics} and {@code io.tl4j.core.weights} only.
 */
package io.tl4j.core.persist;
