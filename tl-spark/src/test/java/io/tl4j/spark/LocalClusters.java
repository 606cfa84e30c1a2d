package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Starts Spark's {@code local-cluster[workers,cores,memory]} master from the Maven jars, for the slow tests whose
 * executors run in JVMs of their own. Spark's launcher wants a Spark home: this fills the {@code SPARK_HOME} that
 * surefire sets with a {@code jars} folder linking the test's class path jars and a {@code RELEASE} file (surefire also
 * sets {@code SPARK_SCALA_VERSION}), and puts the class path's directories (this module's classes and tests) on the
 * executors' class path.
 */
final class LocalClusters {

    private LocalClusters() {}

    /**
     * Returns a session builder for a local cluster, its Spark home made.
     *
     * @param master the master, e.g. {@code local-cluster[2,1,1024]}
     * @param name the application's name
     * @return the builder, with the UI off and the executors' class path set
     */
    static SparkSession.Builder builder(String master, String name) {
        String sparkHome = System.getenv("SPARK_HOME");
        assertThat(sparkHome).as("SPARK_HOME, which surefire sets").isNotNull();
        fakeSparkHome(Path.of(sparkHome));
        return SparkSession.builder()
                .master(master)
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", classDirectories());
    }

    private static String classDirectories() {
        List<String> dirs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                dirs.add(entry);
            }
        }
        return String.join(File.pathSeparator, dirs);
    }

    private static void fakeSparkHome(Path home) {
        try {
            Path jars = Files.createDirectories(home.resolve("jars"));
            if (!Files.exists(home.resolve("RELEASE"))) {
                Files.createFile(home.resolve("RELEASE"));
            }
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                if (entry.endsWith(".jar") && Files.isRegularFile(jar)) {
                    Path link = jars.resolve(jar.getFileName());
                    if (!Files.exists(link)) {
                        Files.createSymbolicLink(link, jar.toAbsolutePath());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the Spark home " + home, e);
        }
    }
}
