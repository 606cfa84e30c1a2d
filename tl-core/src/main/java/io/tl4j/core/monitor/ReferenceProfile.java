package io.tl4j.core.monitor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.tl4j.core.TransferModel;
import io.tl4j.core.persist.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a model's outputs looked like on held-out data, for a {@link DriftMonitor} to compare live traffic
 * with: the fraction of each predicted class, the confidence (top probability) in ten bins cut at the
 * held-out deciles, and optionally the per-dimension mean and standard deviation of the backbone's
 * features. Saved as a small JSON file next to the model.
 *
 * <p>How many held-out examples: two samples of the same distribution differ by sampling noise alone, and the
 * PSI of {@code k} bins between {@code n} reference examples and a window of {@code w} is about {@code (k - 1)
 * (1/n + 1/w)} on average: for the 10 confidence bins and a window of 500, 0.027 at n = 1,000 but 0.12 at
 * n = 90, too close to the default threshold of 0.2. A {@link DriftMonitor} therefore never alerts below the
 * level that noise reaches (its thresholds rise for a small profile: confidence PSI 0.368 at n = 90), so a small
 * profile makes a less sensitive monitor. Profile on several hundred examples or more.
 */
public final class ReferenceProfile {

    /** The file name a profile has inside a model directory, where tl-serving looks for it. */
    public static final String FILE_NAME = "profile.json";

    /** The number of confidence bins: cut at the reference deciles, so each expects about a tenth. */
    public static final int CONFIDENCE_BINS = 10;

    /** The fewest held-out examples a profile is built from. */
    public static final int MIN_EXAMPLES = 50;

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create();

    private final int examples;
    private final double[] classFractions;
    private final double[] confidenceCuts;
    private final double[] confidenceFractions;
    private final double[] featureMean;
    private final double[] featureStd;

    private ReferenceProfile(
            int examples,
            double[] classFractions,
            double[] confidenceCuts,
            double[] confidenceFractions,
            double[] featureMean,
            double[] featureStd) {
        this.examples = examples;
        this.classFractions = classFractions;
        this.confidenceCuts = confidenceCuts;
        this.confidenceFractions = confidenceFractions;
        this.featureMean = featureMean;
        this.featureStd = featureStd;
    }

    /**
     * Profiles a model's predictions on held-out inputs (classes and confidence; no features).
     *
     * @param model the trained model
     * @param heldOut inputs the model was not trained on, at least {@value #MIN_EXAMPLES}
     * @param <I> the model's input type
     * @return the profile
     */
    public static <I> ReferenceProfile of(TransferModel<I> model, List<I> heldOut) {
        return of(model.probabilities(heldOut), null);
    }

    /**
     * Profiles class probabilities and, when given, the features they were computed from.
     *
     * @param probabilities one row of class probabilities per held-out example
     * @param features one feature vector per example, in the same order, or null
     * @return the profile
     * @throws IllegalArgumentException naming the row at fault: too few rows, rows of different lengths, fewer
     *     than two classes, or a value that is not finite
     */
    public static ReferenceProfile of(float[][] probabilities, float[][] features) {
        int n = probabilities.length;
        if (n < MIN_EXAMPLES) {
            throw new IllegalArgumentException(
                    "A reference profile needs at least " + MIN_EXAMPLES + " held-out examples, got " + n);
        }
        int classes = probabilities[0].length;
        if (classes < 2) {
            throw new IllegalArgumentException("A reference profile needs at least two classes, got " + classes);
        }
        double[] classCounts = new double[classes];
        double[] confidences = new double[n];
        for (int i = 0; i < n; i++) {
            Observations.check(probabilities[i], classes, "Reference probability row " + i);
            classCounts[Observations.predictedClass(probabilities[i])]++;
            confidences[i] = Observations.confidence(probabilities[i]);
        }
        double[] sorted = confidences.clone();
        Arrays.sort(sorted);
        double[] cuts = new double[CONFIDENCE_BINS - 1];
        for (int b = 1; b < CONFIDENCE_BINS; b++) {
            cuts[b - 1] = sorted[(int) ((long) b * n / CONFIDENCE_BINS)];
        }
        double[] confidenceCounts = new double[CONFIDENCE_BINS];
        for (double c : confidences) {
            confidenceCounts[bin(cuts, c)]++;
        }
        double[] mean = null;
        double[] std = null;
        if (features != null) {
            if (features.length != n) {
                throw new IllegalArgumentException(
                        "Got " + features.length + " feature rows for " + n + " probability rows");
            }
            int dims = features[0].length;
            mean = new double[dims];
            double[] squares = new double[dims];
            for (int i = 0; i < n; i++) {
                Observations.checkFeatures(features[i], dims, "Reference feature row " + i);
                for (int d = 0; d < dims; d++) {
                    mean[d] += features[i][d];
                    squares[d] += (double) features[i][d] * features[i][d];
                }
            }
            std = new double[dims];
            for (int d = 0; d < dims; d++) {
                mean[d] /= n;
                std[d] = Math.sqrt(Math.max(squares[d] / n - mean[d] * mean[d], 0));
            }
        }
        return new ReferenceProfile(n, fractions(classCounts), cuts, fractions(confidenceCounts), mean, std);
    }

    /** Returns the confidence bin of {@code confidence}: how many cuts lie strictly below it. */
    static int bin(double[] cuts, double confidence) {
        int bin = 0;
        while (bin < cuts.length && confidence > cuts[bin]) {
            bin++;
        }
        return bin;
    }

    private static double[] fractions(double[] counts) {
        double total = Arrays.stream(counts).sum();
        return Arrays.stream(counts).map(c -> c / total).toArray();
    }

    /** Returns the number of held-out examples the profile was built from. */
    public int examples() {
        return examples;
    }

    /** Returns the number of classes. */
    public int classes() {
        return classFractions.length;
    }

    /** Returns the fraction of held-out examples predicted as each class (a copy). */
    public double[] classFractions() {
        return classFractions.clone();
    }

    /** Returns the confidence fraction of each bin (a copy). */
    public double[] confidenceFractions() {
        return confidenceFractions.clone();
    }

    /** Returns the feature size, or 0 when the profile has no features. */
    public int featureSize() {
        return featureMean == null ? 0 : featureMean.length;
    }

    int confidenceBin(double confidence) {
        return bin(confidenceCuts, confidence);
    }

    double featureMean(int dimension) {
        return featureMean[dimension];
    }

    double featureStd(int dimension) {
        return featureStd[dimension];
    }

    /**
     * Writes the profile as JSON, atomically.
     *
     * @param file the file, e.g. {@code profile.json} in the model's directory
     */
    public void save(Path file) {
        try {
            AtomicFiles.writeString(file, GSON.toJson(this));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the reference profile " + file, e);
        }
    }

    /**
     * Reads a profile that {@link #save} wrote.
     *
     * @param file the file
     * @return the profile
     * @throws IllegalArgumentException naming the file when it is not a complete profile
     */
    public static ReferenceProfile load(Path file) {
        ReferenceProfile p;
        try {
            p = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), ReferenceProfile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the reference profile " + file, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a reference profile: " + e.getMessage(), e);
        }
        if (p == null
                || p.examples < MIN_EXAMPLES
                || p.classFractions == null
                || p.classFractions.length < 2
                || p.confidenceCuts == null
                || p.confidenceCuts.length != CONFIDENCE_BINS - 1
                || p.confidenceFractions == null
                || p.confidenceFractions.length != CONFIDENCE_BINS
                || (p.featureMean == null) != (p.featureStd == null)
                || (p.featureMean != null && p.featureMean.length != p.featureStd.length)) {
            throw new IllegalArgumentException(file + " is not a complete reference profile");
        }
        return p;
    }
}
