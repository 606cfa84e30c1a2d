package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on Spark's {@code local-cluster[2,1,1024]}: two executors in their own JVMs, so the stage, its
 * settings and the partition function are serialised for real, and each executor loads the model once. Spark's
 * launcher wants a Spark home: the test fills the {@code SPARK_HOME} that surefire sets with a {@code jars} folder
 * linking the test's class path jars and a {@code RELEASE} file; surefire also sets {@code SPARK_SCALA_VERSION}. Slow: starting the executors and their
 * engines takes tens of seconds.
 */
@Tag("slow")
class LocalClusterTest {

    @Test
    void executorsInTheirOwnJvmsLoadTheModelOnceAndMatchTheDriver(@TempDir Path tmp) throws IOException {
        String sparkHome = System.getenv("SPARK_HOME");
        assertThat(sparkHome).as("SPARK_HOME, which surefire sets").isNotNull();
        fakeSparkHome(Path.of(sparkHome));
        Random random = new Random(5);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[60];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float[] x = new float[4];
            for (int f = 0; f < 4; f++) {
                x[f] = (float) random.nextGaussian() + (f % 2 == labels[i] ? 1.5f : 0f);
            }
            inputs.add(x);
        }
        Path modelDir = tmp.resolve("model");
        float[][] expected;
        try (TransferModel<float[]> model = TransferLearner.from(Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(8))
                        .setPipeline(TensorPipeline.of(new Shape(4)))
                        .build())
                .head(Head.linear())
                .epochs(2)
                .seed(2)
                .progressBar(false)
                .fit(LabeledData.of(inputs, labels, List.of("p", "q")))) {
            model.save(modelDir);
            expected = model.probabilities(inputs);
        }
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("tl-spark-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraClassPath", classDirectories())
                .getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                rows.add(RowFactory.create(i, inputs.get(i)));
            }
            StructType schema = new StructType()
                    .add("id", DataTypes.IntegerType, false)
                    .add("input", DataTypes.createArrayType(DataTypes.FloatType, false), false);
            List<Row> scored = new TransferModelTransformer()
                    .setModelDirectory(modelDir.toString())
                    .setBatchSize(8)
                    .transform(
                            spark.createDataFrame(rowsWithArrays(rows), schema).repartition(6))
                    .orderBy("id")
                    .collectAsList();
            for (Row row : scored) {
                double[] p = row.<org.apache.spark.ml.linalg.Vector>getAs("probability")
                        .toArray();
                assertThat(p[1]).isCloseTo(expected[row.getInt(0)][1], org.assertj.core.data.Offset.offset(1e-6));
            }
            List<String> executors = spark.range(0, 40, 1, 8)
                    .javaRDD()
                    .map(x -> ManagementFactory.getRuntimeMXBean().getPid() + " loads=" + ExecutorModels.loads())
                    .distinct()
                    .collect();
            assertThat(executors).hasSize(2).allSatisfy(e -> assertThat(e).endsWith(" loads=1"));
            assertThat(executors)
                    .noneMatch(e -> e.startsWith(ProcessHandle.current().pid() + " "));
        } finally {
            spark.stop();
        }
    }

    private static List<Row> rowsWithArrays(List<Row> rows) {
        List<Row> out = new ArrayList<>();
        for (Row row : rows) {
            float[] x = (float[]) row.get(1);
            List<Float> values = new ArrayList<>();
            for (float v : x) {
                values.add(v);
            }
            out.add(RowFactory.create(
                    row.get(0),
                    scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq()));
        }
        return out;
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

    private static void fakeSparkHome(Path home) throws IOException {
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
    }
}
