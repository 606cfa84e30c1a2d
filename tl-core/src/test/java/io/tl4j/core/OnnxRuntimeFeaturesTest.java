package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.train.TrainingListener;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TransferLearner#featuresOnOnnxRuntime}: a wholly frozen backbone's features computed by its ONNX
 * export on ONNX Runtime equal the engine's within 1e-4, a head trained on them is the same model within
 * tolerance, a checkpointed run resumes on the engine it started on, and what cannot work is refused naming why.
 */
class OnnxRuntimeFeaturesTest {

    private static final Fixtures.Task TASK = new Fixtures.Task(Fixtures.WORLD.task("tiny", 3, 131));
    private static final LabeledData<float[]> TRAIN = TASK.sample(12, 31);
    private static final LabeledData<float[]> VALIDATION = TASK.sample(6, 32);
    private static Backbone<float[]> backbone;

    @BeforeAll
    static void build() {
        backbone = OnnxMlp.backbone(Integer.getInteger("u1", 48), 24);
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    private static TransferLearner<float[]> learner(boolean onnxRuntime) {
        return TransferLearner.from(backbone)
                .freezeAll()
                .featuresOnOnnxRuntime(onnxRuntime)
                .validationData(VALIDATION)
                .epochs(4)
                .batchSize(8)
                .learningRate(Float.parseFloat(System.getProperty("lr", "1e-2")))
                .seed(3)
                .progressBar(false);
    }

    @Test
    void theFeaturesEqualTheEnginesWithin1e4() {
        float[][] engine;
        float[][] onnxRuntime;
        try (FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, 0)) {
            engine = features.extract(TRAIN);
        }
        try (FrozenFeatures<float[]> features = FrozenFeatures.onOnnxRuntime(backbone, 0)) {
            onnxRuntime = features.extract(TRAIN);
        }
        assertThat(onnxRuntime.length).isEqualTo(TRAIN.size());
        double largest = 0;
        for (int i = 0; i < engine.length; i++) {
            assertThat(onnxRuntime[i]).as("example %d", i).containsExactly(engine[i], Offset.offset(1e-4f));
            for (float v : engine[i]) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertThat(largest).as("features that are not all zero").isGreaterThan(0.1);
    }

    @Test
    void aHeadTrainedOnThemIsTheSameModelWithinTolerance() {
        try (TransferModel<float[]> engine = learner(false).fit(TRAIN);
                TransferModel<float[]> onnxRuntime = learner(true).fit(TRAIN)) {
            assertThat(onnxRuntime.trainingConfig().orElseThrow().featuresOnOnnxRuntime())
                    .isTrue();
            for (int e = 0; e < 4; e++) {
                int epoch = e + 1;
                EpochRecord a = engine.history().epochs().get(e);
                EpochRecord b = onnxRuntime.history().epochs().get(e);
                assertThat(b.trainLoss()).as("epoch %d", e + 1).isCloseTo(a.trainLoss(), Offset.offset(1e-4));
                assertThat(b.metrics())
                        .as("epoch %d", e + 1)
                        .containsOnlyKeys(a.metrics().keySet());
                a.metrics()
                        .forEach((name, value) -> assertThat(b.metrics().get(name))
                                .as("%s, epoch %d", name, epoch)
                                .isCloseTo(value, Offset.offset(1e-4)));
            }
            float[][] p = engine.probabilities(VALIDATION.inputs());
            float[][] q = onnxRuntime.probabilities(VALIDATION.inputs());
            for (int i = 0; i < p.length; i++) {
                assertThat(q[i]).as("validation example %d", i).containsExactly(p[i], Offset.offset(1e-4f));
            }
            assertThat(onnxRuntime.evaluate(VALIDATION).accuracy())
                    .isEqualTo(engine.evaluate(VALIDATION).accuracy());
            assertThat(onnxRuntime.history().last().trainLoss())
                    .as("the head learned")
                    .isLessThan(onnxRuntime.history().epochs().get(0).trainLoss() - 0.05);
        }
    }

    @Test
    void aCheckpointedRunResumesOnOnnxRuntimeAndRefusesTheEngine(@TempDir Path dir) {
        try (TransferModel<float[]> uninterrupted =
                learner(true).checkpoints(dir.resolve("a")).fit(TRAIN)) {
            TrainingListener killer = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord record) {
                    if (record.epoch() == 2) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            Path b = dir.resolve("b");
            assertThatThrownBy(
                            () -> learner(true).checkpoints(b).listener(killer).fit(TRAIN))
                    .hasMessage("killed");
            assertThatThrownBy(() -> learner(false).resume(b).fit(TRAIN))
                    .as("features from the engine are not the checkpointed run's")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refusing to resume")
                    .hasMessageContaining("config.featuresOnOnnxRuntime");
            try (TransferModel<float[]> resumed = learner(true).resume(b).fit(TRAIN)) {
                assertThat(resumed.history().epochs()).hasSize(4);
                for (int e = 0; e < 4; e++) {
                    assertThat(resumed.history().epochs().get(e).trainLoss())
                            .isEqualTo(uninterrupted.history().epochs().get(e).trainLoss());
                }
                List<float[]> inputs = VALIDATION.inputs();
                assertThat(resumed.probabilities(inputs)).isDeepEqualTo(uninterrupted.probabilities(inputs));
            }
        }
    }

    @Test
    void layersThatTrainAreRefusedNamingTheFirst() {
        assertThatThrownBy(() -> learner(true).freezeUntil("block2").fit(TRAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("featuresOnOnnxRuntime")
                .hasMessageContaining("backbone layer 'block2' trains")
                .hasMessageContaining("freezeAll()");
        assertThatThrownBy(() -> learner(true).unfreezeAll().fit(TRAIN))
                .hasMessageContaining("backbone layer 'block1' trains");
        assertThatThrownBy(() -> learner(true).gradualUnfreezing(1).fit(TRAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gradualUnfreezing(1)");
        assertThatThrownBy(() -> learner(true).featureCache(false).fit(TRAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("featureCache(false)");
    }

    @Test
    void anArchitectureThatCannotExportIsRefusedNamingIt() {
        try (Backbone<float[]> mlp = Fixtures.randomMlp(16)) {
            assertThatThrownBy(() -> TransferLearner.from(mlp)
                            .featuresOnOnnxRuntime(true)
                            .progressBar(false)
                            .fit(TRAIN))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'" + Architectures.MLP + "'")
                    .hasMessageContaining("io.tl4j.core.onnx.OnnxExportable");
            assertThatThrownBy(() -> FrozenFeatures.onOnnxRuntime(mlp, 0))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'" + Architectures.MLP + "'");
        }
    }

    @Test
    void withoutOnnxRuntimeOnTheClassPathTheMavenArtifactIsNamed() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("onnxruntime")) {
                urls.add(url(entry));
            }
        }
        try (URLClassLoader withoutOrt =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> features = withoutOrt.loadClass(OnnxRuntimeFeatures.class.getName());
            Class<?> architecture = withoutOrt.loadClass(Architecture.class.getName());
            java.lang.reflect.Constructor<?> mlp =
                    withoutOrt.loadClass(OnnxMlp.class.getName()).getDeclaredConstructor(int[].class);
            mlp.setAccessible(true);
            Object exportable = mlp.newInstance((Object) new int[] {4});
            Method require = features.getDeclaredMethod("requireExportable", architecture);
            require.setAccessible(true);
            assertThatThrownBy(() -> {
                        try {
                            require.invoke(null, exportable);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    })
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime");
            // what optimizeForInference() and fit touch before the probe must load without ONNX Runtime too
            for (Class<?> type : List.of(ModelScoring.class, OnnxRuntimeScores.class, FeatureCaches.class)) {
                assertThat(Class.forName(type.getName(), true, withoutOrt)).isNotNull();
            }
        }
        OnnxRuntimeFeatures.requireExportable(new OnnxMlp(4)); // with it, the same architecture passes
    }

    @Test
    void aModelJsonWrittenBeforeTheSettingReadsAsTheEngine() {
        TrainingConfig config = learner(false).config();
        JsonObject json = TrainingConfigJson.toJson(config);
        json.remove("featuresOnOnnxRuntime");
        assertThat(TrainingConfigJson.fromJson(json, config.head())).isEqualTo(config);
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
