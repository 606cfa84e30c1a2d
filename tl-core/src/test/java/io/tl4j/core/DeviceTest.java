package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, prediction, saving and loading on a device the user names; a GPU that is not there is refused. */
class DeviceTest {

    private static final LabeledData<float[]> DATA = Fixtures.tiny(8, 1);

    private static TransferLearner<float[]> learner(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .unfreezeAll()
                .epochs(2)
                .batchSize(8)
                .progressBar(false);
    }

    @Test
    void anExplicitDeviceTrainsPredictsSavesAndReloadsOntoTheCpuLikeTheDefault(@TempDir Path dir) {
        Device device = Engine.getInstance().defaultDevice();
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> byDefault = learner(backbone).fit(DATA);
                TransferModel<float[]> explicit =
                        learner(backbone).device(device).fit(DATA)) {
            assertThat(explicit.device()).isEqualTo(device);
            assertThat(explicit.probabilities(DATA.inputs())).isDeepEqualTo(byDefault.probabilities(DATA.inputs()));
            explicit.save(dir);
            try (TransferModel<float[]> onCpu =
                    TransferModel.load(dir, LoadOptions.verified().onDevice(Device.cpu()))) {
                assertThat(onCpu.device()).isEqualTo(Device.cpu());
                assertThat(onCpu.probabilities(DATA.inputs())).isDeepEqualTo(explicit.probabilities(DATA.inputs()));
            }
        }
    }

    @Test
    void askingForAGpuTheEngineDoesNotHaveIsRefusedBeforeAnyWorkNamingTheDeviceAndWhatWasFound() {
        int gpus = Engine.getInstance().getGpuCount();
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            assertThatThrownBy(() -> learner(backbone).device(Device.gpu(gpus)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gpu(" + gpus + ")")
                    .hasMessageContaining(gpus == 0 ? "found no GPU" : "found " + gpus + " GPU(s)")
                    .hasMessageContaining("not on Maven Central")
                    .hasMessageContaining("PYTORCH_LIBRARY_PATH");
            assertThatThrownBy(() -> LoadOptions.verified().onDevice(Device.gpu(gpus)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gpu(" + gpus + ")");
        }
    }

    @Test
    void onAMachineWithAGpuTheModelTrainsAndPredictsThereAndReloadsOntoTheCpu(@TempDir Path dir) {
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "no GPU on this machine");
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model =
                        learner(backbone).device(Device.gpu()).fit(DATA)) {
            assertThat(model.device().isGpu()).isTrue();
            float[][] onGpu = model.probabilities(DATA.inputs());
            model.save(dir);
            try (TransferModel<float[]> onCpu =
                    TransferModel.load(dir, LoadOptions.verified().onDevice(Device.cpu()))) {
                float[][] cpu = onCpu.probabilities(DATA.inputs());
                for (int i = 0; i < cpu.length; i++) {
                    for (int c = 0; c < cpu[i].length; c++) {
                        assertThat(cpu[i][c]).isCloseTo(onGpu[i][c], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }
}
