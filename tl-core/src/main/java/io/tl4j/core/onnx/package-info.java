/**
 * Writes ONNX models: {@link io.tl4j.core.onnx.OnnxGraphBuilder} builds a graph of operators and
 * weights and writes it in protobuf's wire format by the field numbers of {@code onnx.proto}, with no
 * generated classes and no protobuf library; {@link io.tl4j.core.onnx.OnnxExportable} is what an
 * architecture implements to write its forward pass into such a graph ({@link
 * io.tl4j.core.TransferModel#exportOnnx}).
 */
package io.tl4j.core.onnx;
