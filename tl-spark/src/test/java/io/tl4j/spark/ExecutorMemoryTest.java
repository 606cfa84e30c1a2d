package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Peak resident memory of each executor JVM while all-MiniLM-L6-v2 embeds texts on {@code local-cluster[2,1,1024]}
 * ({@link LocalClusters}): two executors of one core each, the {@link FeatureExtractor} at batch 32 and 128 tokens
 * over {@code -Dtl4j.spark.memoryRows} rows (default 2,000) of synthetic English-word texts of 20-200 words (most
 * reach the 128-token cap, the costliest case), {@code -Dtl4j.spark.memoryPasses} times (default 4). After each pass
 * every executor reports the kernel's peak ({@code VmHWM} of {@code /proc/self/status}); the driver also collects
 * Spark's own {@code ProcessTreeJVMRSSMemory} executor metric ({@code spark.executor.processTreeMetrics.enabled},
 * sampled every 250 ms), which must come within 10% of the kernel's peak. The peak creeps up over the first passes
 * (the tuned allocator never returns freed memory, and batches of other lengths fit its free lists differently), but
 * the last pass must raise it by less than 10%: an executor that kept a batch's intermediate arrays would grow by
 * hundreds of MB a pass. Prints one line per executor and a {@code RESULT spark-executor-memory ...} line. Slow: about
 * 4 minutes on 2 shared cores.
 */
@Tag("slow")
class ExecutorMemoryTest {

    private static final String RSS_METRIC = "ProcessTreeJVMRSSMemory";
    private static final double MIB = 1024.0 * 1024.0;

    @Test
    void eachExecutorsPeakRssIsMeasuredAndASecondPassDoesNotRaiseIt(@TempDir Path tmp) {
        int rows = Integer.getInteger("tl4j.spark.memoryRows", 2_000);
        int passes = Integer.getInteger("tl4j.spark.memoryPasses", 4);
        Path modelDir = tmp.resolve("minilm");
        try (BertEncoder encoder = Bert.allMiniLmL6V2();
                Backbone<String> backbone = encoder.backbone(Pooling.MEAN, 128);
                TransferModel<String> carrier = LinearHeads.of(
                        backbone, List.of("a", "b"), new float[2][(int) backbone.featureSize()], new float[2])) {
            carrier.save(modelDir);
        }
        SparkSession spark = LocalClusters.builder("local-cluster[2,1,1024]", "tl-spark-executor-memory")
                .config("spark.executor.processTreeMetrics.enabled", "true")
                .config("spark.executor.metrics.pollingInterval", "250ms")
                .getOrCreate();
        RssPeaks sparkPeaks = new RssPeaks();
        spark.sparkContext().addSparkListener(sparkPeaks);
        try {
            List<Map<String, long[]>> peaks = new ArrayList<>();
            peaks.add(probe(spark));
            Dataset<Row> texts = spark.createDataFrame(
                            texts(rows),
                            new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType))
                    .repartition(8)
                    .cache();
            texts.count();
            FeatureExtractor extractor = new FeatureExtractor();
            extractor.setModelDirectory(modelDir.toString()).setInputCol("text").setBatchSize(32);
            StringBuilder result = new StringBuilder(String.format(
                    Locale.ROOT, "RESULT spark-executor-memory rows=%d executors=2 passes=%d", rows, passes));
            for (int pass = 1; pass <= passes; pass++) {
                long start = System.nanoTime();
                long embedded = extractor
                        .transform(texts)
                        .filter("embedding is not null")
                        .count();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(embedded).isEqualTo(rows);
                result.append(String.format(Locale.ROOT, " pass%d_rows_per_s=%.1f", pass, rows / seconds));
                peaks.add(probe(spark));
            }
            Map<String, long[]> last = peaks.get(passes);
            Map<String, Long> reported = new TreeMap<>(sparkPeaks.awaitExecutors(last.keySet(), 30_000));
            last.keySet().forEach(id -> reported.putIfAbsent(id, 0L));
            assertThat(last).hasSize(2);
            for (Map.Entry<String, long[]> e : last.entrySet()) {
                String id = e.getKey();
                long[] now = e.getValue();
                StringBuilder byPass = new StringBuilder();
                for (int pass = 0; pass <= passes; pass++) {
                    byPass.append(pass == 0 ? "bare " : ", after pass " + pass + " ")
                            .append(Math.round(peaks.get(pass).get(id)[1] / MIB));
                }
                System.out.printf(
                        Locale.ROOT,
                        "executor %s (pid %d): peak RSS (VmHWM) MiB %s (RSS now %.0f MiB, of which Java heap committed"
                                + " %.0f MiB); Spark's %s peak %.0f MiB; model loads %d%n",
                        id,
                        now[0],
                        byPass,
                        now[2] / MIB,
                        now[4] / MIB,
                        RSS_METRIC,
                        reported.get(id) / MIB,
                        now[3]);
                result.append(String.format(
                        Locale.ROOT,
                        " exec%s_peak_mib=%.0f exec%s_spark_peak_mib=%.0f",
                        id,
                        now[1] / MIB,
                        id,
                        reported.get(id) / MIB));
            }
            System.out.println(result);
            for (Map.Entry<String, long[]> e : last.entrySet()) {
                String id = e.getKey();
                long[] now = e.getValue();
                assertThat(now[3]).as("model loads of executor %s", id).isEqualTo(1);
                assertThat((double) reported.get(id))
                        .as("Spark's peak of executor %s against the kernel's", id)
                        .isCloseTo((double) now[1], withinPercentage(10));
                assertThat((double) now[1])
                        .as("executor %s's peak after pass %d against pass %d", id, passes, passes - 1)
                        .isLessThanOrEqualTo(peaks.get(passes - 1).get(id)[1] * 1.10);
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * Asks every executor for its pid, peak and current resident bytes, model loads and committed Java heap bytes,
     * keyed by executor id; runs
     * small jobs until both executors have answered.
     */
    private static Map<String, long[]> probe(SparkSession spark) {
        Map<String, long[]> answers = new TreeMap<>();
        for (int attempt = 0; attempt < 20 && answers.size() < 2; attempt++) {
            List<String> lines = spark.range(0, 64, 1, 16)
                    .javaRDD()
                    .map(x -> SparkEnv.get().executorId() + " "
                            + ManagementFactory.getRuntimeMXBean().getPid() + " " + status("VmHWM:") + " "
                            + status("VmRSS:") + " " + ExecutorModels.loads() + " "
                            + Runtime.getRuntime().totalMemory())
                    .distinct()
                    .collect();
            for (String line : lines) {
                String[] f = line.split(" ");
                answers.put(f[0], new long[] {
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[4]),
                    Long.parseLong(f[5])
                });
            }
        }
        return answers;
    }

    /** Returns a {@code /proc/self/status} memory line's value in bytes. */
    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no " + key);
    }

    /** Returns rows of 20-200 words drawn from a fixed list of common English words, with a fixed seed. */
    private static List<Row> texts(int rows) {
        String[] words = ("the of and to in is was that for on are with as his they be at one have this from by hot"
                        + " word but what some we can out other were all there when up use your how said an each she"
                        + " which do their time if will way about many then them write would like so these her long"
                        + " make thing see him two has look more day could go come did number sound no most people my"
                        + " over know water than call first who may down side been now find any new work part take")
                .split(" ");
        Random random = new Random(11);
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            int length = 20 + random.nextInt(181);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            out.add(RowFactory.create(i, text.toString()));
        }
        return out;
    }

    /** Collects, on the driver, the largest {@value #RSS_METRIC} each executor reported. */
    private static final class RssPeaks extends SparkListener {

        private final Map<String, Long> peaks = new ConcurrentHashMap<>();

        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
            for (ExecutorMetrics metrics :
                    CollectionConverters.asJava(update.executorUpdates()).values()) {
                record(update.execId(), metrics);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            record(end.taskInfo().executorId(), end.taskExecutorMetrics());
        }

        private void record(String executor, ExecutorMetrics metrics) {
            if (metrics != null) {
                peaks.merge(executor, metrics.getMetricValue(RSS_METRIC), Math::max);
            }
        }

        /** Waits until every executor named has reported a positive value, then returns the peaks. */
        Map<String, Long> awaitExecutors(Iterable<String> executors, long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < deadline) {
                boolean all = true;
                for (String id : executors) {
                    all &= peaks.getOrDefault(id, 0L) > 0;
                }
                if (all) {
                    break;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return Map.copyOf(peaks);
        }
    }
}
