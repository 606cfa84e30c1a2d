package io.tl4j.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * A child process for {@link NativeExitTest}: registers a C exit handler that stands for a native
 * library's static destructor (it prints {@value #MARKER} when it runs), configures the engine, then
 * ends as its argument says: {@code exit3} ({@code System.exit(3)}), {@code return} (main returns)
 * or {@code infer} (two threads run convolutions until the process is terminated).
 */
final class ExitingProcess {

    /** What the stand-in destructor prints when the C library's exit runs it. */
    static final String MARKER = "NATIVE DESTRUCTOR RAN";

    private ExitingProcess() {}

    public static void main(String[] args) throws Exception {
        NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        Memory message = new Memory(MARKER.length() + 1L);
        message.setString(0, MARKER);
        // on_exit calls psignal(status, message): it prints the message to stderr
        c.getFunction("on_exit").invokeInt(new Object[] {c.getFunction("psignal"), message});
        EngineSetup.configure();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("JAVA HOOK RAN")));
        switch (args[0]) {
            case "exit3" -> System.exit(3);
            case "return" -> System.out.println("RETURNING");
            case "infer" -> infer();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void infer() throws InterruptedException {
        for (int t = 0; t < 2; t++) {
            new Thread(ExitingProcess::convolveForever, "infer-" + t).start();
        }
        Thread.sleep(500);
        System.out.println("BUSY");
        Thread.currentThread().join();
    }

    private static void convolveForever() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(32)
                            .build())
                    .add(Activation::relu);
            block.initialize(manager, DataType.FLOAT32, new Shape(4, 16, 48, 48));
            while (true) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(4, 16, 48, 48));
                    block.forward(new ParameterStore(step, false), new NDList(x), false)
                            .head()
                            .sum()
                            .getFloat();
                }
            }
        }
    }
}
