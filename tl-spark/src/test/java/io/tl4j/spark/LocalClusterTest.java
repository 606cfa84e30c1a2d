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
import java.lang.management.ManagementFactory;
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
 * The transformer on Spark's {@code local-cluster[2,1,1024]} ({@link LocalClusters}): two executors in their own JVMs,
 * so the stage, its settings and the partition function are serialised for real, and each executor loads the model
 * once. Slow: starting the executors and their engines takes tens of seconds.
 */
@Tag("slow")
class LocalClusterTest {

    @Test
    void executorsInTheirOwnJvmsLoadTheModelOnceAndMatchTheDriver(@TempDir Path tmp) {
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
        SparkSession spark = LocalClusters.builder("local-cluster[2,1,1024]", "tl-spark-local-cluster")
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
}
