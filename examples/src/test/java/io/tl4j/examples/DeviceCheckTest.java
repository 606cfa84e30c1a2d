package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The GPU check's code path, run on the CPU named explicitly (this machine has no GPU). */
class DeviceCheckTest {

    @Test
    void resNet50TrainsOnTheNamedDeviceAndItsReloadedCpuCopyAgrees() {
        DeviceCheck.Result result = DeviceCheck.resNet50(Device.cpu(), 32, 16, 1);
        assertThat(result.examplesPerSecond()).isPositive();
        assertThat(result.reloadDifference()).isLessThan(1e-5f);
    }

    @Test
    void miniLmTrainsOnTheNamedDeviceAndItsReloadedCpuCopyAgrees() {
        DeviceCheck.Result result = DeviceCheck.miniLm(Device.cpu(), 16, 1);
        assertThat(result.examplesPerSecond()).isPositive();
        assertThat(result.reloadDifference()).isLessThan(1e-5f);
    }
}
