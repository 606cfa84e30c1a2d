package io.tl4j.core.engine;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that the libtorch natives on the class path are for this machine, and names the artifact
 * to use when they are not. DJL ignores natives of another platform and then tries to download the
 * right ones, which fails offline with a message that names neither; tl4j says which platform it
 * detected and which {@code ai.djl.pytorch} artifact and classifier fit it.
 */
public final class NativeLibraries {

    /** The resource each DJL natives jar carries to describe its build. */
    static final String PROPERTIES = "native/lib/pytorch.properties";

    /** The libtorch version DJL 0.36's PyTorch engine loads. */
    static final String LIBTORCH = "2.7.1";

    /** The platforms DJL builds libtorch 2.7.1's CPU natives for. */
    static final Set<String> CPU_BUILDS = Set.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64");

    /** The platforms DJL builds libtorch 2.7.1's CUDA 12.8 natives for. */
    static final Set<String> CUDA_BUILDS = Set.of("linux-x86_64", "win-x86_64");

    /**
     * How to get libtorch's CUDA natives, which Maven Central does not have: DJL could not publish
     * its CUDA 12.8 build there (over the 1 GB file limit; DJL issue #3784).
     */
    public static final String CUDA_ADVICE = "DJL's CUDA build of libtorch " + LIBTORCH
            + " is not on Maven Central: put no natives jar on the class path and let DJL download it on first use"
            + " (a connected machine, without ai.djl.offline), or set PYTORCH_LIBRARY_PATH to a CUDA libtorch with"
            + " DJL's JNI library built for it (README, 'GPU')";

    /** The variable (or system property) that points DJL at a libtorch of the user's own. */
    static final String LIBTORCH_PATH = "PYTORCH_LIBRARY_PATH";

    /**
     * A natives jar on the class path.
     *
     * @param flavor {@code cpu}, or {@code cu128} and the like for CUDA
     * @param classifier the platform it was built for, such as {@code linux-x86_64}
     * @param source where its description was found
     */
    record Natives(String flavor, String classifier, String source) {
        @Override
        public String toString() {
            return flavor + "-" + classifier + " (" + source + ")";
        }
    }

    private static volatile boolean matched;

    private NativeLibraries() {}

    /**
     * Throws unless the natives on the class path fit this machine, or none are there and DJL may
     * download them.
     *
     * @throws IllegalStateException naming the platform detected, the natives found and the artifact
     *     to use
     */
    public static void requireMatching() {
        if (matched) {
            return; // checked once per JVM: the class path does not change under a running engine
        }
        List<Natives> found = onClassPath();
        String machine = machine();
        boolean cpuMatch = found.stream()
                .anyMatch(n -> n.classifier().equals(machine) && !n.flavor().startsWith("cu"));
        if (cpuMatch || (found.isEmpty() && !offline())) {
            matched = true;
            return; // the common cases, without asking CUDA for its devices
        }
        Optional<String> problem = problem(found, machine, CudaUtils.getGpuCount() > 0, offline(), libtorchPath());
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        matched = true;
    }

    /**
     * Tells what is wrong with the natives found for a machine, if anything.
     *
     * @param found the natives jars on the class path
     * @param machine the machine's platform, such as {@code osx-aarch64}
     * @param gpu whether the machine has a CUDA GPU
     * @param offline whether DJL may not download natives ({@code ai.djl.offline})
     * @param libtorchPath {@code PYTORCH_LIBRARY_PATH} (the folder DJL then loads libtorch from,
     *     whatever natives jars are on the class path), or null
     * @return the problem, in words that name the fix, or empty
     */
    static Optional<String> problem(
            List<Natives> found, String machine, boolean gpu, boolean offline, String libtorchPath) {
        if (libtorchPath != null) {
            return Optional.empty();
        }
        for (Natives natives : found) {
            if (natives.classifier().equals(machine) && (!natives.flavor().startsWith("cu") || gpu)) {
                return Optional.empty();
            }
        }
        if (found.isEmpty()) {
            return offline
                    ? Optional.of("No libtorch natives on the class path, and ai.djl.offline=true stops DJL from "
                            + "downloading them. This machine is " + machine + "; " + advice(machine, gpu))
                    : Optional.empty();
        }
        String what = found.stream().map(Natives::toString).collect(Collectors.joining(", "));
        boolean cudaWithoutGpu = found.stream()
                .anyMatch(n -> n.classifier().equals(machine) && n.flavor().startsWith("cu"));
        return Optional.of("The libtorch natives on the class path (" + what + ") do not fit this machine, "
                + machine + (cudaWithoutGpu ? ", which has no CUDA GPU" : "") + "; " + advice(machine, gpu)
                + " Remove the others, or remove all natives jars to let DJL download the right build on a "
                + "connected machine.");
    }

    private static String advice(String machine, boolean gpu) {
        if (!CPU_BUILDS.contains(machine)) {
            return "libtorch " + LIBTORCH + " has no build for it (DJL builds " + String.join(", ", sorted(CPU_BUILDS))
                    + "); run on one of those.";
        }
        String cpu = "ai.djl.pytorch:pytorch-native-cpu:" + LIBTORCH + " with classifier " + machine;
        if (gpu && CUDA_BUILDS.contains(machine)) {
            return "for the GPU, " + CUDA_ADVICE + "; for the CPU, add " + cpu + " (README, 'Add the dependency').";
        }
        return "add " + cpu + " (README, 'Add the dependency').";
    }

    private static List<String> sorted(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        Collections.sort(list);
        return list;
    }

    /**
     * Returns this machine's platform as DJL's natives name it: {@code linux}, {@code osx} or
     * {@code win}, a dash, and the architecture ({@code x86_64}, {@code aarch64}).
     */
    static String machine() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String prefix =
                os.startsWith("win") ? "win" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : os;
        String arch = System.getProperty("os.arch", "");
        return prefix + "-" + ("amd64".equals(arch) ? "x86_64" : arch);
    }

    private static String libtorchPath() {
        String path = System.getProperty(LIBTORCH_PATH, System.getenv(LIBTORCH_PATH));
        return path == null || path.isBlank() ? null : path;
    }

    private static boolean offline() {
        return Boolean.getBoolean("ai.djl.offline");
    }

    /** Returns the natives jars whose description is on the class path. */
    static List<Natives> onClassPath() {
        List<Natives> found = new ArrayList<>();
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = NativeLibraries.class.getClassLoader();
            }
            for (URL url : Collections.list(loader.getResources(PROPERTIES))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                if (properties.getProperty("placeholder") == null) {
                    found.add(describe(properties, jar(url)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PROPERTIES + " from the class path", e);
        }
        return found;
    }

    /** Reads a description: {@code flavor} and {@code classifier}, or a classifier that starts with the flavor. */
    static Natives describe(Properties properties, String source) {
        String classifier = properties.getProperty("classifier", "");
        String flavor = properties.getProperty("flavor");
        if (flavor == null) {
            int dash = classifier.indexOf('-');
            flavor = dash < 0 ? "cpu" : classifier.substring(0, dash);
            classifier = dash < 0 ? classifier : classifier.substring(dash + 1);
        }
        return new Natives(flavor, classifier, source);
    }

    private static String jar(URL url) {
        String path = url.toString();
        int bang = path.indexOf("!/");
        String file = bang < 0 ? path : path.substring(0, bang);
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
