/**
 * Backbones from TorchScript files ({@code torch.jit.save} output, a URL, DJL's model zoo): {@link
 * io.tl4j.core.torchscript.TorchScriptBackbones} is the entry point; the rest wraps a loaded module
 * as a trainable DJL block, binds the few PyTorch-engine calls it needs by reflection, and finds,
 * downloads and caches the files. Depends on DJL's API, tl-core's public API ({@code io.tl4j.core}:
 * {@code Backbone}, {@code Architecture}, {@code Components}, {@code Provenance}), {@link
 * io.tl4j.core.persist} and {@link io.tl4j.core.weights}; the PyTorch engine is reached only by
 * reflection, never at compile time.
 */
package io.tl4j.core.torchscript;
