package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.SyntheticWorld;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared test data: the synthetic world of the transfer tests, and small helpers. */
final class Fixtures {

    static final int INPUT = 64;
    static final SyntheticWorld WORLD = SyntheticWorld.create(7, 6, 32, INPUT, 4f, 0.3f);
    static final Task SOURCE = new Task(WORLD.task("source", 20, 1));
    static final Task TARGET = new Task(WORLD.task("target", 5, 2));

    private Fixtures() {}

    /** Returns the number of native arrays alive in the engine: the system manager's, recursively. */
    static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    static Backbone<float[]> randomMlp(int... widths) {
        return Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(widths))
                .setPipeline(TensorPipeline.of(new Shape(INPUT)))
                .build();
    }

    /** A small 3-class task from the same world. */
    static LabeledData<float[]> tiny(int perClass, long seed) {
        return new Task(WORLD.task("tiny", 3, 100 + seed)).sample(perClass, seed);
    }

    /** A task of a synthetic world whose samples come as labelled data. */
    record Task(SyntheticWorld.Task classes) {

        /** Draws {@code perClass} examples of every class, class by class. */
        LabeledData<float[]> sample(int perClass, long seed) {
            SyntheticWorld.Sample sample = classes.sample(perClass, seed);
            return LabeledData.of(sample.inputs(), sample.labels(), sample.classNames());
        }
    }

    /** Copies of every array, as Java floats, for bit-exact comparisons. */
    static Map<String, float[]> values(Map<String, NDArray> arrays) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        arrays.forEach((k, v) -> copy.put(k, v.toFloatArray()));
        return copy;
    }
}
