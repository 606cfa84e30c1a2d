package io.tl4j.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the engine settings depend on: the process's environment, the CPU's feature flags, tl4j's
 * system properties, the platform, the files mapped into the process and the C library.
 *
 * @param variables the environment variables the JVM started with
 * @param cpuFlags the CPU's feature flags as {@code /proc/cpuinfo} names them ({@code avx512f}, ...);
 *     empty where unknown
 * @param properties tl4j's system properties ({@code tl4j.engine.*}) that are set
 * @param osName the {@code os.name} property
 * @param osArch the {@code os.arch} property
 * @param mappedFiles the lines of {@code /proc/self/maps} (which show an allocator linked in or
 *     preloaded); empty where unknown
 * @param glibcVersion the glibc version, or null when the C library is not glibc or could not be
 *     loaded
 */
public record EngineEnvironment(
        Map<String, String> variables,
        Set<String> cpuFlags,
        Map<String, String> properties,
        String osName,
        String osArch,
        List<String> mappedFiles,
        String glibcVersion) {

    /** Copies the collections; checks that none is null. */
    public EngineEnvironment {
        variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        cpuFlags = Set.copyOf(Objects.requireNonNull(cpuFlags, "cpuFlags"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(osArch, "osArch");
        mappedFiles = List.copyOf(Objects.requireNonNull(mappedFiles, "mappedFiles"));
    }

    /**
     * Reads this process's environment.
     *
     * @param glibcVersion the C library's glibc version, or null
     * @return the environment
     */
    static EngineEnvironment current(String glibcVersion) {
        Map<String, String> properties = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("tl4j.engine.")) {
                properties.put(name, System.getProperty(name));
            }
        }
        String osName = System.getProperty("os.name", "");
        boolean linux = isLinux(osName);
        return new EngineEnvironment(
                System.getenv(),
                linux ? cpuFlags(Path.of("/proc/cpuinfo")) : Set.of(),
                properties,
                osName,
                System.getProperty("os.arch", ""),
                linux ? lines(Path.of("/proc/self/maps")) : List.of(),
                glibcVersion);
    }

    /**
     * Tells whether an {@code os.name} is Linux's.
     *
     * @param osName the {@code os.name} property
     * @return whether it names Linux
     */
    static boolean isLinux(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** The flags of the first processor in a {@code /proc/cpuinfo} file; empty when unreadable. */
    private static Set<String> cpuFlags(Path cpuinfo) {
        return lines(cpuinfo).stream()
                .filter(line -> line.startsWith("flags"))
                .findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .map(flags -> Stream.of(flags.split("\\s+")).collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
