/**
 * tl4j's public API and the classification fit: {@link io.tl4j.core.TransferLearner} (the fluent
 * entry point, which builds an immutable {@link io.tl4j.core.TrainingConfig}), {@link
 * io.tl4j.core.Backbone}, {@link io.tl4j.core.Head}, {@link io.tl4j.core.Freezing}, {@link
 * io.tl4j.core.InputPipeline} and the immutable {@link io.tl4j.core.TransferModel} it returns, with
 * its save and load entry points (the {@code model.json} schema is in {@link io.tl4j.core.persist}).
 * The fit itself ({@code FitRun}) prepares the data, builds the network and runs {@link
 * io.tl4j.core.train.TrainingLoop}. It also holds
 * small built-in architectures, the {@link io.tl4j.core.Components} registry through which domain
 * modules make saved models loadable, and the once-per-JVM engine check. TorchScript backbones are
 * in {@link io.tl4j.core.torchscript}. Depends on DJL's API, Gson, SLF4J and the {@code
 * io.tl4j.core.*} subpackages; never on the PyTorch engine at compile time. No domain module.
 */
package io.tl4j.core;
