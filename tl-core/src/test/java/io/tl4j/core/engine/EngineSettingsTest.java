package io.tl4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.engine.EngineSettings.Decision;
import io.tl4j.core.engine.EngineSettings.Setting;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    private static final Set<String> AVX512 = Set.of("sse4_2", "avx2", "avx512f", "avx512bw");
    private static final Set<String> AVX2_ONLY = Set.of("sse4_2", "avx2");
    private static final List<String> GLIBC_MAPS = List.of(
            "7f00-7f10 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f20-7f30 r-xp 00000000 08:01 456 /usr/lib/jvm/java-17/lib/server/libjvm.so");

    /** A plain {@code java} run on x86-64 Linux with glibc: no variables, no properties. */
    private static EngineEnvironment plainLinux(Set<String> cpuFlags) {
        return new EngineEnvironment(
                Map.of("PATH", "/usr/bin"), cpuFlags, Map.of(), "Linux", "amd64", GLIBC_MAPS, "2.36");
    }

    private static EngineEnvironment with(
            EngineEnvironment e, Map<String, String> variables, Map<String, String> properties) {
        return new EngineEnvironment(
                variables, e.cpuFlags(), properties, e.osName(), e.osArch(), e.mappedFiles(), e.glibcVersion());
    }

    private static Decision isa(EngineEnvironment e) {
        return EngineSettings.decide(e).get(0);
    }

    private static Decision malloc(EngineEnvironment e) {
        return EngineSettings.decide(e).get(1);
    }

    private static Decision nativeExit(EngineEnvironment e) {
        return EngineSettings.decide(e).get(2);
    }

    @Test
    void aPlainRunOnAnAvx512GlibcLinuxGetsEverySetting() {
        List<Decision> decisions = EngineSettings.decide(plainLinux(AVX512));
        assertThat(decisions)
                .extracting(Decision::setting)
                .containsExactly(Setting.ISA_CAP, Setting.MALLOC_TUNING, Setting.NATIVE_EXIT);
        assertThat(decisions).allMatch(Decision::apply);
        assertThat(decisions.get(0).reason()).contains("AVX-512");
        assertThat(decisions.get(1).reason()).contains("glibc 2.36");
        assertThat(decisions.get(2).reason()).contains("static destructors");
    }

    @Test
    void theNativeExitNeedsGlibcOnLinuxAndCanBeSwitchedOff() {
        EngineEnvironment musl = new EngineEnvironment(
                Map.of(),
                AVX512,
                Map.of(),
                "Linux",
                "amd64",
                List.of("7f00-7f10 r-xp 0 08:01 1 /lib/ld-musl.so"),
                null);
        assertThat(nativeExit(musl).apply()).isFalse();
        assertThat(nativeExit(musl).reason()).isEqualTo("the C library is not glibc");
        EngineEnvironment mac =
                new EngineEnvironment(Map.of(), Set.of(), Map.of(), "Mac OS X", "aarch64", List.of(), null);
        assertThat(nativeExit(mac).reason()).isEqualTo("not Linux (Mac OS X)");

        Decision off = nativeExit(with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.NATIVE_EXIT, "false")));
        assertThat(off.apply()).isFalse();
        assertThat(off.reason()).isEqualTo("switched off by -Dtl4j.engine.nativeExit=false");
        // other allocators, the oneDNN variables and a CPU without AVX-512 do not change it
        assertThat(nativeExit(with(plainLinux(AVX2_ONLY), Map.of("LD_PRELOAD", "libtcmalloc.so.4"), Map.of()))
                        .apply())
                .isTrue();
        assertThatThrownBy(() -> EngineSettings.decide(
                        with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.NATIVE_EXIT, "no"))))
                .hasMessage("System property tl4j.engine.nativeExit is 'no': use one of true, false");
    }

    @Test
    void theCapIsLeftOutOnCpusWithoutAvx512UnlessAskedFor() {
        assertThat(isa(plainLinux(AVX2_ONLY)).apply()).isFalse();
        assertThat(isa(plainLinux(AVX2_ONLY)).reason()).isEqualTo("the CPU has no AVX-512");
        Decision asked = isa(with(plainLinux(AVX2_ONLY), Map.of(), Map.of(EngineSettings.ISA_CAP, "true")));
        assertThat(asked.apply()).isTrue();
        assertThat(asked.reason()).contains("-Dtl4j.engine.isaCap=true");
        assertThat(isa(with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.ISA_CAP, "auto")))
                        .apply())
                .isTrue();
    }

    @Test
    void aVariableTheUserSetWins() {
        Decision own = isa(with(plainLinux(AVX512), Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), Map.of()));
        assertThat(own.apply()).isFalse();
        assertThat(own.reason()).isEqualTo("ONEDNN_MAX_CPU_ISA is already set to AVX512_CORE");
        assertThat(isa(with(plainLinux(AVX512), Map.of("DNNL_MAX_CPU_ISA", "AVX2"), Map.of()))
                        .apply())
                .isFalse();
        // asking for the cap does not override the user's own variable
        assertThat(isa(with(
                                plainLinux(AVX512),
                                Map.of("ONEDNN_MAX_CPU_ISA", "SSE41"),
                                Map.of(EngineSettings.ISA_CAP, "true")))
                        .apply())
                .isFalse();

        Decision tuned =
                malloc(with(plainLinux(AVX512), Map.of("GLIBC_TUNABLES", EngineSetup.GLIBC_TUNABLES), Map.of()));
        assertThat(tuned.apply()).isFalse();
        assertThat(tuned.reason()).startsWith("GLIBC_TUNABLES already tunes malloc");
        assertThat(malloc(with(plainLinux(AVX512), Map.of("MALLOC_ARENA_MAX", "2"), Map.of()))
                        .reason())
                .isEqualTo("MALLOC_ARENA_MAX is already set");
        // tunables of other glibc parts leave malloc untuned
        assertThat(malloc(with(plainLinux(AVX512), Map.of("GLIBC_TUNABLES", "glibc.pthread.rseq=0"), Map.of()))
                        .apply())
                .isTrue();
    }

    @Test
    void anotherAllocatorPreloadedOrMappedKeepsMallocAsItIs() {
        Decision preloaded = malloc(with(
                plainLinux(AVX512),
                Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"),
                Map.of()));
        assertThat(preloaded.apply()).isFalse();
        assertThat(preloaded.reason()).startsWith("LD_PRELOAD loads tcmalloc");

        EngineEnvironment mapped = new EngineEnvironment(
                Map.of(),
                AVX512,
                Map.of(),
                "Linux",
                "amd64",
                List.of(GLIBC_MAPS.get(0), "7f40-7f50 r-xp 00000000 08:01 789 /opt/lib/libjemalloc.so.2"),
                "2.36");
        assertThat(malloc(mapped).apply()).isFalse();
        assertThat(malloc(mapped).reason())
                .isEqualTo("jemalloc is mapped into the process (/opt/lib/libjemalloc.so.2)");
        // the allocator does not change the oneDNN decision
        assertThat(isa(mapped).apply()).isTrue();
    }

    @Test
    void otherPlatformsAndCLibrariesAreLeftAlone() {
        EngineEnvironment mac =
                new EngineEnvironment(Map.of(), Set.of(), Map.of(), "Mac OS X", "aarch64", List.of(), null);
        assertThat(EngineSettings.decide(mac)).noneMatch(Decision::apply);
        assertThat(isa(mac).reason()).isEqualTo("not Linux (Mac OS X)");
        EngineEnvironment windows =
                new EngineEnvironment(Map.of(), AVX512, Map.of(), "Windows 11", "amd64", List.of(), null);
        assertThat(EngineSettings.decide(windows)).noneMatch(Decision::apply);

        EngineEnvironment arm = new EngineEnvironment(
                Map.of(),
                Set.of("fp", "asimd"),
                Map.of(EngineSettings.ISA_CAP, "true"),
                "Linux",
                "aarch64",
                GLIBC_MAPS,
                "2.36");
        assertThat(isa(arm).apply()).isFalse();
        assertThat(isa(arm).reason()).isEqualTo("not x86-64 (aarch64)");
        assertThat(malloc(arm).apply()).isTrue();

        EngineEnvironment musl = new EngineEnvironment(Map.of(), AVX512, Map.of(), "Linux", "amd64", List.of(), null);
        assertThat(isa(musl).apply()).isTrue();
        assertThat(malloc(musl).apply()).isFalse();
        assertThat(malloc(musl).reason()).isEqualTo("the C library is not glibc");
    }

    @Test
    void systemPropertiesSwitchSettingsOff() {
        List<Decision> all =
                EngineSettings.decide(with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.AUTOCONFIG, "false")));
        assertThat(all).noneMatch(Decision::apply);
        assertThat(all).allMatch(d -> d.reason().equals("switched off by -Dtl4j.engine.autoconfig=false"));
        // autoconfig=false wins over asking for the cap
        assertThat(isa(with(
                                plainLinux(AVX512),
                                Map.of(),
                                Map.of(EngineSettings.AUTOCONFIG, "false", EngineSettings.ISA_CAP, "true")))
                        .apply())
                .isFalse();

        List<Decision> noCap =
                EngineSettings.decide(with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.ISA_CAP, "false")));
        assertThat(noCap.get(0).apply()).isFalse();
        assertThat(noCap.get(0).reason()).isEqualTo("switched off by -Dtl4j.engine.isaCap=false");
        assertThat(noCap.get(1).apply()).isTrue();

        List<Decision> noTuning = EngineSettings.decide(
                with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.MALLOC_TUNING, "FALSE")));
        assertThat(noTuning.get(0).apply()).isTrue();
        assertThat(noTuning.get(1).apply()).isFalse();
    }

    @Test
    void anUnknownPropertyValueIsNamed() {
        assertThatThrownBy(() -> EngineSettings.decide(
                        with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.ISA_CAP, "yes"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("System property tl4j.engine.isaCap is 'yes': use one of auto, true, false");
        assertThatThrownBy(() -> EngineSettings.decide(
                        with(plainLinux(AVX512), Map.of(), Map.of(EngineSettings.AUTOCONFIG, "off"))))
                .hasMessage("System property tl4j.engine.autoconfig is 'off': use one of true, false");
    }
}
