package io.tl4j.core.demo;

import io.tl4j.core.data.LabeledData;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Related classification tasks made from one hidden "world", for demos and tests that need a source
 * task to pretrain on and a different target task that shares its structure, with no download.
 *
 * <p>Every example starts as a point in a small latent space, drawn around its class's centre; the
 * world maps it to the observed vector through a fixed random non-linear map ({@code sin} of a random
 * projection) and adds noise. Tasks differ in their classes (their centres); all share the map. A
 * network pretrained on one task learns to invert the map, which is what transfers.
 */
public final class SyntheticWorld {

    private final int latentDim;
    private final int inputDim;
    private final float[][] projection;
    private final float[] phase;
    private final float noise;

    private SyntheticWorld(long seed, int latentDim, int inputDim, float frequency, float noise) {
        this.latentDim = latentDim;
        this.inputDim = inputDim;
        this.noise = noise;
        Random r = new Random(seed);
        projection = new float[inputDim][latentDim];
        phase = new float[inputDim];
        for (int i = 0; i < inputDim; i++) {
            for (int j = 0; j < latentDim; j++) {
                projection[i][j] = (float) (r.nextGaussian() * frequency / Math.sqrt(latentDim));
            }
            phase[i] = (float) (r.nextDouble() * 2 * Math.PI);
        }
    }

    /**
     * @param seed fixes the map
     * @param latentDim the latent dimension, e.g. 8
     * @param inputDim the observed dimension, e.g. 64
     * @param frequency how non-linear the map is (1 is mild, 3 is strong)
     * @param noise standard deviation of the observation noise
     * @return the world
     */
    public static SyntheticWorld create(long seed, int latentDim, int inputDim, float frequency, float noise) {
        return new SyntheticWorld(seed, latentDim, inputDim, frequency, noise);
    }

    /** @return the observed dimension */
    public int inputDim() {
        return inputDim;
    }

    /**
     * A task: classes with their own centres in the latent space.
     *
     * @param prefix the class-name prefix, e.g. "source" gives source0, source1, ...
     * @param numClasses the number of classes
     * @param spread the standard deviation of the class centres (the examples' spread is 1)
     * @param seed fixes the centres
     * @return the task
     */
    public Task task(String prefix, int numClasses, double spread, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[numClasses][latentDim];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < latentDim; j++) {
                centres[c][j] = (float) (r.nextGaussian() * spread);
            }
            names.add(prefix + c);
        }
        return new Task(centres, names);
    }

    /** Classes of one task, from which examples are drawn. */
    public final class Task {
        private final float[][] centres;
        private final List<String> names;

        private Task(float[][] centres, List<String> names) {
            this.centres = centres;
            this.names = List.copyOf(names);
        }

        /**
         * @param perClass examples per class
         * @param seed fixes the draw
         * @return the examples, class by class
         */
        public LabeledData<float[]> sample(int perClass, long seed) {
            Random r = new Random(seed);
            List<float[]> inputs = new ArrayList<>();
            int[] labels = new int[perClass * centres.length];
            int n = 0;
            for (int c = 0; c < centres.length; c++) {
                for (int k = 0; k < perClass; k++) {
                    float[] z = new float[latentDim];
                    for (int j = 0; j < latentDim; j++) {
                        z[j] = centres[c][j] + (float) r.nextGaussian();
                    }
                    inputs.add(observe(z, r));
                    labels[n++] = c;
                }
            }
            return LabeledData.of(inputs, labels, names);
        }
    }

    private float[] observe(float[] z, Random r) {
        float[] x = new float[inputDim];
        for (int i = 0; i < inputDim; i++) {
            double a = phase[i];
            for (int j = 0; j < latentDim; j++) {
                a += projection[i][j] * z[j];
            }
            x[i] = (float) (Math.sin(a) + r.nextGaussian() * noise);
        }
        return x;
    }
}
