package io.tl4j.examples;

import io.tl4j.core.TransferModel;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.spark.TransferModelTransformer;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Keyword spotting on Apache Spark: tl-speech's pretrained keyword encoder, frozen, with a linear head on five words
 * it never heard (the {@link KeywordServing} recipe: 20 espeak clips per word), saved, then scores a column of WAV
 * paths with tl-spark's {@link TransferModelTransformer} ({@code setPathInput(true)}: each path is read through the
 * model's own audio pipeline) on {@code local[1]} and {@code local[2]}, and does the same work in this JVM without
 * Spark (read each WAV, one forward pass per 32 clips). The rows are the 180 held-out-voice clips (1 s, 16 kHz)
 * replicated to {@code -Dtl4j.spark.keywordRows} rows (default 10,000). Every engine runs one thread per task
 * ({@code ai.djl.pytorch.num_threads=1}), so the runs compare like with like. Besides rows per second, which a loaded
 * machine distorts, it reports the process's CPU milliseconds per row (all threads: Spark's driver and executor
 * included), which load barely moves. Checks that Spark's predictions on the 180 distinct clips equal the model's own
 * in this JVM. Needs the Java 17 {@code --add-opens} options Spark lists (tl-spark's pom, {@code tl4j.spark.opens}).
 * Ends with {@code RESULT spark-keyword rows=... rows_per_s_plain=... rows_per_s_1core=... rows_per_s_2cores=...
 * cpu_ms_per_row_plain=... cpu_ms_per_row_1core=... cpu_ms_per_row_2cores=... agreement=... acc=...}.
 */
public final class SparkKeywordScoring {

    private static final int BATCH = 32;

    private SparkKeywordScoring() {}

    /** The throughput of one run: rows per wall second and process CPU milliseconds per row. */
    private record Rate(double rowsPerSecond, double cpuMillisPerRow) {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        int rows = Integer.getInteger("tl4j.spark.keywordRows", 10_000);
        double loadBefore = ModelSelectionQuickStart.loadAverage();
        AdaptationWords words = AdaptationWords.extract();
        Path modelDir = temporaryDirectory().resolve("keywords");
        try (TransferModel<Audio> model = KeywordEncoder.newWordsLearner()
                .fit(AudioFolder.at(words.train()).load())) {
            model.save(modelDir);
        }
        List<Path> clips = AdaptationWords.firstClips(words.heldOutVoices(), Integer.MAX_VALUE);
        List<Row> corpus = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            Path clip = clips.get(i % clips.size());
            corpus.add(RowFactory.create(
                    i, clip.toString(), clip.getParent().getFileName().toString()));
        }
        System.out.printf(
                Locale.ROOT,
                "1. %d rows of WAV paths from %d held-out-voice clips (load %.1f)%n",
                rows,
                clips.size(),
                loadBefore);

        Map<String, float[]> own = new HashMap<>();
        List<String> classNames = new ArrayList<>();
        Rate plain = plainRate(modelDir, clips, rows, own, classNames);
        System.out.printf(
                Locale.ROOT,
                "2. one JVM without Spark, 1 thread: %.1f rows/s, %.2f CPU ms/row%n",
                plain.rowsPerSecond(),
                plain.cpuMillisPerRow());
        Rate oneCore = sparkRate("local[1]", corpus, modelDir, null);
        System.out.printf(
                Locale.ROOT,
                "3. Spark local[1]: %.1f rows/s, %.2f CPU ms/row%n",
                oneCore.rowsPerSecond(),
                oneCore.cpuMillisPerRow());
        List<Row> distinct = new ArrayList<>();
        Rate twoCores = sparkRate("local[2]", corpus, modelDir, distinct);
        System.out.printf(
                Locale.ROOT,
                "4. Spark local[2]: %.1f rows/s (%.2fx local[1]), %.2f CPU ms/row%n",
                twoCores.rowsPerSecond(),
                twoCores.rowsPerSecond() / oneCore.rowsPerSecond(),
                twoCores.cpuMillisPerRow());
        int same = 0;
        int right = 0;
        double maxDifference = 0;
        for (Row r : distinct) {
            float[] theirs = own.get(r.<String>getAs("path"));
            double[] spark = r.<Vector>getAs("probability").toArray();
            int best = 0;
            for (int c = 0; c < spark.length; c++) {
                maxDifference = Math.max(maxDifference, Math.abs(spark[c] - theirs[c]));
                best = theirs[c] > theirs[best] ? c : best;
            }
            String predicted = r.getAs("prediction");
            same += predicted.equals(classNames.get(best)) ? 1 : 0;
            right += predicted.equals(r.<String>getAs("word")) ? 1 : 0;
        }
        double agreement = (double) same / distinct.size();
        double accuracy = (double) right / distinct.size();
        double loadAfter = ModelSelectionQuickStart.loadAverage();
        System.out.printf(
                Locale.ROOT,
                "5. on the %d distinct clips Spark predicts the single-JVM model's class on %.3f of them, largest"
                        + " probability difference %.2e; accuracy %.3f (load %.1f at the end)%n",
                distinct.size(),
                agreement,
                maxDifference,
                accuracy,
                loadAfter);
        System.out.printf(
                Locale.ROOT,
                "RESULT spark-keyword rows=%d rows_per_s_plain=%.1f rows_per_s_1core=%.1f rows_per_s_2cores=%.1f"
                        + " cpu_ms_per_row_plain=%.2f cpu_ms_per_row_1core=%.2f cpu_ms_per_row_2cores=%.2f"
                        + " agreement=%.3f acc=%.3f load_start=%.1f load_end=%.1f%n",
                rows,
                plain.rowsPerSecond(),
                oneCore.rowsPerSecond(),
                twoCores.rowsPerSecond(),
                plain.cpuMillisPerRow(),
                oneCore.cpuMillisPerRow(),
                twoCores.cpuMillisPerRow(),
                agreement,
                accuracy,
                loadBefore,
                loadAfter);
    }

    /**
     * Reads and scores the rows in this JVM, 32 clips per forward pass, after one warm-up batch; records the model's
     * probabilities of each distinct clip and its class names.
     */
    private static Rate plainRate(
            Path modelDir, List<Path> clips, int rows, Map<String, float[]> own, List<String> classNames) {
        try (TransferModel<Audio> model = TransferModel.load(modelDir)) {
            classNames.addAll(model.classNames());
            for (int from = 0; from < clips.size(); from += BATCH) {
                List<Path> batch = clips.subList(from, Math.min(clips.size(), from + BATCH));
                float[][] probabilities =
                        model.probabilities(batch.stream().map(Wav::read).toList());
                for (int i = 0; i < batch.size(); i++) {
                    own.put(batch.get(i).toString(), probabilities[i]);
                }
            }
            double cpu = ModelSelectionQuickStart.cpuSeconds();
            long start = System.nanoTime();
            for (int done = 0; done < rows; done += BATCH) {
                List<Audio> batch = new ArrayList<>(BATCH);
                for (int i = done; i < Math.min(rows, done + BATCH); i++) {
                    batch.add(Wav.read(clips.get(i % clips.size())));
                }
                model.probabilities(batch);
            }
            return rate(rows, start, cpu);
        }
    }

    /**
     * Scores the rows on a Spark master after a warm-up of 64 rows, timing the scoring of the cached, 8-partition
     * frame; when {@code distinct} is not null, also scores the distinct clips into it.
     */
    private static Rate sparkRate(String master, List<Row> corpus, Path modelDir, List<Row> distinct) {
        SparkSession spark = SparkSession.builder()
                .master(master)
                .appName("tl4j-spark-keywords")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            TransferModelTransformer stage = new TransferModelTransformer()
                    .setModelDirectory(modelDir.toString())
                    .setInputCol("path")
                    .setPathInput(true)
                    .setBatchSize(BATCH);
            stage.transform(spark.createDataFrame(corpus.subList(0, 64), schema()))
                    .count();
            Dataset<Row> all =
                    spark.createDataFrame(corpus, schema()).repartition(8).cache();
            all.count();
            double cpu = ModelSelectionQuickStart.cpuSeconds();
            long start = System.nanoTime();
            long scored = stage.transform(all).filter("prediction is not null").count();
            Rate rate = rate(scored, start, cpu);
            if (scored != corpus.size()) {
                throw new IllegalStateException("Spark scored " + scored + " of " + corpus.size() + " rows");
            }
            all.unpersist();
            if (distinct != null) {
                int clips = (int)
                        corpus.stream().map(r -> r.getString(1)).distinct().count();
                distinct.addAll(stage.transform(spark.createDataFrame(corpus.subList(0, clips), schema()))
                        .collectAsList());
            }
            return rate;
        } finally {
            spark.stop();
        }
    }

    private static Rate rate(long rows, long startNanos, double startCpuSeconds) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpu = ModelSelectionQuickStart.cpuSeconds() - startCpuSeconds;
        return new Rate(rows / seconds, cpu * 1000 / rows);
    }

    private static StructType schema() {
        return new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("path", DataTypes.StringType, false)
                .add("word", DataTypes.StringType, false);
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("tl4j-spark-keywords");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
