package io.tl4j.core.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a sliding window of live predictions with a {@link ReferenceProfile} and raises a {@link
 * DriftAlert} when the predicted-class mix or the confidence distribution moves (population stability index
 * above a threshold, default {@value #DEFAULT_PSI_THRESHOLD}), or when the features' window means move away
 * from the reference means (the mean over dimensions of {@code |window mean - reference mean| / reference
 * std}, default threshold {@value #DEFAULT_FEATURE_THRESHOLD}). The statistics are computed every {@code
 * evaluateEvery} observations once the window is full; an alert is raised when a statistic goes from below
 * its threshold to above it, logged as a warning and passed to every listener. Thread-safe.
 */
public final class DriftMonitor {

    /** The default PSI threshold: above the usual 0.1 "moderate shift" reading, below 0.25 "significant". */
    public static final double DEFAULT_PSI_THRESHOLD = 0.2;

    /** The default threshold of the mean standardised difference of the feature means. */
    public static final double DEFAULT_FEATURE_THRESHOLD = 0.25;

    /** The default window: the last 500 observations. */
    public static final int DEFAULT_WINDOW = 500;

    /** The default interval between evaluations, in observations. */
    public static final int DEFAULT_EVALUATE_EVERY = 50;

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);

    private final ReferenceProfile reference;
    private final int window;
    private final int evaluateEvery;
    private final double psiThreshold;
    private final double featureThreshold;
    private final List<DriftListener> listeners = new CopyOnWriteArrayList<>();
    private final int[] classes;
    private final int[] bins;
    private final float[][] features;
    private final double[] featureSums;
    private final Map<String, Boolean> above = new HashMap<>();
    private final List<DriftAlert> alerts = new ArrayList<>();
    private long observed;
    private DriftStatus last;

    /**
     * Creates a monitor with the default window, interval and thresholds.
     *
     * @param reference what the model's outputs looked like on held-out data
     */
    public DriftMonitor(ReferenceProfile reference) {
        this(reference, DEFAULT_WINDOW, DEFAULT_EVALUATE_EVERY, DEFAULT_PSI_THRESHOLD, DEFAULT_FEATURE_THRESHOLD);
    }

    /**
     * Creates a monitor.
     *
     * @param reference what the model's outputs looked like on held-out data
     * @param window how many of the latest observations each statistic is computed over, at least 50
     * @param evaluateEvery how many observations pass between evaluations, from 1 to {@code window}
     * @param psiThreshold the PSI above which the class mix or the confidence has drifted, above 0
     * @param featureThreshold the feature shift above which the features have drifted, above 0
     * @throws IllegalArgumentException for a setting out of range, naming it
     */
    public DriftMonitor(
            ReferenceProfile reference, int window, int evaluateEvery, double psiThreshold, double featureThreshold) {
        this.reference = Objects.requireNonNull(reference, "reference");
        if (window < 50) {
            throw new IllegalArgumentException("window must be at least 50 observations, got " + window);
        }
        if (evaluateEvery < 1 || evaluateEvery > window) {
            throw new IllegalArgumentException("evaluateEvery must be in [1, window], got " + evaluateEvery);
        }
        if (!(psiThreshold > 0) || !(featureThreshold > 0)) {
            throw new IllegalArgumentException(
                    "thresholds must be > 0, got psi " + psiThreshold + ", feature " + featureThreshold);
        }
        this.window = window;
        this.evaluateEvery = evaluateEvery;
        this.psiThreshold = psiThreshold;
        this.featureThreshold = featureThreshold;
        this.classes = new int[window];
        this.bins = new int[window];
        int dims = reference.featureSize();
        this.features = dims == 0 ? null : new float[window][];
        this.featureSums = dims == 0 ? null : new double[dims];
    }

    /**
     * Adds a listener that hears every alert from now on.
     *
     * @param listener the listener
     * @return this monitor
     */
    public DriftMonitor listener(DriftListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Tells whether this monitor compares features too, so each observation must bring its row.
     *
     * @return whether the reference profile has features
     */
    public boolean watchesFeatures() {
        return features != null;
    }

    /**
     * Records one live prediction without features.
     *
     * @param probabilities its class probabilities
     * @throws IllegalArgumentException when the row does not fit the reference, or the reference has features
     */
    public void observe(float[] probabilities) {
        observe(probabilities, null);
    }

    /**
     * Records one live prediction and the features it was computed from.
     *
     * @param probabilities its class probabilities
     * @param featureRow its backbone features, or null when the reference has none
     * @throws IllegalArgumentException naming what does not fit the reference
     */
    public synchronized void observe(float[] probabilities, float[] featureRow) {
        Observations.check(probabilities, reference.classes(), "Observation " + observed);
        if (features != null) {
            Observations.checkFeatures(featureRow, featureSums.length, "Observation " + observed);
        } else if (featureRow != null) {
            throw new IllegalArgumentException("The reference profile has no features; observe probabilities only");
        }
        int slot = (int) (observed % window);
        classes[slot] = Observations.predictedClass(probabilities);
        bins[slot] = reference.confidenceBin(Observations.confidence(probabilities));
        if (features != null) {
            float[] evicted = features[slot];
            for (int d = 0; d < featureSums.length; d++) {
                featureSums[d] += featureRow[d] - (evicted == null ? 0 : evicted[d]);
            }
            features[slot] = featureRow.clone();
        }
        observed++;
        if (observed >= window && (observed - window) % evaluateEvery == 0) {
            evaluate();
        }
    }

    private void evaluate() {
        double[] classCounts = new double[reference.classes()];
        double[] binCounts = new double[ReferenceProfile.CONFIDENCE_BINS];
        for (int i = 0; i < window; i++) {
            classCounts[classes[i]]++;
            binCounts[bins[i]]++;
        }
        double classPsi = PopulationStability.index(reference.classFractions(), classCounts);
        double confidencePsi = PopulationStability.index(reference.confidenceFractions(), binCounts);
        double featureShift = Double.NaN;
        if (features != null) {
            double sum = 0;
            for (int d = 0; d < featureSums.length; d++) {
                double diff = Math.abs(featureSums[d] / window - reference.featureMean(d));
                sum += diff / Math.max(reference.featureStd(d), 1e-6);
            }
            featureShift = sum / featureSums.length;
        }
        last = new DriftStatus(observed, classPsi, confidencePsi, featureShift);
        check("class_psi", classPsi, psiThreshold);
        check("confidence_psi", confidencePsi, psiThreshold);
        if (features != null) {
            check("feature_shift", featureShift, featureThreshold);
        }
    }

    private void check(String statistic, double value, double threshold) {
        boolean now = value > threshold;
        boolean before = above.getOrDefault(statistic, false);
        above.put(statistic, now);
        if (now && !before) {
            DriftAlert alert = new DriftAlert(statistic, value, threshold, observed, window);
            alerts.add(alert);
            LOG.warn("Drift: {}", alert);
            listeners.forEach(l -> l.onDrift(alert));
        }
    }

    /**
     * Returns the statistics of the last evaluation, or null before the window first filled.
     *
     * @return the latest status
     */
    public synchronized DriftStatus status() {
        return last;
    }

    /**
     * Returns every alert raised so far, oldest first.
     *
     * @return a copy of the alerts
     */
    public synchronized List<DriftAlert> alerts() {
        return List.copyOf(alerts);
    }

    /**
     * Returns how many predictions were observed.
     *
     * @return the count
     */
    public synchronized long observations() {
        return observed;
    }

    /**
     * The statistics of one evaluation.
     *
     * @param observations the observations seen when it ran
     * @param classPsi the PSI of the window's predicted-class mix against the reference
     * @param confidencePsi the PSI of the window's confidence bins against the reference
     * @param featureShift the mean standardised difference of the feature means, or NaN without features
     */
    public record DriftStatus(long observations, double classPsi, double confidencePsi, double featureShift) {}
}
