package io.tl4j.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.tl4j.core.engine.NativeLibraries;
import java.util.Objects;

/** Checks that a device a user asks for exists, before any work is done on it. */
final class Devices {

    private Devices() {}

    /**
     * Returns the device when the engine has it.
     *
     * @param device the device asked for
     * @return the device
     * @throws IllegalArgumentException naming the device and what the engine found, when it is a GPU the engine
     *     does not have (no CUDA natives, no driver, or a device id beyond the count)
     */
    static Device require(Device device) {
        Objects.requireNonNull(device, "device");
        if (device.isGpu()) {
            Engine engine = Engine.getInstance();
            int gpus = engine.getGpuCount();
            if (device.getDeviceId() >= gpus) {
                throw new IllegalArgumentException("Device " + device + " was asked for, but the "
                        + engine.getEngineName() + " engine " + engine.getVersion() + " found "
                        + (gpus == 0 ? "no GPU" : gpus + " GPU(s), gpu(0) to gpu(" + (gpus - 1) + ")")
                        + ". A GPU needs an NVIDIA driver and libtorch's CUDA natives, not pytorch-native-cpu: "
                        + NativeLibraries.CUDA_ADVICE + ". Or use Device.cpu().");
            }
        }
        return device;
    }
}
