/**
 * Safe files on disk for saved models and checkpoints: atomic writes with fixed modes ({@link
 * io.tl4j.core.persist.AtomicFiles}), self-contained model directories whose files are checked
 * against their recorded sha256 ({@link io.tl4j.core.persist.ModelDirectory}), strict JSON field
 * reading ({@link io.tl4j.core.persist.JsonFields}) and the exceptions that name the bad file, field
 * and value. Depends on the JDK, Gson and {@link io.tl4j.core.Provenance} only.
 */
package io.tl4j.core.persist;
