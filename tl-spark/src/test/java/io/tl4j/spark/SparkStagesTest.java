package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages on a local[2] Spark session against a small MLP model on 8 floats, 3 classes: predictions equal the
 * single-JVM model's row for row, the model loads once per JVM, bad rows get errors, a pipeline saves and loads,
 * and an MLlib head imports with matching predictions.
 */
class SparkStagesTest {

    private static final int FEATURES = 8;
    private static final List<String> CLASSES = List.of("a", "b", "c");
    private static final StructType FLOATS = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("input", DataTypes.createArrayType(DataTypes.FloatType, true), true)
            .add("label", DataTypes.DoubleType, false);

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static TransferModel<float[]> model;
    private static Path modelDir;
    private static List<float[]> inputs;
    private static int[] labels;

    @BeforeAll
    static void setUp() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("tl-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        Random random = new Random(3);
        inputs = new ArrayList<>();
        labels = new int[150];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
            float[] x = new float[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                x[f] = (float) random.nextGaussian() + (f % 3 == labels[i] ? 2f : 0f);
            }
            inputs.add(x);
        }
        Backbone<float[]> backbone = Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(16))
                .setPipeline(TensorPipeline.of(new Shape(FEATURES)))
                .build();
        model = TransferLearner.from(backbone)
                .head(Head.linear())
                .epochs(3)
                .seed(1)
                .progressBar(false)
                .fit(LabeledData.of(inputs, labels, CLASSES));
        modelDir = tmp.resolve("model");
        model.save(modelDir);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        spark.stop();
    }

    private static Dataset<Row> frame(List<float[]> xs) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            rows.add(RowFactory.create(i, boxed(xs.get(i)), (double) labels[i % labels.length]));
        }
        return spark.createDataFrame(rows, FLOATS).repartition(4);
    }

    private static Object boxed(float[] x) {
        if (x == null) {
            return null;
        }
        Float[] values = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
            values[i] = x[i];
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(values)).toSeq();
    }

    @Test
    void transformerEqualsSingleJvmPredictionsAndLoadsOnce() {
        int before = ExecutorModels.loads();
        List<Row> rows = new TransferModelTransformer()
                .setModelDirectory(modelDir.toString())
                .setBatchSize(16)
                .transform(frame(inputs))
                .orderBy("id")
                .collectAsList();
        float[][] expected = model.probabilities(inputs);
        int[] predicted = model.predict(inputs);
        assertThat(rows).hasSize(inputs.size());
        for (Row row : rows) {
            int i = row.getInt(0);
            assertThat(row.<String>getAs("prediction")).isEqualTo(CLASSES.get(predicted[i]));
            double[] p = row.<Vector>getAs("probability").toArray();
            for (int c = 0; c < CLASSES.size(); c++) {
                assertThat(p[c]).isCloseTo(expected[i][c], org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(row.<String>getAs("error")).isNull();
        }
        assertThat(ExecutorModels.loads() - before)
                .as("loads over 4 partitions on 2 task threads")
                .isEqualTo(1);
    }

    @Test
    void badRowsGetAnErrorOrFailTheJob() {
        List<float[]> xs = new ArrayList<>(inputs.subList(0, 6));
        xs.set(1, null);
        xs.set(4, new float[FEATURES - 3]);
        TransferModelTransformer stage = new TransferModelTransformer();
        stage.setModelDirectory(modelDir.toString()).setBatchSize(4);
        List<Row> rows = stage.transform(frame(xs)).orderBy("id").collectAsList();
        int[] predicted = model.predict(inputs.subList(0, 6));
        for (Row row : rows) {
            int i = row.getInt(0);
            if (i == 1 || i == 4) {
                assertThat(row.<String>getAs("prediction")).isNull();
                assertThat(row.<Vector>getAs("probability")).isNull();
            } else {
                assertThat(row.<String>getAs("prediction")).isEqualTo(CLASSES.get(predicted[i]));
                assertThat(row.<String>getAs("error")).isNull();
            }
        }
        assertThat(rows.get(1).<String>getAs("error")).contains("null");
        assertThat(rows.get(4).<String>getAs("error")).contains("has 5 values, expected 8");

        Dataset<Row> text = spark.createDataFrame(
                List.of(RowFactory.create(""), RowFactory.create((Object) null)),
                new StructType().add("input", DataTypes.StringType, true));
        List<Row> textRows = stage.transform(text).collectAsList();
        assertThat(textRows.get(0).<String>getAs("error")).contains("empty string");
        assertThat(textRows.get(1).<String>getAs("error")).contains("null");

        stage.setFailOnError(true);
        assertThatThrownBy(() -> stage.transform(frame(xs)).collectAsList())
                .hasMessageContaining("cannot be scored by " + modelDir);
        stage.setFailOnError(false);
        assertThat(stage.transform(frame(inputs.subList(0, 4))).count())
                .as("executors still alive")
                .isEqualTo(4);
    }

    @Test
    void pipelineSavesAndLoads() throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new FeatureExtractor().setModelDirectory(modelDir.toString()),
            new TransferModelTransformer()
                    .setModelDirectory(modelDir.toString())
                    .setErrorCol("scoreError")
        });
        Dataset<Row> data = frame(inputs.subList(0, 20));
        PipelineModel fitted = pipeline.fit(data);
        String path = tmp.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertThat(loaded.stages()).hasSize(2);
        List<Row> before = fitted.transform(data).orderBy("id").collectAsList();
        List<Row> after = loaded.transform(data).orderBy("id").collectAsList();
        assertThat(after).isEqualTo(before);
        assertThat(after.get(0).<Vector>getAs("embedding").size()).isEqualTo(16);
    }

    @Test
    void mllibHeadImportsWithMatchingPredictions() {
        Dataset<Row> embedded = new FeatureExtractor()
                .setModelDirectory(modelDir.toString())
                .transform(frame(inputs))
                .cache();
        LogisticRegressionModel regression = new LogisticRegression()
                .setFamily("multinomial")
                .setFeaturesCol("embedding")
                .setLabelCol("label")
                .setMaxIter(200)
                .setRegParam(0.01)
                .fit(embedded);
        List<Row> spark = regression.transform(embedded).orderBy("id").collectAsList();
        try (TransferModel<float[]> imported = MllibHeads.importLogisticRegression(modelDir, regression, CLASSES)) {
            float[][] ours = imported.probabilities(inputs);
            int[] ourClasses = imported.predict(inputs);
            int right = 0;
            for (Row row : spark) {
                int i = row.getInt(0);
                double[] theirs = row.<Vector>getAs("probability").toArray();
                assertThat(ourClasses[i])
                        .isEqualTo((int) row.<Double>getAs("prediction").doubleValue());
                for (int c = 0; c < CLASSES.size(); c++) {
                    assertThat((double) ours[i][c]).isCloseTo(theirs[c], org.assertj.core.data.Offset.offset(1e-5));
                }
                right += ourClasses[i] == labels[i] ? 1 : 0;
            }
            assertThat(right).as("head accuracy on its training rows").isGreaterThan(inputs.size() * 2 / 3);
            Path saved = tmp.resolve("imported");
            imported.save(saved);
            try (TransferModel<float[]> reloaded = TransferModel.load(saved)) {
                assertThat(reloaded.probabilities(inputs.subList(0, 5)))
                        .isEqualTo(imported.probabilities(inputs.subList(0, 5)));
            }
        }
    }
}
