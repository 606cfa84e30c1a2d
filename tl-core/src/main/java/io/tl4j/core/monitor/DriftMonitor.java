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
 *
 * <p>A small profile: a profile of few examples differs from the traffic it describes by chance, more so the
 * fewer, and the monitor never uses a threshold below what that sampling noise alone reaches between the profile's
 * {@code n} examples and a window of {@code w} once in a thousand evaluations (computed from {@code 1/n + 1/w}).
 * The confidence PSI first gives up resolution rather than sensitivity: where the noise of its 10 decile bins would
 * reach the threshold it compares 5 quintiles, or 2 halves (above and below the profile's median confidence), whose
 * noise is lower (at a window of 500: 10 bins from about 200 examples, 5 from about 115, 2 below); the class PSI
 * and the feature shift have their thresholds raised instead (at 90 examples: class PSI 0.245 for 5 classes,
 * feature shift 0.377; the defaults hold from about 115 examples for 5 classes and 270 for the features). {@link #thresholds()} gives the bins and thresholds in
 * use, and the log says when the profile changed them.
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
    private final Thresholds thresholds;
    private final double[] confidenceReference;
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
     * @param psiThreshold the PSI above which the class mix or the confidence has drifted, above 0; raised to the
     *     sampling noise of the reference's size where that is higher
     * @param featureThreshold the feature shift above which the features have drifted, above 0; raised likewise
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
        int n = reference.examples();
        int confidenceBins = confidenceBins(n, window, psiThreshold);
        this.confidenceReference = merge(reference.confidenceFractions(), confidenceBins);
        this.thresholds = new Thresholds(
                Math.max(psiThreshold, SamplingNoise.psi(reference.classes(), n, window)),
                Math.max(psiThreshold, SamplingNoise.psi(confidenceBins, n, window)),
                reference.featureSize() == 0
                        ? featureThreshold
                        : Math.max(featureThreshold, SamplingNoise.featureShift(n, window)),
                confidenceBins);
        if (thresholds.classPsi() > psiThreshold
                || thresholds.confidencePsi() > psiThreshold
                || thresholds.featureShift() > featureThreshold
                || confidenceBins < ReferenceProfile.CONFIDENCE_BINS) {
            LOG.info(
                    "A reference profile of {} examples differs from a window of {} by chance alone up to {}; a"
                            + " profile of more held-out examples allows lower thresholds",
                    n,
                    window,
                    thresholds);
        }
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
        double confidencePsi =
                PopulationStability.index(confidenceReference, merge(binCounts, thresholds.confidenceBins()));
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
        check("class_psi", classPsi, thresholds.classPsi());
        check("confidence_psi", confidencePsi, thresholds.confidencePsi());
        if (features != null) {
            check("feature_shift", featureShift, thresholds.featureShift());
        }
    }

    /**
     * Returns how many confidence bins the PSI compares: the profile's 10 deciles, or, where the sampling noise of
     * that many would reach the threshold, adjacent deciles merged into 5 quintiles or 2 halves (the first count
     * whose noise stays under the threshold; 2 when none does).
     */
    private static int confidenceBins(int examples, int window, double psiThreshold) {
        for (int bins : new int[] {ReferenceProfile.CONFIDENCE_BINS, 5}) {
            if (SamplingNoise.psi(bins, examples, window) <= psiThreshold) {
                return bins;
            }
        }
        return 2;
    }

    /** Sums groups of adjacent values into {@code bins} values (a divisor of the length). */
    private static double[] merge(double[] values, int bins) {
        double[] merged = new double[bins];
        for (int i = 0; i < values.length; i++) {
            merged[i / (values.length / bins)] += values[i];
        }
        return merged;
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
     * Returns the thresholds this monitor alerts above: the ones it was given, or the sampling noise of its
     * reference's size where that is higher.
     *
     * @return the thresholds in use
     */
    public Thresholds thresholds() {
        return thresholds;
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

    /**
     * The thresholds a monitor alerts above.
     *
     * @param classPsi the PSI of the predicted-class mix
     * @param confidencePsi the PSI of the confidence bins
     * @param featureShift the mean standardised difference of the feature means (unused without features)
     * @param confidenceBins how many confidence bins the PSI compares: 10, or 5 or 2 for a small profile
     */
    public record Thresholds(double classPsi, double confidencePsi, double featureShift, int confidenceBins) {

        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "class PSI %.3f, confidence PSI %.3f over %d bins, feature shift %.3f",
                    classPsi,
                    confidencePsi,
                    confidenceBins,
                    featureShift);
        }
    }
}
