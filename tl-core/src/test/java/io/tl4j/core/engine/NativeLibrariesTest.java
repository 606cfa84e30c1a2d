package io.tl4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.tl4j.core.engine.NativeLibraries.Natives;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NativeLibrariesTest {

    private static final Natives LINUX_CPU =
            new Natives("cpu", "linux-x86_64", "pytorch-native-cpu-2.7.1-linux-x86_64.jar");
    private static final Natives LINUX_CUDA =
            new Natives("cu128", "linux-x86_64", "pytorch-native-cu128-2.7.1-linux-x86_64.jar");

    @Test
    void linuxNativesOnAMacNameTheMacAndTheArtifactForIt() {
        assertThat(NativeLibraries.problem(List.of(LINUX_CPU), "osx-aarch64", false, true, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("cpu-linux-x86_64 (pytorch-native-cpu-2.7.1-linux-x86_64.jar)")
                        .contains("this machine, osx-aarch64")
                        .contains("ai.djl.pytorch:pytorch-native-cpu:2.7.1 with classifier osx-aarch64"));
    }

    @Test
    void cudaNativesWithoutAGpuSayThereIsNoGpuAndNameTheCpuArtifact() {
        assertThat(NativeLibraries.problem(List.of(LINUX_CUDA), "linux-x86_64", false, false, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("which has no CUDA GPU")
                        .contains("pytorch-native-cpu:2.7.1 with classifier linux-x86_64"));
        assertThat(NativeLibraries.problem(List.of(LINUX_CUDA), "linux-x86_64", true, false, null))
                .isEmpty();
    }

    @Test
    void aWindowsGpuMachineIsToldWhereTheCudaNativesComeFromAndOfferedTheCpuArtifact() {
        assertThat(NativeLibraries.problem(List.of(LINUX_CPU), "win-x86_64", true, false, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("for the GPU, DJL's CUDA build of libtorch 2.7.1 is not on Maven Central")
                        .contains("PYTORCH_LIBRARY_PATH")
                        .contains(
                                "for the CPU, add ai.djl.pytorch:pytorch-native-cpu:2.7.1 with classifier win-x86_64"));
    }

    @Test
    void aPlatformWithoutALibtorchBuildIsToldSo() {
        assertThat(NativeLibraries.problem(List.of(LINUX_CPU), "osx-x86_64", false, false, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("libtorch 2.7.1 has no build for it")
                        .contains("osx-aarch64"));
    }

    @Test
    void noNativesAreFineOnlineAndAnErrorOffline() {
        assertThat(NativeLibraries.problem(List.of(), "linux-aarch64", false, false, null))
                .isEmpty();
        assertThat(NativeLibraries.problem(List.of(), "linux-aarch64", false, true, null))
                .hasValueSatisfying(message -> assertThat(message)
                        .contains("ai.djl.offline=true")
                        .contains("pytorch-native-cpu:2.7.1 with classifier linux-aarch64"));
    }

    @Test
    void aLibtorchOfTheUsersOwnIsAcceptedOfflineWithoutNativesJarsOrWithForeignOnes() {
        assertThat(NativeLibraries.problem(List.of(), "linux-x86_64", true, true, "/opt/libtorch/lib"))
                .isEmpty();
        assertThat(NativeLibraries.problem(List.of(LINUX_CPU), "osx-aarch64", false, true, "/opt/libtorch/lib"))
                .isEmpty();
    }

    @Test
    void oneMatchingJarAmongOthersIsEnough() {
        Natives mac = new Natives("cpu", "osx-aarch64", "mac.jar");
        assertThat(NativeLibraries.problem(List.of(mac, LINUX_CPU), "linux-x86_64", false, true, null))
                .isEmpty();
    }

    @Test
    void readsBothDescriptionStyles() {
        Properties current = new Properties();
        current.setProperty("flavor", "cpu");
        current.setProperty("classifier", "linux-x86_64");
        assertThat(NativeLibraries.describe(current, "a.jar")).isEqualTo(new Natives("cpu", "linux-x86_64", "a.jar"));
        Properties older = new Properties();
        older.setProperty("classifier", "cu124-win-x86_64");
        assertThat(NativeLibraries.describe(older, "b.jar")).isEqualTo(new Natives("cu124", "win-x86_64", "b.jar"));
    }

    @Test
    void theTestClassPathHoldsTheNativesOfThisMachine() {
        assertThat(NativeLibraries.onClassPath())
                .anySatisfy(natives -> assertThat(natives.classifier()).isEqualTo(NativeLibraries.machine()));
        assertThatCode(NativeLibraries::requireMatching).doesNotThrowAnyException();
    }
}
