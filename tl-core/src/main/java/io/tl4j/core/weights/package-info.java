/**
 * Weight files and state dicts: a pure-Java safetensors reader and writer ({@link
 * io.tl4j.core.weights.SafeTensors}), PyTorch-style dotted parameter names for DJL blocks ({@link
 * io.tl4j.core.weights.ParameterNames}) and a strict state-dict exporter and loader ({@link
 * io.tl4j.core.weights.StateDict}).
 */
package io.tl4j.core.weights;
