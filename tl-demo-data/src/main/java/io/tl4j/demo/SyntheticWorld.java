package io.tl4j.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Related classification tasks made from one hidden "world", for demos and tests that need a source
 * task to pretrain on and a different target task that shares its structure, with no download.
 *
 * <p>Every example starts as a point in a small latent space, drawn around its class's centre. The
 * world mixes it into the observed vector through a fixed random projection, together with a
 * larger, high-variance nuisance vector that carries no class information, squashes the sum with
 * {@code tanh} and adds noise. Tasks differ in their classes (their centres); all share the world. A
 * network pretrained on one task with plenty of data learns to keep the class subspace and discard
 * the nuisance; with a few examples per class a network from scratch cannot tell them apart. That is
 * what transfers.
 */
public final class SyntheticWorld {

    private final int latentDim;
    private final int inputDim;
    private final int nuisanceDim;
    private final float nuisance;
    private final float noise;
    private final float[][] projection;

    private SyntheticWorld(long seed, int latentDim, int nuisanceDim, int inputDim, float nuisance, float noise) {
        this.latentDim = latentDim;
        this.nuisanceDim = nuisanceDim;
        this.inputDim = inputDim;
        this.nuisance = nuisance;
        this.noise = noise;
        Random r = new Random(seed);
        int sources = latentDim + nuisanceDim;
        projection = new float[inputDim][sources];
        for (int i = 0; i < inputDim; i++) {
            for (int j = 0; j < sources; j++) {
                projection[i][j] = (float) (r.nextGaussian() / Math.sqrt(sources));
            }
        }
    }

    /**
     * Creates a world: draws its fixed random projection from {@code seed}.
     *
     * @param seed fixes the projection
     * @param latentDim the dimension of the class-carrying latent space, e.g. 6
     * @param nuisanceDim the dimension of the nuisance, e.g. 24
     * @param inputDim the observed dimension, e.g. 64
     * @param nuisance the nuisance's standard deviation (class centres spread with 3, examples
     *     around them with 1)
     * @param noise the standard deviation of the observation noise
     * @return the world
     */
    public static SyntheticWorld create(
            long seed, int latentDim, int nuisanceDim, int inputDim, float nuisance, float noise) {
        return new SyntheticWorld(seed, latentDim, nuisanceDim, inputDim, nuisance, noise);
    }

    /** Returns the observed dimension: the length of every example's input. */
    public int inputDim() {
        return inputDim;
    }

    /**
     * A task: classes with their own centres in the latent space.
     *
     * @param prefix the class-name prefix, e.g. "source" gives source0, source1, ...
     * @param numClasses the number of classes
     * @param seed fixes the centres
     * @return the task
     */
    public Task task(String prefix, int numClasses, long seed) {
        double spread = 3;
        Random r = new Random(seed);
        float[][] centres = new float[numClasses][latentDim];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < latentDim; j++) {
                centres[c][j] = (float) (r.nextGaussian() * spread);
            }
            names.add(prefix + c);
        }
        int[] labelOf = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            labelOf[c] = c;
        }
        return new Task(centres, labelOf, names);
    }

    /** Classes of one task, from which examples are drawn; each class is one or more clusters. */
    public final class Task {
        private final float[][] centres;
        private final int[] labelOf;
        private final List<String> names;

        private Task(float[][] centres, int[] labelOf, List<String> names) {
            this.centres = centres;
            this.labelOf = labelOf;
            this.names = List.copyOf(names);
        }

        /**
         * Draws {@code perClass} examples of every class, class by class; wrap them for training with
         * {@code LabeledData.of(sample.inputs(), sample.labels(), sample.classNames())}.
         *
         * @param perClass examples per class, spread evenly over the class's clusters
         * @param seed fixes the draw
         * @return the examples, class by class
         */
        public Sample sample(int perClass, long seed) {
            Random r = new Random(seed);
            List<float[]> inputs = new ArrayList<>();
            int[] labels = new int[perClass * names.size()];
            int n = 0;
            for (int label = 0; label < names.size(); label++) {
                List<Integer> clusters = new ArrayList<>();
                for (int c = 0; c < centres.length; c++) {
                    if (labelOf[c] == label) {
                        clusters.add(c);
                    }
                }
                for (int k = 0; k < perClass; k++) {
                    float[] centre = centres[clusters.get(k % clusters.size())];
                    float[] z = new float[latentDim];
                    for (int j = 0; j < latentDim; j++) {
                        z[j] = centre[j] + (float) r.nextGaussian();
                    }
                    inputs.add(observe(z, r));
                    labels[n++] = label;
                }
            }
            return new Sample(inputs, labels, names);
        }
    }

    /**
     * Examples drawn from a task: each input with the index of its class in {@code classNames}.
     *
     * @param inputs the observed vectors, each {@link #inputDim()} long
     * @param labels each input's class index
     * @param classNames the task's class names
     */
    public record Sample(List<float[]> inputs, int[] labels, List<String> classNames) {}

    private float[] observe(float[] z, Random r) {
        float[] n = new float[nuisanceDim];
        for (int j = 0; j < nuisanceDim; j++) {
            n[j] = (float) (r.nextGaussian() * nuisance);
        }
        float[] x = new float[inputDim];
        for (int i = 0; i < inputDim; i++) {
            double a = 0;
            for (int j = 0; j < latentDim; j++) {
                a += projection[i][j] * z[j];
            }
            for (int j = 0; j < nuisanceDim; j++) {
                a += projection[i][latentDim + j] * n[j];
            }
            x[i] = (float) (Math.tanh(a / 2) * 2 + r.nextGaussian() * noise);
        }
        return x;
    }
}
