package io.tl4j.core.torchscript;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.nn.SymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.WeightFileException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A loaded TorchScript module as a DJL block with the semantics tl4j's training loop expects of
 * every block: {@code training} chooses the module's mode (BatchNorm on batch statistics, updating
 * its running statistics, or on the running statistics), and autograd records whenever the
 * thread's grad mode is on (inside a gradient collector), whatever the mode. Training and inference forwards must
 * not run at the same time on one block (the mode belongs to the module); inference forwards may.
 *
 * <p>DJL's {@code PtSymbolBlock} ties the two together: its inference forward runs under an
 * inference guard (so nothing behind a frozen BatchNorm could train, and its outputs, inference
 * tensors, cannot even feed a trained head: "Inference tensors cannot be saved for backward"), and it assumes a
 * freshly loaded module is in training mode while the engine loads it in eval mode (so its first training forward would silently use running statistics). This block
 * sets the mode itself and runs the module through the PyTorch engine's public {@code JniUtils} and
 * {@code IValueUtils}, reached by reflection because tl-core compiles against DJL's API only.
 * Parameters are the module's own, under its parameter names.
 */
final class TorchScriptBlock extends AbstractSymbolBlock {

    private static final PyTorchCalls PYTORCH = PyTorchCalls.PYTORCH;

    private final Block module;
    private boolean training;

    /**
     * Loads the module in {@code file} into a new {@link Model} that is closed with {@code manager},
     * and wraps its block.
     *
     * @throws WeightFileException when the file is missing or is not a loadable TorchScript module
     */
    static TorchScriptBlock load(Path file, NDManager manager) {
        TorchScriptFiles.checkReadable(file);
        String name = file.getFileName().toString().replaceFirst("\\.pt$", "");
        Model model = Model.newInstance(name, Device.cpu(), PyTorchCalls.ENGINE);
        try {
            model.load(file, null, Map.of("trainParam", "true"));
            TorchScriptBlock block = new TorchScriptBlock(model.getBlock());
            manager.attachInternal("tl4j-torchscript-" + UUID.randomUUID(), model);
            return block;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new WeightFileException(file, null, "not a loadable TorchScript module: " + e.getMessage(), e);
        }
    }

    private TorchScriptBlock(Block module) {
        this.module = Objects.requireNonNull(module, "module");
        PYTORCH.setMode(module, false); // a known mode, whatever the engine and the file left
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        synchronized (this) {
            if (this.training != training) {
                PYTORCH.setMode(module, training);
                this.training = training;
            }
        }
        // never under the engine's inference guard: autograd follows the thread's grad mode (on
        // inside a gradient collector) as for every other block, so an eval-mode forward still
        // trains the layers after a frozen BatchNorm, and its outputs, which may be computed
        // outside the collector, are ordinary tensors that a trained head can use
        return PYTORCH.forward(module, inputs, true);
    }

    /**
     * Writes the module, its parameters and buffers, to {@code out} as a TorchScript file; does not
     * close {@code out}.
     */
    void writeTo(OutputStream out) {
        PYTORCH.write(module, out);
    }

    @Override
    public ParameterList getDirectParameters() {
        return module.getDirectParameters();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager scratch = NDManager.newBaseManager(PyTorchCalls.ENGINE)) {
            NDList x = new NDList();
            for (Shape shape : inputShapes) {
                x.add(scratch.ones(shape));
            }
            return forwardInternal(new ParameterStore(scratch, false), x, false, null)
                    .getShapes();
        }
    }

    @Override
    public PairList<String, Shape> describeOutput() {
        return ((SymbolBlock) module).describeOutput();
    }

    /** Unsupported: use {@link TorchScriptBackbones#saveModule}, which keeps buffers too. */
    @Override
    public void saveParameters(DataOutputStream os) {
        throw new UnsupportedOperationException(
                "Save a TorchScript block with TorchScriptBackbones.saveModule(block, file)");
    }

    /**
     * Unsupported: DJL's PtSymbolBlock would swap its module but keep the old parameters; load
     * the saved file with {@link TorchScriptBackbones#architecture(Path)} instead.
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) {
        throw new UnsupportedOperationException(
                "Load a saved TorchScript module with TorchScriptBackbones.architecture(file)");
    }

    @Override
    public String toString() {
        return "TorchScriptBlock" + ParameterNames.of(module).keySet();
    }
}
