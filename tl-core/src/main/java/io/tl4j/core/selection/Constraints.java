package io.tl4j.core.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds the limits a recommended candidate must keep, measured on this machine: inference time per
 * example, parameter count and peak memory. {@link #none()} sets no limit; each method adds one.
 *
 * @param maxMillisPerExample the most inference milliseconds per example ({@link
 *     Cost#inferenceMillisPerExample()}); infinite for no limit
 * @param maxParameters the most parameters ({@link Cost#parameters()}); {@link Long#MAX_VALUE} for no
 *     limit
 * @param maxMemoryMb the most peak memory in MiB ({@link Cost#peakMemoryMb()}); infinite for no limit
 */
public record Constraints(double maxMillisPerExample, long maxParameters, double maxMemoryMb) {

    /** Checks that every limit is positive. */
    public Constraints {
        if (!(maxMillisPerExample > 0) || !(maxMemoryMb > 0) || maxParameters <= 0) {
            throw new IllegalArgumentException("Limits must be positive, got " + maxMillisPerExample + " ms/example, "
                    + maxParameters + " parameters, " + maxMemoryMb + " MB");
        }
    }

    /** Returns constraints without any limit. */
    public static Constraints none() {
        return new Constraints(Double.POSITIVE_INFINITY, Long.MAX_VALUE, Double.POSITIVE_INFINITY);
    }

    /**
     * Returns these constraints with a limit on inference time.
     *
     * @param millis the most inference milliseconds per example
     */
    public Constraints maxMillisPerExample(double millis) {
        return new Constraints(millis, maxParameters, maxMemoryMb);
    }

    /**
     * Returns these constraints with a limit on the parameter count.
     *
     * @param parameters the most parameters
     */
    public Constraints maxParameters(long parameters) {
        return new Constraints(maxMillisPerExample, parameters, maxMemoryMb);
    }

    /**
     * Returns these constraints with a limit on peak memory.
     *
     * @param megabytes the most peak memory, in MiB
     */
    public Constraints maxMemoryMb(double megabytes) {
        return new Constraints(maxMillisPerExample, maxParameters, megabytes);
    }

    /**
     * Lists the limits a measured cost breaks, each with the measured value and the limit.
     *
     * @param cost the measured cost
     * @return the reasons, empty when the cost keeps every limit
     */
    List<String> violations(Cost cost) {
        List<String> reasons = new ArrayList<>();
        if (cost.inferenceMillisPerExample() > maxMillisPerExample) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "inference %.3f ms/example > max %.3f",
                    cost.inferenceMillisPerExample(),
                    maxMillisPerExample));
        }
        if (cost.parameters() > maxParameters) {
            reasons.add(String.format(Locale.ROOT, "%,d parameters > max %,d", cost.parameters(), maxParameters));
        }
        if (Double.isFinite(maxMemoryMb)) {
            if (Double.isNaN(cost.peakMemoryMb())) {
                reasons.add("peak memory not measurable here (no /proc/self/status), max " + maxMemoryMb + " MB");
            } else if (cost.peakMemoryMb() > maxMemoryMb) {
                reasons.add(String.format(
                        Locale.ROOT, "peak memory %.0f MB > max %.0f MB", cost.peakMemoryMb(), maxMemoryMb));
            }
        }
        return reasons;
    }
}
