package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.spark.FeatureExtractor;
import io.tl4j.spark.MllibHeads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * MiniLM on Apache Spark: embeds the vendored spam corpus, replicated to {@code -Dtl4j.spark.rows} rows (default
 * 20,000), with tl-spark's {@link FeatureExtractor} on {@code local[1]} and {@code local[2]} and with the same
 * backbone in this JVM without Spark; fits a multinomial logistic regression head with MLlib on 80% of the
 * corpus's distinct messages, imports it as a tl4j model with {@link MllibHeads}, and checks that the model,
 * run in this JVM, predicts what Spark predicts on the other 20%. Every engine runs one thread per task
 * ({@code ai.djl.pytorch.num_threads=1}), so the 1-core, 2-core and plain runs compare like with like. Needs the
 * Java 17 {@code --add-opens} options Spark lists (tl-spark's pom, {@code tl4j.spark.opens}). Ends with {@code
 * RESULT spark rows=... rows_per_s_1core=... rows_per_s_2cores=... rows_per_s_plain=... agreement=... head_acc=...}.
 */
public final class SparkQuickStart {

    private static final List<String> CLASSES = List.of("ham", "spam");

    private SparkQuickStart() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        int rows = Integer.getInteger("tl4j.spark.rows", 20_000);
        LabeledData<String> spam = SpamData.load();
        Path modelDir = temporaryDirectory().resolve("minilm");
        try (BertEncoder encoder = Bert.allMiniLmL6V2();
                Backbone<String> backbone = encoder.backbone(Pooling.MEAN, 128);
                TransferModel<String> carrier =
                        LinearHeads.of(backbone, CLASSES, new float[2][(int) backbone.featureSize()], new float[2])) {
            carrier.save(modelDir);
        }
        List<Row> corpus = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int m = i % spam.size();
            corpus.add(RowFactory.create(i, m, spam.inputs().get(m), (double) spam.labels()[m]));
        }
        System.out.printf(Locale.ROOT, "1. %d rows from %d spam/ham messages%n", rows, spam.size());

        double plain = plainRowsPerSecond(modelDir, spam, rows);
        System.out.printf(Locale.ROOT, "2. one JVM without Spark, 1 thread: %.1f rows/s%n", plain);
        double oneCore = sparkRowsPerSecond("local[1]", corpus, modelDir);
        System.out.printf(Locale.ROOT, "3. Spark local[1]: %.1f rows/s%n", oneCore);
        SparkSession spark = session("local[2]");
        try {
            Dataset<Row> distinct = spark.createDataFrame(corpus.subList(0, Math.min(rows, spam.size())), schema());
            double twoCores = timedRowsPerSecond(spark, corpus, modelDir);
            System.out.printf(
                    Locale.ROOT, "4. Spark local[2]: %.1f rows/s (%.2fx local[1])%n", twoCores, twoCores / oneCore);
            Dataset<Row> embedded = extractor(modelDir).transform(distinct).cache();
            Dataset<Row>[] parts = embedded.randomSplit(new double[] {0.8, 0.2}, 7);
            LogisticRegressionModel head = new LogisticRegression()
                    .setFamily("multinomial")
                    .setFeaturesCol("embedding")
                    .setLabelCol("label")
                    .setMaxIter(100)
                    .setRegParam(1e-3)
                    .fit(parts[0]);
            List<Row> test = head.transform(parts[1]).collectAsList();
            List<String> texts = new ArrayList<>();
            test.forEach(r -> texts.add(r.getString(2)));
            int same = 0;
            int right = 0;
            double maxDifference = 0;
            try (TransferModel<String> imported = MllibHeads.importLogisticRegression(modelDir, head, CLASSES)) {
                float[][] ours = imported.probabilities(texts);
                for (int i = 0; i < test.size(); i++) {
                    Row r = test.get(i);
                    double[] theirs = r.<Vector>getAs("probability").toArray();
                    int sparkClass = (int) r.<Double>getAs("prediction").doubleValue();
                    int ourClass = ours[i][1] > ours[i][0] ? 1 : 0;
                    same += sparkClass == ourClass ? 1 : 0;
                    right += sparkClass == (int) r.<Double>getAs("label").doubleValue() ? 1 : 0;
                    for (int c = 0; c < 2; c++) {
                        maxDifference = Math.max(maxDifference, Math.abs(theirs[c] - ours[i][c]));
                    }
                }
            }
            double agreement = (double) same / test.size();
            double accuracy = (double) right / test.size();
            System.out.printf(
                    Locale.ROOT,
                    "5. MLlib head on %d messages, tested on %d: accuracy %.3f; imported"
                            + " tl4j model agrees on %.3f of them, largest probability difference %.2e%n",
                    spam.size() - test.size(),
                    test.size(),
                    accuracy,
                    agreement,
                    maxDifference);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT spark rows=%d rows_per_s_1core=%.1f rows_per_s_2cores=%.1f"
                            + " rows_per_s_plain=%.1f agreement=%.3f head_acc=%.3f%n",
                    rows,
                    oneCore,
                    twoCores,
                    plain,
                    agreement,
                    accuracy);
        } finally {
            spark.stop();
        }
    }

    private static double plainRowsPerSecond(Path modelDir, LabeledData<String> spam, int rows) {
        try (TransferModel<String> model = TransferModel.load(modelDir);
                Backbone<String> backbone = model.backbone();
                FrozenFeatures<String> features = FrozenFeatures.of(backbone, 0)) {
            features.extract(spam.subset(range(0, 32)));
            long start = System.nanoTime();
            for (int done = 0; done < rows; done += 32) {
                int from = done % (spam.size() - 32);
                features.extract(spam.subset(range(from, Math.min(32, rows - done))));
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static int[] range(int from, int count) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = from + i;
        }
        return indices;
    }

    private static double sparkRowsPerSecond(String master, List<Row> corpus, Path modelDir) {
        SparkSession spark = session(master);
        try {
            return timedRowsPerSecond(spark, corpus, modelDir);
        } finally {
            spark.stop();
        }
    }

    private static double timedRowsPerSecond(SparkSession spark, List<Row> corpus, Path modelDir) {
        FeatureExtractor extractor = extractor(modelDir);
        extractor
                .transform(spark.createDataFrame(corpus.subList(0, 64), schema()))
                .count();
        Dataset<Row> all =
                spark.createDataFrame(corpus, schema()).repartition(8).cache();
        all.count();
        long start = System.nanoTime();
        long n = extractor.transform(all).filter("embedding is not null").count();
        double seconds = (System.nanoTime() - start) / 1e9;
        all.unpersist();
        return n / seconds;
    }

    private static FeatureExtractor extractor(Path modelDir) {
        FeatureExtractor extractor = new FeatureExtractor();
        extractor.setModelDirectory(modelDir.toString()).setInputCol("text").setBatchSize(32);
        return extractor;
    }

    private static SparkSession session(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("tl4j-spark-quickstart")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    private static StructType schema() {
        return new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("message", DataTypes.IntegerType, false)
                .add("text", DataTypes.StringType, false)
                .add("label", DataTypes.DoubleType, false);
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("tl4j-spark");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
