package io.tl4j.core.torchscript;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Binds, once and by reflection, the few PyTorch-engine calls a {@link TorchScriptBlock} needs:
 * setting the module's mode, running its forward and writing it as a TorchScript file.
 */
final class PyTorchCalls {

    /** The DJL engine that runs TorchScript modules. */
    static final String ENGINE = "PyTorch";

    /** The calls, bound when this class is first used. */
    static final PyTorchCalls PYTORCH = new PyTorchCalls();

    private final MethodHandle train;
    private final MethodHandle eval;
    private final MethodHandle forward;
    private final MethodHandle setGraphOptimize;
    private final MethodHandle write;
    private final IllegalStateException missing;

    private PyTorchCalls() {
        MethodHandle[] handles = new MethodHandle[5];
        IllegalStateException problem = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> block = Class.forName("ai.djl.pytorch.engine.PtSymbolBlock");
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            Class<?> ivalues = Class.forName("ai.djl.pytorch.jni.IValueUtils");
            handles[0] = lookup.findStatic(jni, "enableTrainingMode", MethodType.methodType(void.class, block));
            handles[1] = lookup.findStatic(jni, "enableInferenceMode", MethodType.methodType(void.class, block));
            handles[2] = lookup.findStatic(
                    ivalues, "forward", MethodType.methodType(NDList.class, block, NDList.class, boolean.class));
            handles[3] = lookup.findStatic(
                    jni, "setGraphExecutorOptimize", MethodType.methodType(void.class, boolean.class));
            handles[4] = lookup.findStatic(
                    jni, "writeModule", MethodType.methodType(void.class, block, OutputStream.class, boolean.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            problem = new IllegalStateException(
                    "TorchScript backbones need DJL's PyTorch engine "
                            + "(ai.djl.pytorch:pytorch-engine with its natives) on the class path: " + e,
                    e);
        }
        train = handles[0];
        eval = handles[1];
        forward = handles[2];
        setGraphOptimize = handles[3];
        write = handles[4];
        missing = problem;
    }

    void setMode(Block module, boolean training) {
        invoke(training ? train : eval, module);
    }

    NDList forward(Block module, NDList inputs, boolean unguarded) {
        String optimize = System.getProperty("ai.djl.pytorch.graph_optimizer");
        if (optimize != null) {
            // as PtSymbolBlock does: the graph executor's optimizer setting is per thread
            invoke(setGraphOptimize, Boolean.parseBoolean(optimize));
        }
        return (NDList) invoke(forward, module, inputs, unguarded);
    }

    void write(Block module, OutputStream out) {
        invoke(write, module, out, false);
    }

    private Object invoke(MethodHandle handle, Object... args) {
        if (missing != null) {
            throw missing;
        }
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
